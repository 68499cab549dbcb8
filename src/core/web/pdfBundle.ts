/**
 * PDF text extraction, run in a worker thread of its own (src/core/web/pdfText.ts starts it) and
 * built as its own file (dist/pdf.js, about 1.6 MB of pdf.js), so neither start-up pays for it.
 * The worker keeps pdf.js's globals (it sets `navigator`, which VS Code's extension host forbids)
 * out of the host, a hostile document off its thread, and a stuck one can be terminated.
 */
import { parentPort } from 'node:worker_threads';
import { getDocumentProxy, getMeta } from 'unpdf';

export interface PdfContent {
  title: string;
  /** Text of the pages read, one block per page. */
  pages: string[];
  totalPages: number;
}

export interface PdfJob {
  bytes: Uint8Array;
  maxPages: number;
}

export type PdfReply = { content: PdfContent } | { error: string };

/** The text of the first `maxPages` pages. */
export async function extractPdf({ bytes, maxPages }: PdfJob): Promise<PdfContent> {
  // No fonts or scripts are fetched or run: text only. Verbosity 0: pdf.js's warnings would go to
  // console.log, which is the CLI's --json stdout.
  const document = await getDocumentProxy(bytes, { isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 });
  try {
    const meta = await getMeta(document).catch(() => ({ info: {} as Record<string, unknown> }));
    const title = typeof meta.info.Title === 'string' ? meta.info.Title : '';
    const pages: string[] = [];
    const last = Math.min(document.numPages, maxPages);
    for (let n = 1; n <= last; n++) {
      const content = await (await document.getPage(n)).getTextContent();
      pages.push(pageText(content.items));
    }
    return { title, pages, totalPages: document.numPages };
  } finally {
    await document.destroy();
  }
}

/** A page's text items as lines: pdf.js marks where a line ends. */
function pageText(items: readonly object[]): string {
  let text = '';
  for (const item of items) if ('str' in item) text += String(item.str) + ('hasEOL' in item && item.hasEOL ? '\n' : '');
  return text
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .trim();
}

// As a worker: one job, one reply.
parentPort?.once('message', (job: PdfJob) => {
  extractPdf(job).then(
    (content) => parentPort?.postMessage({ content } satisfies PdfReply),
    (error: unknown) => parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies PdfReply),
  );
});
