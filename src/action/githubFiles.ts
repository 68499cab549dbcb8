/**
 * How a step talks to the GitHub runner: workflow commands on stdout (an error annotation, a
 * value to mask in the log) and the files it names in the environment ($GITHUB_OUTPUT,
 * $GITHUB_STEP_SUMMARY). Run elsewhere (a test, a developer's shell) the files are simply absent.
 */
// l10n-ignore-file: the runner's workflow-command syntax; the messages come translated
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';

/** A workflow command's data: `%`, CR and LF are how the runner spells them. */
function commandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** An error annotation: one line in the log and on the run's page. */
export function errorLine(message: string): string {
  return `::error title=Stepwise::${commandData(message)}\n`;
}

/** A warning annotation. */
export function warningLine(message: string): string {
  return `::warning title=Stepwise::${commandData(message)}\n`;
}

/** From here on the runner reads no workflow command in the output, until `resumeCommandsLine(token)`. */
export function stopCommandsLine(token: string): string {
  return `::stop-commands::${token}\n`;
}

export function resumeCommandsLine(token: string): string {
  return `::${token}::\n`;
}

/** Asks the runner to hide `secret` wherever the log would show it. */
export function maskLine(secret: string): string {
  return `::add-mask::${commandData(secret)}\n`;
}

/**
 * Appends outputs to $GITHUB_OUTPUT, each in the multi-line form with a delimiter no value can
 * contain (a summary the model wrote could otherwise end an output and forge the next one).
 */
export function writeOutputs(env: NodeJS.ProcessEnv, outputs: Record<string, string>): void {
  const file = env.GITHUB_OUTPUT;
  if (!file) return;
  let text = '';
  for (const [name, value] of Object.entries(outputs)) {
    let delimiter = `ghadelimiter_${randomUUID()}`;
    while (value.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  fs.appendFileSync(file, text);
}

/** Appends Markdown to the job summary. */
export function writeSummary(env: NodeJS.ProcessEnv, markdown: string): void {
  if (env.GITHUB_STEP_SUMMARY) fs.appendFileSync(env.GITHUB_STEP_SUMMARY, markdown);
}
