/**
 * The embedded runtime (node-llama-cpp and this machine's prebuilt llama.cpp binary), installed on
 * first use into the user's cache with npm, so the project's own install, CI and the extension
 * package stay small (README: "The embedded model"). An install goes to a temporary folder and is
 * renamed into place when complete: a cut install is never taken for a finished one, and two
 * processes installing at once both end with the same folder.
 */
import * as l10n from '@vscode/l10n';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { windowsKillArgs } from '../host/processRunner';
import { detectGpu, type GpuKind, platformName, RUNTIME_VERSION, runtimePackages } from './runtimePackages';

export interface Runtime {
  /** node-llama-cpp's entry module, imported by the model process (worker.ts). */
  entry: string;
  dir: string;
  gpu: GpuKind | undefined;
}

export interface RuntimeOptions {
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Told before an install starts and when it is done. */
  say: (line: string) => void;
  platform?: NodeJS.Platform;
  arch?: string;
}

export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

/** Where this machine's runtime lives, and whether it is there. */
export function runtimeLocation(cacheDir: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, arch: string = process.arch) {
  const gpu = detectGpu(env, platform, arch);
  const name = platformName(platform, arch);
  const dir = path.join(cacheDir, 'runtime', `node-llama-cpp-${RUNTIME_VERSION}-${name ?? 'unsupported'}${gpu ? `-${gpu}` : ''}`);
  const packages = runtimePackages(platform, arch, gpu);
  const entry = path.join(dir, 'node_modules', 'node-llama-cpp', 'dist', 'index.js');
  // The binary's package as well as the library: one installed by hand with --omit=optional alone lacks it.
  const binary = packages[1] ? path.join(dir, 'node_modules', packages[1].slice(0, packages[1].lastIndexOf('@')), 'package.json') : entry;
  return { dir, entry, gpu, packages, installed: fs.existsSync(entry) && fs.existsSync(binary) };
}

export async function ensureRuntime(options: RuntimeOptions): Promise<Runtime> {
  const where = runtimeLocation(options.cacheDir, options.env, options.platform, options.arch);
  if (where.installed) return { entry: where.entry, dir: where.dir, gpu: where.gpu };
  if (!where.packages.length)
    throw new RuntimeError(
      l10n.t('The embedded model has no prebuilt runtime for {0}-{1}; use a model server instead (see stepwise doctor).', process.platform, process.arch),
    );
  options.say(
    l10n.t(
      'installing the embedded runtime (node-llama-cpp {0}, about {1} MB{2}) into {3}; this happens once.',
      RUNTIME_VERSION,
      85,
      where.gpu === 'cuda' || where.gpu === 'vulkan' ? l10n.t(', plus the {0} build', where.gpu) : '',
      where.dir,
    ),
  );
  const started = Date.now();
  const temp = `${where.dir}.partial-${randomBytes(4).toString('hex')}`;
  try {
    await removeStale(where.dir);
    await fs.promises.mkdir(temp, { recursive: true });
    // Its own package.json, so npm installs here and never into a project above the cache.
    await fs.promises.writeFile(path.join(temp, 'package.json'), '{"name": "stepwise-embedded-runtime", "private": true}\n'); // l10n-ignore: a file's content
    // npm says nothing while it retries: a slow network, or a proxy whose certificate Node does not know.
    const slow = setTimeout(
      () =>
        options.say(
          l10n.t(
            "npm is still installing: on a slow network this takes a while; behind a proxy with its own certificate, set NODE_EXTRA_CA_CERTS (or npm's cafile).",
          ),
        ),
      30_000,
    );
    await npmInstall(temp, where.packages, options.signal, where.dir).finally(() => clearTimeout(slow));
    if (!fs.existsSync(path.join(temp, 'node_modules', 'node-llama-cpp', 'dist', 'index.js')))
      throw new RuntimeError(l10n.t('npm finished but node-llama-cpp is not in {0}.', temp));
    await fs.promises.rename(temp, where.dir).catch(async (error: NodeJS.ErrnoException) => {
      // Another process finished first: its copy is as good as this one.
      if (runtimeLocation(options.cacheDir, options.env, options.platform, options.arch).installed) return;
      throw error;
    });
  } catch (error) {
    if (error instanceof RuntimeError) throw error;
    // The cache cannot be written (full, read-only, not ours): said as such, not as a crash.
    throw new RuntimeError(l10n.t('The embedded runtime could not be installed in {0}: {1}', where.dir, (error as Error).message));
  } finally {
    await fs.promises.rm(temp, { recursive: true, force: true }).catch(() => undefined);
  }
  options.say(l10n.t('the embedded runtime is installed ({0} s).', Math.round((Date.now() - started) / 1000)));
  return { entry: where.entry, dir: where.dir, gpu: where.gpu };
}

