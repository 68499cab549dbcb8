/**
 * The GitHub Action's step (dist/action.js, started by action.yml): checks the inputs, runs
 * `stepwise run --json` beside it on the workspace, shows the run in the log as the CLI would on
 * a terminal, and leaves the job summary and the outputs (status, summary, changed-files, task).
 * The step fails unless the agent finished. The API key reaches the CLI only through its
 * environment, is masked in the log, and is scrubbed from this process's start-up environment
 * as the CLI scrubs its own; the commands the agent runs get neither it nor the runner's tokens.
 */
import { spawn } from 'node:child_process';
import * as readline from 'node:readline';
import * as l10n from '@vscode/l10n';
import { hideSecrets } from '../cli/hideSecrets';
import { useCliLanguage } from '../cli/locale';
import { humanRenderer } from '../cli/render';
import { changedBetween, snapshot } from './changedFiles';
import { checkoutTokenLeft } from './checkoutToken';
import { errorLine, maskLine, warningLine, writeOutputs, writeSummary } from './githubFiles';
import { type ActionInputs, cliArguments, InputError, readInputs } from './inputs';
import { RunReport } from './report';
import { jobSummary } from './summary';

export interface ActionIo {
  env: NodeJS.ProcessEnv;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** dist/cli.js beside this file. */
  cliPath: string;
}

export async function runAction(io: ActionIo): Promise<number> {
  useCliLanguage(io.env);
  let inputs: ActionInputs;
  try {
    inputs = readInputs(io.env);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return fail(io, (io.env.INPUT_GOAL ?? '').trim(), error.message);
  }
  if (inputs.apiKey) {
    io.out.write(maskLine(inputs.apiKey));
    hideSecrets(inputs.apiKey, 'stepwise action'); // l10n-ignore: a process title
  }
  if (checkoutTokenLeft(inputs.workspace))
    io.out.write(
      warningLine(
        l10n.t(
          "The checkout left the job's token in .git/config, where a command the agent runs can read it: set `persist-credentials: false` on actions/checkout.",
        ),
      ),
    );
  const before = snapshot(inputs.workspace);
  const report = new RunReport();
  const run = await runCli(io, inputs, report);
  const after = before && snapshot(inputs.workspace);
  const changed = before && after ? changedBetween(before, after) : report.writtenPaths();
  const failure = report.end ? undefined : run.lastError;
  if (failure) io.out.write(errorLine(failure));
  writeSummary(io.env, jobSummary(inputs.goal, report, changed, failure));
  writeOutputs(io.env, {
    status: report.end?.status ?? 'failed',
    summary: report.end?.summary ?? failure ?? '',
    'changed-files': changed.join('\n'),
    task: report.end?.task ?? '',
  });
  return report.end?.status === 'finished' && run.code === 0 ? 0 : 1;
}

/** A run that could not start: the error line, a summary that says why, outputs that say failed. */
function fail(io: ActionIo, goal: string, message: string): number {
  io.out.write(errorLine(message));
  writeSummary(io.env, jobSummary(goal, new RunReport(), [], message));
  writeOutputs(io.env, { status: 'failed', summary: message, 'changed-files': '', task: '' });
  return 1;
}

/**
 * Runs the CLI, folding its events into `report` and showing them as readable lines. Its stderr
 * is passed on, except the last line of a run that never reached its end (it could not start, or
 * was killed): that one becomes the step's error annotation instead of being printed twice.
 */
function runCli(io: ActionIo, inputs: ActionInputs, report: RunReport): Promise<{ code: number; lastError?: string }> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(io.env).filter(([name]) => !name.startsWith('INPUT_')));
  if (inputs.apiKey) env.OPENAI_API_KEY = inputs.apiKey;
  const child = spawn(process.execPath, [io.cliPath, ...cliArguments(inputs)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const show = humanRenderer(io.out, io.err, false);
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const event = report.add(line);
    if (!event) return void io.out.write(`${line}\n`);
    // The wire carries a message whole; the log shows it as the terminal does, as text then its end.
    if (event.type === 'message') show({ type: 'message_delta', text: event.text });
    show(event);
  });
  let pending: string | undefined;
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    if (pending !== undefined) io.err.write(`${pending}\n`);
    pending = line;
  });
  // The runner stops a cancelled job with SIGINT, then SIGTERM: the CLI stops its commands and says so.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward).on('SIGTERM', forward);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      const exit = code ?? 1;
      // Ended without its `done` event (it could not start, or was killed): its last word is why.
      const lastError = report.end
        ? undefined
        : (pending?.replace(/^stepwise: /, '') ?? l10n.t('stepwise ended without a result ({0}).', signal ?? `exit ${exit}`));
      if (pending !== undefined && report.end) io.err.write(`${pending}\n`);
      resolve({ code: exit, lastError });
    });
  });
}
