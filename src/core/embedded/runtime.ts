/**
 * The embedded runtime (node-llama-cpp and this machine's prebuilt llama.cpp binary), installed on
 * first use into the user's cache with npm, so the project's own install, CI and the extension
 * package stay small (README: "The embedded model"). An install goes to a temporary folder and is
 * renamed into place when complete: a cut install is never taken for a finished one, and two
 * processes installing at once both end with the same folder.
 */
import * as l10n from '@vscode/l10n';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
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
    await fs.promises.mkdir(temp, { recursive: true });
    // Its own package.json, so npm installs here and never into a project above the cache.
    await fs.promises.writeFile(path.join(temp, 'package.json'), '{"name": "stepwise-embedded-runtime", "private": true}\n'); // l10n-ignore: a file's content
    await npmInstall(temp, where.packages, options.signal, where.dir);
    if (!fs.existsSync(path.join(temp, 'node_modules', 'node-llama-cpp', 'dist', 'index.js')))
      throw new RuntimeError(l10n.t('npm finished but node-llama-cpp is not in {0}.', temp));
    await fs.promises.rename(temp, where.dir).catch((error: NodeJS.ErrnoException) => {
      // Another process finished first: its copy is as good as this one.
      if (!runtimeLocation(options.cacheDir, options.env, options.platform, options.arch).installed) throw error;
    });
  } finally {
    await fs.promises.rm(temp, { recursive: true, force: true });
  }
  options.say(l10n.t('the embedded runtime is installed ({0} s).', Math.round((Date.now() - started) / 1000)));
  return { entry: where.entry, dir: where.dir, gpu: where.gpu };
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
    const npm = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { stdio: ['ignore', 'ignore', 'pipe'], shell: process.platform === 'win32' });
    let stderr = '';
    npm.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
    const onAbort = () => npm.kill();
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
