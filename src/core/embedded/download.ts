/**
 * A model file downloaded into the cache: into `<file>.part`, resumed from where a cut download
 * stopped (HTTP Range), checked against its published size and SHA-256, and only then renamed to
 * its name, so a file under the final name is always a whole, verified one. The free disk space is
 * checked before the first byte. Redirects are followed (model hubs answer with their CDN's
 * address); the download goes through the user's proxy.
 */
import * as l10n from '@vscode/l10n';
import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { proxyDispatcher } from '../model/proxy';
import { gigabytes, type ModelDownload } from './defaultModel';

export class DownloadError extends Error {
  override name = 'DownloadError';
  constructor(
    message: string,
    readonly kind: 'network' | 'checksum' | 'disk' | 'cancelled',
  ) {
    super(message);
  }
}

export interface DownloadOptions {
  signal: AbortSignal;
  /** Where to download from (modelUrl: the published address or a mirror's). */
  url: string;
  /** Bytes written so far (resumed bytes included) and the whole size. */
  onProgress?: (done: number, total: number) => void;
  /** Free bytes where the file goes (default: the file system's own count). */
  freeBytes?: (dir: string) => Promise<number>;
}

/** Room kept free beyond the file, so the download does not fill the disk to the last byte. */
const DISK_MARGIN = 256 * 1024 ** 2;

export async function downloadModel(model: ModelDownload, file: string, options: DownloadOptions): Promise<void> {
  const part = `${file}.part`;
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  let have = await fs.promises.stat(part).then(
    (s) => s.size,
    () => 0,
  );
  if (have > model.bytes) {
    await fs.promises.rm(part, { force: true });
    have = 0;
  }
  const free = await (options.freeBytes ?? diskFree)(path.dirname(file));
  const needed = model.bytes - have + DISK_MARGIN;
  if (free < needed)
    throw new DownloadError(
      l10n.t(
        '{0} needs {1} GB free in {2}; there are {3} GB. Free some space and try again.',
        model.fileName,
        gigabytes(needed),
        path.dirname(file),
        gigabytes(free),
      ),
      'disk',
    );
  let hash = createHash('sha256');
  if (have > 0) await hashFile(part, hash);
  const response = await request(model, options.url, have, options.signal);
  if (have > 0 && response.status === 200) {
    // The server ignored the range and sends the whole file: start again.
    have = 0;
    hash = createHash('sha256');
  }
  const digest = await receive(response, part, have, hash, model, options);
  await finish(model, file, part, digest, options.signal);
}

async function request(model: ModelDownload, url: string, from: number, signal: AbortSignal): Promise<Response> {
  const dispatcher = proxyDispatcher();
  let response: Response;
  try {
    response = await fetch(url, {
      headers: from > 0 ? { range: `bytes=${from}-` } : {},
      redirect: 'follow',
      signal,
      ...(dispatcher ? { dispatcher } : {}),
    } as RequestInit);
  } catch (error) {
    if (signal.aborted) throw cancelled(model);
    throw new DownloadError(
      l10n.t('Could not reach {0}: {1}. Check the network or proxy, then try again (the download resumes).', hostOf(url), causeOf(error)),
      'network',
    );
  }
  if (response.status === 200 || response.status === 206) return response;
  await response.body?.cancel().catch(() => undefined);
  throw new DownloadError(l10n.t('{0} answered {1} for {2}.', hostOf(url), response.status, model.fileName), 'network');
}

/** Appends the body to the part file, hashing as it goes; returns the hash of the whole file. */
async function receive(response: Response, part: string, from: number, hash: Hash, model: ModelDownload, options: DownloadOptions): Promise<string> {
  const total = model.bytes;
  const out = await fs.promises.open(part, from > 0 ? 'a' : 'w');
  let done = from;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      await out.write(chunk);
      done += chunk.length;
      if (done > total) throw new DownloadError(l10n.t('The download is larger than the {0} bytes published for it.', total), 'checksum');
      options.onProgress?.(done, total);
    }
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    if (options.signal.aborted) throw cancelled(model);
    if ((error as NodeJS.ErrnoException).code === 'ENOSPC')
      throw new DownloadError(l10n.t('The disk is full ({0}). Free some space; the next run resumes the download.', part), 'disk');
    throw new DownloadError(l10n.t('The download was cut ({0}); the next run resumes it.', causeOf(error)), 'network');
  } finally {
    await out.close();
  }
  return hash.digest('hex');
}

async function finish(model: ModelDownload, file: string, part: string, digest: string, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw cancelled(model);
  const size = (await fs.promises.stat(part)).size;
  if (size < model.bytes)
    throw new DownloadError(l10n.t('The download ended early ({0} of {1} bytes); the next run resumes it.', size, model.bytes), 'network');
  if (digest !== model.sha256) {
    await fs.promises.rm(part, { force: true });
    throw new DownloadError(
      l10n.t(
        '{0} does not match its published checksum (SHA-256 {1}, expected {2}): it was damaged or changed on the way, and was deleted. Try again.',
        model.fileName,
        digest.slice(0, 12),
        model.sha256.slice(0, 12),
      ),
      'checksum',
    );
  }
  await fs.promises.rename(part, file);
}

function cancelled(model: ModelDownload): DownloadError {
  return new DownloadError(l10n.t('The download of {0} was stopped; the next run resumes it.', model.fileName), 'cancelled');
}

async function hashFile(file: string, hash: Hash): Promise<void> {
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
}

async function diskFree(dir: string): Promise<number> {
  const stats = await fs.promises.statfs(dir);
  return stats.bavail * stats.bsize;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
