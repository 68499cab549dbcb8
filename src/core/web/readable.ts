/**
 * A fetched page as text the model can read: HTML reduced to its article by Readability (the
 * whole body when it finds none) and written as Markdown by Turndown, scripts, styles and other
 * non-content dropped; JSON pretty-printed; a PDF's text by pdf.js; other text as it is. Nothing of the page runs:
 * linkedom only parses.
 */
// l10n-ignore-file: the page text and its notes are tool results, read by the model
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import TurndownService from 'turndown';
import type { FetchedPage } from './fetchPage';
import { pdfReadable } from './pdfText';

export interface ReadablePage {
  title: string;
  text: string;
}

const DROPPED = ['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'canvas', 'form'] as const;

export async function readablePage(page: FetchedPage, signal: AbortSignal): Promise<ReadablePage> {
  const type = page.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const raw = page.body.toString('utf8');
  if (type === 'text/html' || type === 'application/xhtml+xml' || (!type && /^\s*<(!doctype html|html)/i.test(raw))) return fromHtml(raw);
  if (type === 'application/json' || type.endsWith('+json')) return { title: '', text: prettyJson(raw) };
  if (type.startsWith('text/') || type === 'application/xml' || type.endsWith('+xml')) return { title: '', text: raw };
  if (type === 'application/pdf' || (!type && raw.startsWith('%PDF-'))) return pdfReadable(page.body, { truncated: page.truncated, signal });
  return { title: '', text: `[${type || 'unknown content'}: not text, not shown]` };
}

function fromHtml(html: string): ReadablePage {
  // linkedom's types lean on the DOM library this (Node) project does not load: read loosely.
  // A page without <html> (a fragment, as small servers send) is wrapped: linkedom, unlike a browser, leaves it bodiless.
  const whole = /<html[\s>]/i.test(html) ? html : `<!doctype html><html><body>${html}</body></html>`;
  const { document } = parseHTML(whole) as unknown as { document: LooseDocument };
  const title = (document.querySelector('title')?.textContent ?? '').trim();
  for (const tag of [...DROPPED, 'title']) for (const el of [...document.querySelectorAll(tag)]) el.remove();
  // Readability changes the document it reads: the body is taken first as the fallback.
  const body = document.body?.innerHTML ?? html;
  let article: { title?: string | null; content?: string | null } | null = null;
  try {
    article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse();
  } catch {
    article = null;
  }
  const turndown = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-' });
  turndown.remove([...DROPPED]);
  const markdown = turndown
    .turndown(article?.content || body)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { title: (article?.title || title).trim(), text: markdown };
}

interface LooseElement {
  textContent: string | null;
  innerHTML: string;
  remove(): void;
}

interface LooseDocument {
  body: LooseElement | null;
  querySelector(selector: string): LooseElement | null;
  querySelectorAll(selector: string): Iterable<LooseElement>;
}

function prettyJson(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}
