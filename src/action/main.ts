/**
 * The GitHub Action's step (dist/action.js, started by action.yml): checks the inputs, runs
 * `stepwise run --json` beside it on the workspace, shows the run in the log as the CLI would on
 * a terminal, and leaves the job summary and the outputs (status, summary, changed-files, task).
 * The step fails unless the agent finished. The API key reaches the CLI only through its
 * environment, is masked in the log, and is scrubbed from this process's start-up environment
 * as the CLI scrubs its own; the commands the agent runs get neither it nor the runner's tokens.
 */
import * as l10n from '@vscode/l10n';
import { hideSecrets } from '../cli/hideSecrets';
import { useCliLanguage } from '../cli/locale';
import { changedBetween, snapshot } from './changedFiles';
import { checkoutTokenLeft } from './checkoutToken';
import { Cancellation, runCli } from './cliRun';
import { errorLine, maskLine, warningLine, writeOutputs, writeSummary } from './githubFiles';
import { type ActionInputs, InputError, readInputs } from './inputs';
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
  const cancellation = new Cancellation();
  try {
    return await run(io, inputs, cancellation);
  } finally {
    cancellation.dispose();
  }
}

async function run(io: ActionIo, inputs: ActionInputs, cancellation: Cancellation): Promise<number> {
  if (inputs.apiKey) {
    io.out.write(maskLine(inputs.apiKey));
    hideSecrets(inputs.apiKey, 'stepwise action'); // l10n-ignore: a process title
  }
  if (checkoutTokenLeft(inputs.workspace))
    io.out.write(
      warningLine(
        l10n.t(
          "The checkout left the job's token in git's config (.git/config or a file it includes), where a command the agent runs can read it: set `persist-credentials: false` on actions/checkout.",
        ),
      ),
    );
  const before = snapshot(inputs.workspace);
  const report = new RunReport();
  const cli = await runCli(io, inputs, report, cancellation);
  const after = before && snapshot(inputs.workspace);
  const changed = before && after ? changedBetween(before, after) : report.writtenPaths();
  const failure = cli.failure;
  if (failure) io.out.write(errorLine(failure));
  // The summary shows the run's end; the error only when it says something the end does not.
  writeSummary(io.env, jobSummary(inputs.goal, report, changed, failure === report.end?.summary ? undefined : failure));
  writeOutputs(io.env, {
    status: report.end?.status ?? (cancellation.signal ? 'cancelled' : 'failed'),
    summary: report.end?.summary ?? failure ?? '',
    'changed-files': changed.join('\n'),
    task: report.end?.task ?? '',
  });
  return report.end?.status === 'finished' && cli.code === 0 ? 0 : 1;
}

/** A run that could not start: the error line, a summary that says why, outputs that say failed. */
function fail(io: ActionIo, goal: string, message: string): number {
  io.out.write(errorLine(message));
  writeSummary(io.env, jobSummary(goal, new RunReport(), [], message));
  writeOutputs(io.env, { status: 'failed', summary: message, 'changed-files': '', task: '' });
  return 1;
}
