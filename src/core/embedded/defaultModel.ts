/**
 * The model `--provider embedded` downloads when no --model-file is given: Qwen2.5-Coder 1.5B
 * Instruct, Q4_K_M, from the Qwen team's own GGUF repository. Chosen for the size a laptop can hold
 * beside an editor (1.1 GB on disk, about 1.5 GB of memory at a 32k window), the licence (Apache-2.0;
 * the 3B of the same family is under the Qwen Research licence, which forbids commercial use), its
 * training on code and on the `<tool_call>` format the grammar writes, and a 32,768-token window.
 * Size and SHA-256 as published on the file's page; a download that does not match both is refused.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ModelDownload {
  /** What the user is told they get. */
  label: string;
  licence: string;
  /** Where it is published (a mirror may serve the same file: modelUrl). */
  url: string;
  fileName: string;
  bytes: number;
  sha256: string;
}

export const DEFAULT_MODEL: ModelDownload = {
  label: 'Qwen2.5-Coder 1.5B Instruct Q4_K_M', // l10n-ignore: a model's name
  licence: 'Apache-2.0', // l10n-ignore: a licence's name
  url: 'https://huggingface.co/Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF/resolve/main/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf',
  fileName: 'qwen2.5-coder-1.5b-instruct-q4_k_m.gguf',
  bytes: 1_117_320_768,
  sha256: 'cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046',
};

/**
 * The address to download from: the published one, or the same path on the mirror HF_ENDPOINT
 * names (the variable Hugging Face's own tools read, e.g. for a mirror closer to the user). The
 * size and checksum are checked either way.
 */
export function modelUrl(model: ModelDownload, env: NodeJS.ProcessEnv): string {
  const mirror = env.HF_ENDPOINT?.trim().replace(/\/+$/, '');
  if (!mirror || !/^https?:\/\//.test(mirror)) return model.url;
  const published = new URL(model.url);
  return `${mirror}${published.pathname}`;
}

/** Where a downloaded model is kept: the user's cache, models/. */
export function modelPath(cacheDir: string, model: ModelDownload): string {
  return path.join(cacheDir, 'models', model.fileName);
}

/** The model's file when it is downloaded whole (a download in progress has another name). */
export function downloadedModel(cacheDir: string, model: ModelDownload = DEFAULT_MODEL): string | undefined {
  const file = modelPath(cacheDir, model);
  try {
    return fs.statSync(file).size === model.bytes ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Sizes to download and disk space, in decimal gigabytes as model pages and `df -H` give them. */
export const gigabytes = (bytes: number) => (bytes / 1e9).toFixed(1);

/** "1.1 GB", or "0.5 MB" for a file under a gigabyte. */
export const sizeText = (bytes: number) => (bytes >= 1e9 ? `${gigabytes(bytes)} GB` : `${(bytes / 1e6).toFixed(1)} MB`); // l10n-ignore: units
