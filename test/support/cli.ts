/** Spawns the built CLI (dist/cli.js) as a user would, without a terminal unless asked. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startScriptedServer, type Script } from './scriptedServer';
import { makeWorkspace, removeWorkspace } from './workspace';

export const CLI = path.resolve(__dirname, '../../dist/cli.js');
/** The CLI's state folder in tests: never the developer's own. */
export const TEST_STATE = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-state-'));
/**
 * The user cache in tests (the embedded runtime, models): shared by the test runs of one checkout,
 * so the runtime is installed once, and never the developer's own.
 */
export const TEST_CACHE = path.resolve(__dirname, '../../node_modules/.cache/stepwise-test');
/** The user config folder in tests: empty unless a test writes one. */
export const TEST_CONFIG = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-config-'));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The CLI's environment in tests: the test folders for state, config and cache, never the developer's own, plus `extra`. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    XDG_STATE_HOME: TEST_STATE,
    XDG_CONFIG_HOME: TEST_CONFIG,
    XDG_CACHE_HOME: TEST_CACHE,
    ...extra,
  };
}

/**
 * How this machine reaches the network (its CA certificates, proxy, npm settings), for the runs
 * that may install the embedded runtime with npm as a user's would: without them npm retries each
 * request for a minute where a proxy re-signs TLS.
 */
export const NETWORK_ENV: Record<string, string> = Object.fromEntries(
  Object.entries(process.env).filter(
    (e): e is [string, string] =>
      e[1] !== undefined &&
      /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|https?_proxy|no_proxy|npm_config_(registry|cafile|ca|strict_ssl|proxy|https_proxy|noproxy|userconfig))$/i.test(
        e[0],
      ),
  ),
);

/** Runs the CLI without a terminal (stdin closed). */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], {
      env: cliEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/**
 * Runs the CLI on a real pseudo-terminal (util-linux `script`), answering each approval prompt
 * with the next of `answers` as it appears (a step's "Allow?" or the budget's "Continue…?").
 */
export function runCliOnTerminal(args: string[], answers: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      env: cliEnv({ TERM: 'dumb', NO_COLOR: '1', ...env }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let prompts = 0;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const seen = stdout.split(/Allow\? |Continue for another budget's worth\? |\(y\/N\) /).length - 1;
      while (prompts < seen) {
        prompts++;
        child.stdin.write(`${answers.shift() ?? 'n'}\n`);
      }
    });
    // A terminal ends lines with CRLF.
    child.on('close', (code) => resolve({ code, stdout: stdout.replace(/\r\n/g, '\n'), stderr: '', ms: Date.now() - started }));
  });
}

/**
 * A scripted model server and a workspace for one CLI test; both are closed through `cleanups`.
 * `base` starts `stepwise run` on them.
 */
export async function scriptedRun(script: Script, files: Record<string, string>, cleanups: (() => unknown)[]) {
  const server = await startScriptedServer(script);
  const root = makeWorkspace(files);
  cleanups.push(
    () => server.close(),
    () => removeWorkspace(root),
  );
  return { server, root, base: ['run', '--workspace', root, '--base-url', server.url, '--model', 'scripted-model'] };
}

/** The JSON events of a `--json` run, in order. */
export function jsonEvents(stdout: string): any[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}
