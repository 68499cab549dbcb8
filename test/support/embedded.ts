/** The embedded provider's test models and a CLI run that can be watched and interrupted. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, cliEnv, NETWORK_ENV } from './cli';
import { type Leaning, writeTinyGguf } from './tinyGguf';

/** After a line break "<" (the call starts at once), then "t" of <tool_call>. */
const CALL_AT_ONCE: Leaning = { '<0x0A>': '<', '<': 't' };

export const MODELS = {
  /** Calls list_files with no arguments, every time: a task that runs until its step limit. */
  lister: { ...CALL_AT_ONCE, '{': '}', '"': 'l', '▁"': 'l', l: '"' },
  /** Calls finish with the summary "f". */
  finisher: { ...CALL_AT_ONCE, '"': 'f', '▁"': 'f', f: '"' },
  /** Random weights only: its reasoning never reaches a call, so it talks until stopped. */
  talker: {},
} satisfies Record<string, Leaning>;

export function writeModels(dir: string): Record<keyof typeof MODELS, string> {
  const files = {} as Record<keyof typeof MODELS, string>;
  for (const [name, leaning] of Object.entries(MODELS)) {
    const file = path.join(dir, `${name}.gguf`);
    writeTinyGguf(file, leaning);
    files[name as keyof typeof MODELS] = file;
  }
  return files;
}

export interface WatchedRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the output so far matches. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<void>;
  exit: Promise<number | null>;
}

/** The CLI without a terminal, its output watched as it comes. */
export function watchCli(args: string[], env: Record<string, string> = {}): WatchedRun {
  const child = spawn(process.execPath, [CLI, ...args], { env: cliEnv({ ...NETWORK_ENV, ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  const waiters: (() => void)[] = [];
  const check = () => {
    for (const w of [...waiters]) w();
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => ((out.stdout += d), check()));
  child.stderr.setEncoding('utf8').on('data', (d: string) => ((out.stderr += d), check()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => (check(), resolve(code))));
  return {
    child,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exit,
    waitFor: (stream, pattern) =>
      new Promise((resolve, reject) => {
        const w = () => {
          if (pattern.test(out[stream])) {
            waiters.splice(waiters.indexOf(w), 1);
            resolve();
          } else if (child.exitCode !== null) {
            waiters.splice(waiters.indexOf(w), 1);
            reject(new Error(`exited before ${pattern} on ${stream}:\n${out.stderr}`));
          }
        };
        waiters.push(w);
        w();
      }),
  };
}

/** The model processes (dist/embedded.js) the CLI with this pid has started and are running. */
export function modelProcessesOf(cliPid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(cliPid), '-f', 'dist/embedded.js'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** The CLI's model process, once it has started (polled: it is forked a moment after the line that says so). */
export async function modelProcessOf(cli: WatchedRun): Promise<number> {
  for (;;) {
    const [pid] = modelProcessesOf(cli.child.pid!);
    if (pid) return pid;
    if (cli.child.exitCode !== null) throw new Error(`the CLI ended before its model process started:\n${cli.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
