/**
 * The CLI's run inside the step: `stepwise run --json` beside this file, its events folded into
 * the report and shown as the terminal shows them, its stderr passed on. The runner reads
 * workflow commands (`::add-mask::`, `::warning::`, `::stop-commands::`…) from a step's output, and
 * the model writes part of this one: so the runner's command reading is switched off for the
 * CLI's whole output and back on with a token only this process knows.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as readline from 'node:readline';
import * as l10n from '@vscode/l10n';
import { humanRenderer } from '../cli/render';
import type { ActionIo } from './main';
import { resumeCommandsLine, stopCommandsLine } from './githubFiles';
import { type ActionInputs, cliArguments } from './inputs';
import type { RunReport } from './report';

/** How many of its last stderr lines are kept to say why a run ended without its end. */
const KEPT_LINES = 50;

export interface CliRun {
  code: number;
  /** Why the step fails, in one line: the run's own end, or why it never reached one. */
  failure?: string;
}

/**
 * The one line that says why: the CLI's own last `stepwise: …` line (a bad setup ends with one),
 * else the first line naming an error (a crash's stack starts with it), else the last line.
 */
export function whyItEnded(lines: readonly string[], ending: string): string {
  const own = [...lines].reverse().find((l) => l.startsWith('stepwise: '));
  if (own) return own.slice('stepwise: '.length);
  return lines.find((l) => /^\s*(\w*Error|Error)\b:?/.test(l))?.trim() ?? lines.at(-1) ?? l10n.t('stepwise ended without a result ({0}).', ending);
}

/**
 * The runner stops a cancelled job with SIGINT, then SIGTERM. The step takes them from its start
 * (a signal in the git snapshots must not end it without outputs) and hands them to the CLI,
 * which stops its commands and ends the task as cancelled.
 */
export class Cancellation {
  signal?: NodeJS.Signals;
  forward?: (signal: NodeJS.Signals) => void;
  private readonly take = (signal: NodeJS.Signals) => {
    this.signal ??= signal;
    this.forward?.(signal);
  };

  constructor() {
    process.on('SIGINT', this.take).on('SIGTERM', this.take);
  }

  dispose(): void {
    process.off('SIGINT', this.take).off('SIGTERM', this.take);
  }
}

export function runCli(io: ActionIo, inputs: ActionInputs, report: RunReport, cancellation: Cancellation): Promise<CliRun> {
  if (cancellation.signal) return Promise.resolve({ code: 1, failure: l10n.t('Cancelled before the run started.') });
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(io.env).filter(([name]) => !name.startsWith('INPUT_')));
  if (inputs.apiKey) env.OPENAI_API_KEY = inputs.apiKey;
  const token = randomUUID();
  io.out.write(stopCommandsLine(token));
  const child = spawn(process.execPath, [io.cliPath, ...cliArguments(inputs)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const show = humanRenderer(io.out, io.err, false);
  const lines: string[] = [];
  // The last stderr line waits for what comes next: if nothing does before a failed end, it is the
  // error line, shown once as the step's annotation rather than twice.
  let pending: string | undefined;
  const flush = () => {
    if (pending !== undefined) io.err.write(`${pending}\n`);
    pending = undefined;
  };
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    flush();
    const event = report.add(line);
    if (!event) return void io.out.write(`${line}\n`);
    // The wire carries a message whole; the log shows it as the terminal does, as text then its end.
    if (event.type === 'message') show({ type: 'message_delta', text: event.text });
    show(event);
  });
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    flush();
    pending = line;
    lines.push(line);
    if (lines.length > KEPT_LINES) lines.shift();
  });
  cancellation.forward = (signal) => child.kill(signal);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      cancellation.forward = undefined;
      const exit = code ?? 1;
      const failure = failureOf(report, exit, () => whyItEnded(lines, signal ?? `exit ${exit}`));
      // The CLI's own last line, when it is the failure, is shown once: as the annotation.
      if (!(failure && pending?.endsWith(failure))) flush();
      io.out.write(resumeCommandsLine(token));
      resolve({ code: exit, failure });
    });
  });
}

function failureOf(report: RunReport, exit: number, why: () => string): string | undefined {
  if (!report.end) return why();
  if (report.end.status !== 'finished') return report.end.summary || report.errors.at(-1) || report.end.status;
  return exit === 0 ? undefined : l10n.t('stepwise exited with code {0} after the task ended.', exit);
}
