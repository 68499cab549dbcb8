/**
 * Runs a step of the GitHub Action (action.yml) as a runner would: its `env:` block filled in
 * from the inputs given (or their defaults), its script run by `bash --noprofile --norc -eo
 * pipefail` from a file, with $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY as files to read back.
 * `runActionStep` runs "Run the goal" with the CLI from this checkout's dist/ (or `cliDir`);
 * the npm package's test runs "Install the Stepwise CLI" too, from the packed tarball.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { cliEnv } from './cli';

export const ACTION_FILE = path.resolve(__dirname, '../../action.yml');

interface ActionStep {
  id?: string;
  name?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}

export interface ActionManifest {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export function actionManifest(): ActionManifest {
  return parse(fs.readFileSync(ACTION_FILE, 'utf8')) as ActionManifest;
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/**
 * Fills in an `env:` value: `${{ inputs.NAME }}`, `${{ github.workspace }}` and the install
 * step's `dir`. Any other expression is a test failure (the step would depend on something not modelled here).
 */
function fill(value: string, inputs: Record<string, string>, context: { workspace: string; cliDir: string }, manifest: ActionManifest): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_whole, expression: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expression);
    if (input) {
      const declared = manifest.inputs[input[1]!];
      if (!declared) throw new Error(`action.yml reads an undeclared input: ${input[1]}`);
      return inputs[input[1]!] ?? fill(declared.default ?? '', inputs, context, manifest);
    }
    if (expression === 'github.workspace') return context.workspace;
    if (expression === 'steps.install.outputs.dir') return context.cliDir;
    throw new Error(`the test does not model \${{ ${expression} }}`);
  });
}

/** The step's outputs file: `name<<DELIMITER` … `DELIMITER` blocks (and plain `name=value` lines). */
export function readOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]!);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end < 0) throw new Error(`output ${heredoc[1]} is never closed`);
      if (Object.hasOwn(outputs, heredoc[1]!)) throw new Error(`output ${heredoc[1]} is written twice`);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i]!.includes('=')) {
      const [name, ...rest] = lines[i]!.split('=');
      outputs[name!] = rest.join('=');
    }
  }
  return outputs;
}

export interface StepOptions {
  workspace: string;
  /** The install step's `dir` output: where dist/action.js and dist/cli.js are (default: this checkout). */
  cliDir?: string;
  env?: Record<string, string>;
  /** $RUNNER_TEMP, kept after the step (default: a scratch folder removed after it). */
  runnerTemp?: string;
  /** Called with the step's process once started (a test may signal it, as a runner cancelling the job). */
  onStart?: (step: import('node:child_process').ChildProcess) => void;
}

/**
 * The workflow commands the runner would act on in a step's output: each `::name …::value` line
 * (leading blanks ignored), except while `::stop-commands::TOKEN` is in force — until a line
 * `::TOKEN::` — as the runner does. The stop and resume lines themselves are left out.
 */
export function runnerCommands(output: string): string[] {
  const acted: string[] = [];
  let stopped: string | undefined;
  for (const line of output.split('\n').map((l) => l.trim())) {
    const command = /^::([^\s:]+)[^:]*::(.*)$/.exec(line);
    if (!command) continue;
    if (stopped !== undefined) {
      if (command[1] === stopped && command[2] === '') stopped = undefined;
      continue;
    }
    if (command[1] === 'stop-commands') stopped = command[2];
    else acted.push(line);
  }
  return acted;
}

export function runActionStep(inputs: Record<string, string>, options: StepOptions): Promise<ActionRun> {
  return runStep('run', inputs, options);
}

export function runStep(id: string, inputs: Record<string, string>, options: StepOptions): Promise<ActionRun> {
  const manifest = actionManifest();
  const step = manifest.runs.steps.find((s) => s.id === id);
  if (!step?.run || step.shell !== 'bash') throw new Error(`action.yml has no bash step with id "${id}"`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-action-'));
  const files = { script: path.join(scratch, 'step.sh'), output: path.join(scratch, 'output'), summary: path.join(scratch, 'summary.md') };
  fs.writeFileSync(files.script, step.run);
  fs.writeFileSync(files.output, '');
  fs.writeFileSync(files.summary, '');
  const context = { workspace: options.workspace, cliDir: options.cliDir ?? path.resolve(__dirname, '../..') };
  const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, fill(value, inputs, context, manifest)]));
  const env = cliEnv({
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION_PATH: path.dirname(ACTION_FILE),
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: options.runnerTemp ?? scratch,
    ...options.env,
    ...stepEnv,
  });
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', files.script], { env, cwd: options.workspace, stdio: ['ignore', 'pipe', 'pipe'] });
    options.onStart?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => {
      const result = { code, stdout, stderr, outputs: readOutputs(fs.readFileSync(files.output, 'utf8')), summary: fs.readFileSync(files.summary, 'utf8') };
      fs.rmSync(scratch, { recursive: true, force: true });
      resolve(result);
    });
  });
}
