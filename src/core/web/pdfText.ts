/**
 * A fetched PDF as text: the first pages' text through pdf.js, in a worker thread
 * (src/core/web/pdfBundle.ts; dist/pdf.js in the bundles) started for each document and ended
 * when it answers, when the task stops, or after a time cap.
 */
// l10n-ignore-file: the text and its notes are tool results, read by the model
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PdfContent, PdfJob, PdfReply } from './pdfBundle';

/** Pages read at most: a long document's first pages are what a model can use in one result anyway. */
export const PDF_MAX_PAGES = 50;
const TIME_CAP_MS = 30_000;
/**
 * The worker's heap limit does not count the buffers pdf.js decodes streams into (a 1.5 MB file
 * can inflate to gigabytes): the process's memory is watched too, and past this rise the reader
 * is stopped.
 */
const MEMORY_CAP_BYTES = 768 * 1024 * 1024;

export interface PdfReadable {
  title: string;
  text: string;
}

/** The document's text, pages headed; a document that cannot be read says why instead of failing the fetch. */
export async function pdfReadable(bytes: Buffer, options: { truncated: boolean; signal: AbortSignal; memoryCapBytes?: number }): Promise<PdfReadable> {
  if (options.truncated) return { title: '', text: '[a PDF document larger than the size limit: its text cannot be read from a part of it]' };
  let content: PdfContent;
  try {
    content = await inWorker({ bytes: new Uint8Array(bytes), maxPages: PDF_MAX_PAGES }, options.signal, options.memoryCapBytes ?? MEMORY_CAP_BYTES);
  } catch (error) {
    options.signal.throwIfAborted();
    return { title: '', text: `[a PDF document whose text cannot be read: ${(error as Error).message}]` };
  }
  const pages = content.pages.map((text, i) => `--- page ${i + 1} of ${content.totalPages} ---\n${text || '(no text on this page: perhaps scanned)'}`);
  const rest = content.totalPages > content.pages.length ? [`[pages ${content.pages.length + 1}–${content.totalPages} not read]`] : [];
  return { title: content.title.trim(), text: [...pages, ...rest].join('\n\n') };
}

/** dist/pdf.js next to the bundle; from the sources (tests), the TypeScript file through tsx. */
function startWorker(): Worker {
  const limits = { resourceLimits: { maxOldGenerationSizeMb: 512 } };
  if ((globalThis as { STEPWISE_BUNDLED?: boolean }).STEPWISE_BUNDLED) return new Worker(path.join(__dirname, 'pdf.js'), limits);
  const source = JSON.stringify(path.join(__dirname, 'pdfBundle.ts'));
  return new Worker(`require('tsx/cjs'); require(${source});`, { ...limits, eval: true });
}

function inWorker(job: PdfJob, signal: AbortSignal, memoryCap: number): Promise<PdfContent> {
  signal.throwIfAborted();
  const worker = startWorker();
  return new Promise<PdfContent>((resolve, reject) => {
    const baseline = process.memoryUsage.rss();
    const watch = setInterval(() => {
      if (process.memoryUsage.rss() - baseline > memoryCap)
        end(() => reject(new Error(`reading it needs more than ${Math.round(memoryCap / 1024 / 1024)} MB of memory`)));
    }, 50);
    const end = (settle: () => void) => {
      clearInterval(watch);
      clearTimeout(timer);
      signal.removeEventListener('abort', aborted);
      void worker.terminate();
      settle();
    };
    const aborted = () => end(() => reject(signal.reason));
    const timer = setTimeout(() => end(() => reject(new Error(`not read in ${TIME_CAP_MS / 1000} s`))), TIME_CAP_MS);
    signal.addEventListener('abort', aborted, { once: true });
    worker.once('message', (reply: PdfReply) => end(() => ('content' in reply ? resolve(reply.content) : reject(new Error(reply.error)))));
    worker.once('error', (error) => end(() => reject(error)));
    worker.once('exit', (code) => end(() => reject(new Error(`the reader stopped (exit code ${code})`))));
    // A fresh copy (pdfReadable), so its buffer can be handed over rather than copied again.
    worker.postMessage(job, [job.bytes.buffer as ArrayBuffer]);
  });
}
