/**
 * The embedded model in VS Code (`stepwise.provider: embedded`): the runtime installed and the
 * default model downloaded on first use, each with a cancellable progress notification (the
 * download only after a modal names its size), then the model loaded in its own process
 * (src/core/embedded/modelProcess.ts) and kept for the next goal — given back after ten idle minutes,
 * when another file is chosen, or when the extension stops.
 */
import * as l10n from '@vscode/l10n';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { userCacheDir } from '../core/embedded/cacheDir';
import { DEFAULT_MODEL, downloadedModel, gigabytes, modelPath, modelUrl } from '../core/embedded/defaultModel';
import { DownloadError, downloadModel } from '../core/embedded/download';
import { EmbeddedClient } from '../core/embedded/embeddedClient';
import { checkModelFile, ModelFileError } from '../core/embedded/modelFile';
import { type Loaded, ModelProcess, ModelProcessError } from '../core/embedded/modelProcess';
import { ensureRuntime, RuntimeError, runtimeLocation } from '../core/embedded/runtime';
import type { ModelClient } from '../core/model/client';
import { ModelError } from '../core/model/errors';
import { DEFAULT_CONTEXT_TOKENS } from '../core/model/modelProfile';
import { WORKSPACE_MODEL_KEY } from './settings';

/** The model process's script, beside this bundle in dist/. */
export const EMBEDDED_WORKER = path.join(__dirname, 'embedded.js');

const IDLE_MS = 10 * 60_000;

export interface EmbeddedModel {
  client: ModelClient;
  file: string;
  loaded: Loaded;
}

export class EmbeddedModels implements vscode.Disposable {
  private held: { file: string; window: number; process: ModelProcess; loaded: Loaded } | undefined;
  private active = 0;
  private idle: NodeJS.Timeout | undefined;

  /** The model for a goal: `modelFile` ('' for the default one), loaded or reused. */
  async model(modelFile: string, contextWindow: number | undefined, log: vscode.LogOutputChannel, signal: AbortSignal): Promise<EmbeddedModel> {
    try {
      const cacheDir = userCacheDir(process.env);
      if (modelFile) await checkModelFile(resolveHome(modelFile));
      const where = runtimeLocation(cacheDir, process.env);
      const runtime = where.installed
        ? where
        : await inProgress(l10n.t('Stepwise: installing the embedded runtime (about 85 MB, once)…'), signal, (s) =>
            ensureRuntime({ cacheDir, env: process.env, signal: s, say: (line) => log.info(line) }),
          );
      // The user's file was checked before anything was installed; the downloaded one is checked now.
      const file = modelFile ? resolveHome(modelFile) : await defaultModel(cacheDir, signal);
      if (!modelFile) await checkModelFile(file);
      const held = await this.load(file, contextWindow ?? DEFAULT_CONTEXT_TOKENS, runtime.entry, signal);
      log.info(`Embedded model ${file}: ${held.loaded.gpu || 'CPU'}, context ${held.loaded.contextTokens} tokens, loaded in ${held.loaded.loadMs} ms.`); // l10n-ignore: log line
      return { client: this.tracked(new EmbeddedClient(held.process, file)), file, loaded: held.loaded };
    } catch (error) {
      throw asModelError(error, signal);
    }
  }

  dispose(): void {
    clearTimeout(this.idle);
    this.held?.process.dispose();
    this.held = undefined;
  }

  private async load(file: string, window: number, entry: string, signal: AbortSignal) {
    const held = this.held;
    if (held && held.file === file && held.window === window && held.process.alive) return held;
    this.dispose();
    const { process: proc, loaded } = await inProgress(l10n.t('Stepwise: loading the embedded model {0}…', path.basename(file)), signal, (s) =>
      ModelProcess.load(
        { workerPath: EMBEDDED_WORKER, runtimeEntry: entry, modelFile: file, maxContextTokens: window, gpu: true, threads: os.availableParallelism() },
        s,
      ),
    );
    this.held = { file, window, process: proc, loaded };
    return this.held;
  }

