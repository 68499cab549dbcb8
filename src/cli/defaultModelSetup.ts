/**
 * The embedded model when no --model-file is given: Stepwise's default (src/core/embedded/defaultModel.ts),
 * downloaded into the user's cache once — after a question on a terminal; without one, because
 * `--provider embedded` asked for it. When no server is found at all, a terminal is offered the
 * embedded model (its download size named); without a terminal the message names the flag.
 */
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import { userCacheDir } from '../core/embedded/cacheDir';
import { DEFAULT_MODEL, downloadedModel, gigabytes, modelPath, modelUrl } from '../core/embedded/defaultModel';
import { DownloadError, downloadModel } from '../core/embedded/download';
import type { Probe } from '../core/model/discovery';
import type { TerminalInput } from './terminalInput';
import { downloadProgress } from './downloadProgress';
import { EXIT_CONFIG } from './prepare';
import { noServerMessage } from './serverChoice';

const RUNTIME_MB = 85;

/** The default model's file, when it is downloaded whole. */
export function downloadedDefault(env: NodeJS.ProcessEnv): string | undefined {
  return downloadedModel(userCacheDir(env));
}

function described(): string {
  return l10n.t('{0} ({1} GB, licence {2})', DEFAULT_MODEL.label, gigabytes(DEFAULT_MODEL.bytes), DEFAULT_MODEL.licence);
}

/**
 * The default model's path, downloaded if need be; a number is the exit code when it is not there
 * (declined: 2; stopped: 1; failed: 2, with the reason said).
 */
export async function defaultModelFile(
  say: (m: string) => void,
  terminal: TerminalInput | undefined,
  signal: AbortSignal,
  consented: boolean,
): Promise<string | number> {
  const have = downloadedDefault(process.env);
  if (have) return have;
  const file = modelPath(userCacheDir(process.env), DEFAULT_MODEL);
  if (terminal && !consented) {
    const question = l10n.t(
      'Download the embedded model, {0}, into {1}? It is downloaded once and runs on this machine. (Y/n) ',
      described(),
      path.dirname(file),
    );
    const answer = await terminal.ask(process.stderr, question, signal).catch(() => 'n');
    if (!/^(y|yes|)$/i.test(answer.trim())) {
      say(l10n.t('nothing downloaded; pass --model-file PATH to run a GGUF file you have.'));
      return EXIT_CONFIG;
    }
  } else if (!consented)
    say(l10n.t('downloading the embedded model, {0}, into {1} (once; Ctrl+C stops it, the next run resumes).', described(), path.dirname(file)));
  const progress = downloadProgress(process.stderr, DEFAULT_MODEL.fileName);
  try {
    await downloadModel(DEFAULT_MODEL, file, { signal, url: modelUrl(DEFAULT_MODEL, process.env), onProgress: progress.update });
    progress.end();
    return file;
  } catch (error) {
    progress.end();
    if (!(error instanceof DownloadError)) throw error;
    say(error.message);
    return error.kind === 'cancelled' ? 1 : EXIT_CONFIG;
  }
}

/**
 * No server found: the embedded model if it was downloaded before; else, on a terminal, the offer
 * of it; else the message with the ways on, --provider embedded among them. undefined: go on with
 * the embedded model (`file` set when it is already there).
 */
export async function noServerFound(
  probes: readonly Probe[],
  say: (m: string) => void,
  terminal: TerminalInput | undefined,
  signal: AbortSignal,
): Promise<{ file: string | undefined } | number> {
  const have = downloadedDefault(process.env);
  if (have) {
    say(l10n.t('no model server found; using the embedded model downloaded earlier ({0}).', DEFAULT_MODEL.label));
    return { file: have };
  }
  if (!terminal) {
    // One line, as every configuration error without a terminal.
    const embedded = l10n.t(
      'Or run a model inside Stepwise, with nothing else installed: --provider embedded (downloads {0} and its runtime, {1} MB, once).',
      described(),
      RUNTIME_MB,
    );
    say(`${noServerMessage(probes)} ${embedded}`);
    return EXIT_CONFIG;
  }
  say(noServerMessage(probes));
  const question = l10n.t(
    'Run the embedded model instead? Stepwise downloads {0} and its runtime ({1} MB) once, into {2}, and runs them on this machine. (y/N) ',
    described(),
    RUNTIME_MB,
    userCacheDir(process.env),
  );
  const answer = await terminal.ask(process.stderr, question, signal).catch(() => 'n');
  return /^(y|yes)$/i.test(answer.trim()) ? { file: undefined } : EXIT_CONFIG;
}
