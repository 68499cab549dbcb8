/**
 * The embedded model's setup checks (`stepwise doctor --provider embedded`, Stepwise: Check Setup):
 * the runtime, the GPU it would use, the model file — a default model not yet downloaded fails, it
 * cannot run — and, when probing, the model loaded once in its process.
 */
import * as l10n from '@vscode/l10n';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { userCacheDir } from '../embedded/cacheDir';
import { DEFAULT_MODEL, downloadedModel, gigabytes, sizeText } from '../embedded/defaultModel';
import { checkModelFile, ModelFileError } from '../embedded/modelFile';
import { ModelProcess, ModelProcessError } from '../embedded/modelProcess';
import { runtimeLocation } from '../embedded/runtime';
import { RUNTIME_VERSION } from '../embedded/runtimePackages';
import { fix } from '../model/fixWords';
import type { CheckLine } from './checkLine';

export interface EmbeddedTarget {
  /** The user's GGUF file; undefined: the default model. */
  modelFile: string | undefined;
  probe: boolean;
  env: NodeJS.ProcessEnv;
  /** The built model process (dist/embedded.js). */
  workerPath: string;
}

export async function embeddedLines(target: EmbeddedTarget, signal: AbortSignal): Promise<CheckLine[]> {
  const { modelFile, probe, env } = target;
  const what = l10n.t('embedded');
  const runtime = runtimeLocation(userCacheDir(env), env);
  const lines: CheckLine[] = [runtimeLine(runtime, env)];
  lines.push({
    status: 'info',
    what: l10n.t('GPU'),
    detail: runtime.gpu
      ? l10n.t('{0} (the GPU build is installed with the runtime; CPU if it cannot start)', runtime.gpu)
      : l10n.t('none found: the CPU build (STEPWISE_EMBEDDED_GPU=cuda|vulkan chooses one)'),
  });
  const file = modelFile === undefined ? downloadedModel(userCacheDir(env)) : path.resolve(modelFile);
  if (!file) {
    lines.push({
      status: 'fail',
      what,
      detail: l10n.t('the model {0} is not downloaded ({1} GB)', DEFAULT_MODEL.label, gigabytes(DEFAULT_MODEL.bytes)),
      next: fix('getEmbeddedModel'),
    });
    return lines;
  }
  try {
    const facts = await checkModelFile(file);
    lines.push({ status: 'ok', what, detail: `${file} (${sizeText(facts.bytes)})` });
  } catch (error) {
    if (!(error instanceof ModelFileError)) throw error;
    lines.push({ status: 'fail', what, detail: error.message, next: fix('otherModelFile') });
    return lines;
  }
  if (probe && runtime.installed) lines.push(await loadLine(target.workerPath, runtime.entry, file, signal));
  return lines;
}

function runtimeLine(runtime: ReturnType<typeof runtimeLocation>, env: NodeJS.ProcessEnv): CheckLine {
  const what = l10n.t('runtime');
  if (runtime.installed) return { status: 'ok', what, detail: l10n.t('node-llama-cpp {0} in {1}', RUNTIME_VERSION, runtime.dir) };
  if (!runtime.packages.length)
    return { status: 'fail', what, detail: l10n.t('no prebuilt runtime for {0}-{1}', process.platform, process.arch), next: l10n.t('use a model server') };
  const npm = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['--version'], {
    env,
    encoding: 'utf8',
    shell: process.platform === 'win32',
    timeout: 15_000,
  });
  if (npm.status !== 0)
    return { status: 'fail', what, detail: l10n.t('not installed, and npm, which installs it, was not found'), next: l10n.t('install Node.js with npm') };
  return {
    status: 'info',
    what,
    detail: l10n.t('not installed yet: the first run installs node-llama-cpp {0} with npm (about 85 MB) into {1}', RUNTIME_VERSION, runtime.dir),
  };
}

/** The model loaded once, as `run` would: what it runs on and with which window. */
async function loadLine(workerPath: string, entry: string, file: string, signal: AbortSignal): Promise<CheckLine> {
  const what = l10n.t('loads');
  try {
    const { process: proc, loaded } = await ModelProcess.load(
      {
        workerPath: path.join(__dirname, 'embedded.js'),
        runtimeEntry: entry,
        modelFile: file,
        maxContextTokens: 32_768,
        gpu: true,
        threads: os.availableParallelism(),
      },
      signal,
    );
    proc.dispose();
    return {
      status: 'ok',
      what,
      detail: l10n.t(
        'in {0} s on {1}, context {2} tokens, {3} MB of memory',
        (loaded.loadMs / 1000).toFixed(1),
        loaded.gpu ? loaded.gpu : l10n.t('the CPU'),
        loaded.contextTokens,
        Math.round(loaded.rssBytes / 1024 ** 2),
      ),
    };
  } catch (error) {
    if (!(error instanceof ModelProcessError)) throw error;
    return { status: 'fail', what, detail: error.message, next: fix('otherModelFile') };
  }
}