  /** The client, counted while it answers: the idle clock runs only between answers. */
  private tracked(inner: EmbeddedClient): ModelClient {
    const self = this;
    return {
      model: inner.model,
      async *stream(request, signal) {
        self.active++;
        clearTimeout(self.idle);
        try {
          yield* inner.stream(request, signal);
        } finally {
          if (--self.active === 0) self.idle = setTimeout(() => self.active === 0 && self.dispose(), IDLE_MS);
        }
      },
    };
  }
}

/**
 * The embedded model chosen (the setup card, Select Model): machine-wide, like every choice of
 * where inference runs; the next goal installs and downloads what it needs, after asking.
 */
export async function chooseEmbedded(choices: vscode.Memento, log: vscode.LogOutputChannel): Promise<void> {
  await vscode.workspace.getConfiguration('stepwise').update('provider', 'embedded', vscode.ConfigurationTarget.Global);
  await choices.update(WORKSPACE_MODEL_KEY, undefined);
  log.info('Using the embedded model.'); // l10n-ignore: log line
  const have = downloadedModel(userCacheDir(process.env));
  void vscode.window.showInformationMessage(
    have
      ? l10n.t('Stepwise will run the embedded model, {0}, on this machine.', DEFAULT_MODEL.label)
      : l10n.t(
          'Stepwise will run the embedded model on this machine. The next goal asks before downloading {0} ({1} GB, once).',
          DEFAULT_MODEL.label,
          gigabytes(DEFAULT_MODEL.bytes),
        ),
  );
}

/** The default model's file, downloaded after the user says yes. */
async function defaultModel(cacheDir: string, signal: AbortSignal): Promise<string> {
  const have = downloadedModel(cacheDir);
  if (have) return have;
  const file = modelPath(cacheDir, DEFAULT_MODEL);
  const go = l10n.t('Download');
  const answer = await vscode.window.showInformationMessage(
    l10n.t('Download the embedded model?'),
    {
      modal: true,
      detail: l10n.t(
        '{0} ({1} GB, licence {2}) is downloaded once into {3} and runs on this machine: nothing you work on leaves it. Or set stepwise.embedded.modelFile to a GGUF file you have.',
        DEFAULT_MODEL.label,
        gigabytes(DEFAULT_MODEL.bytes),
        DEFAULT_MODEL.licence,
        path.dirname(file),
      ),
    },
    go,
  );
  if (answer !== go)
    throw new ModelError(
      'model_not_found',
      l10n.t('The embedded model was not downloaded. Set stepwise.embedded.modelFile to a GGUF file, or choose another way in the Stepwise sidebar.'),
    );
  await inProgress(l10n.t('Stepwise: downloading {0}', DEFAULT_MODEL.fileName), signal, (s, report) =>
    downloadModel(DEFAULT_MODEL, file, { signal: s, url: modelUrl(DEFAULT_MODEL, process.env), onProgress: report }),
  );
  return file;
}

/** Work under a cancellable notification, stopped by the goal's stop as well; `report` shows a share done. */
function inProgress<T>(
  title: string,
  signal: AbortSignal,
  work: (signal: AbortSignal, report: (done: number, total: number) => void) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const cancel = token.onCancellationRequested(onAbort);
    let shown = 0;
    const report = (done: number, total: number) => {
      const percent = Math.floor((done / total) * 100);
      if (percent <= shown) return;
      progress.report({ increment: percent - shown, message: l10n.t('{0}% of {1} GB', percent, gigabytes(total)) });
      shown = percent;
    };
    return work(stop.signal, report).finally(() => {
      cancel.dispose();
      signal.removeEventListener('abort', onAbort);
    });
  });
}

function resolveHome(file: string): string {
  return path.resolve(file.startsWith('~/') ? path.join(os.homedir(), file.slice(2)) : file);
}

/** What went wrong, as the setup card and the error message show it. */
function asModelError(error: unknown, signal: AbortSignal): unknown {
  if (error instanceof ModelError) return error;
  const cancelled = signal.aborted || (error instanceof ModelProcessError && error.cancelled) || (error instanceof DownloadError && error.kind === 'cancelled');
  if (cancelled) return new ModelError('cancelled', l10n.t('Cancelled.'));
  if (error instanceof RuntimeError || error instanceof ModelFileError || error instanceof ModelProcessError || error instanceof DownloadError)
    return new ModelError('model_not_found', error.message);
  return error;
}