/** How old an unfinished install must be before another run removes it (it may still be running). */
const STALE_MS = 24 * 3600 * 1000;

/**
 * What a cut install left: the folder itself when it is there but incomplete (a manual install
 * that failed), and `.partial-*` folders a killed run could not remove, once they are a day old.
 */
async function removeStale(dir: string): Promise<void> {
  await fs.promises.rm(dir, { recursive: true, force: true });
  const parent = path.dirname(dir);
  const prefix = `${path.basename(dir)}.partial-`;
  for (const name of await fs.promises.readdir(parent).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue;
    const stat = await fs.promises.stat(path.join(parent, name)).catch(() => undefined);
    if (stat && Date.now() - stat.mtimeMs > STALE_MS) await fs.promises.rm(path.join(parent, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

const installs = new Set<ChildProcess>();

/** Ends the npm installs running now (the CLI quitting at once). */
export function killInstalls(): void {
  for (const npm of installs) killTree(npm);
}

function killTree(child: ChildProcess): void {
  if (process.platform === 'win32' && child.pid !== undefined)
    spawnSync('taskkill', windowsKillArgs(child.pid), { windowsHide: true, stdio: 'ignore', timeout: 5000 });
  else child.kill();
}

/** The command a user can run by hand, for the messages. */
export function manualInstallCommand(dir: string, packages: string[]): string {
  // l10n-ignore: a command
  return `npm install --prefix "${dir}" --omit=optional --ignore-scripts -E ${packages.join(' ')}`;
}

/** npm install with no optional dependencies and no install scripts (the binaries are prebuilt). */
function npmInstall(dir: string, packages: string[], signal: AbortSignal, finalDir: string): Promise<void> {
  const args = ['install', '--prefix', dir, '--omit=optional', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', '-E', ...packages];
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new RuntimeError(l10n.t('The runtime install was cancelled.')));
    // npm is a .cmd script on Windows, which only a shell runs: each argument is quoted for cmd.exe there (untested: Linux only here).
    const windows = process.platform === 'win32';
    const npm = spawn(windows ? 'npm.cmd' : 'npm', windows ? args.map(quoteForCmd) : args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      shell: windows,
      windowsHide: true,
    });
    installs.add(npm);
    npm.on('close', () => installs.delete(npm));
    let stderr = '';
    npm.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
    const onAbort = () => killTree(npm);
    signal.addEventListener('abort', onAbort, { once: true });
    npm.on('error', (error: NodeJS.ErrnoException) => {
      signal.removeEventListener('abort', onAbort);
      reject(
        new RuntimeError(
          error.code === 'ENOENT'
            ? l10n.t(
                'npm was not found; the embedded runtime is installed with it. Install Node.js with npm, or run: {0}',
                manualInstallCommand(finalDir, packages),
              )
            : error.message,
        ),
      );
    });
    npm.on('close', (code) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) return reject(new RuntimeError(l10n.t('The runtime install was cancelled.')));
      if (code === 0) return resolve();
      const last = stderr.trim().split('\n').slice(-3).join(' ');
      reject(
        new RuntimeError(
          l10n.t(
            'Installing the embedded runtime failed (npm exit {0}): {1}. Check the network and npm configuration, or run: {2}',
            code ?? 'signal',
            last || l10n.t('no message'),
            manualInstallCommand(finalDir, packages),
          ),
        ),
      );
    });
  });
}

/** An argument for cmd.exe: in double quotes, a quote doubled (a cache path with a space stays one argument; a % in it would still be read by cmd.exe). */
export function quoteForCmd(arg: string): string {
  return `"${arg.replace(/"/g, '""')}"`;
}
