/**
 * Model text → inert DOM. markdown-it renders (raw HTML off, so `<script>` and friends come out as
 * text), DOMPurify sanitises what it produced against a short allow-list as a second line. Links
 * keep no `href`: the URL moves to `data-href` and a click asks the extension to open it (it shows
 * the full URL first), so nothing in the page can navigate. Images never load: a remote image is a
 * zero-click way to leak secrets, so each one is shown as a text placeholder.
 */
import * as l10n from '@vscode/l10n';
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import { safeLinkTarget } from './links';

const md = new MarkdownIt({ html: false, linkify: true, breaks: false });

md.renderer.rules.image = (tokens, idx) => {
  const token = tokens[idx];
  const alt = token ? String(token.content || token.attrGet('alt') || '') : '';
  return `<span class="md-image">${alt ? l10n.t('[image: {0}]', md.utils.escapeHtml(alt)) : l10n.t('[image]')}</span>`;
};

const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'code',
  'em',
  'strong',
  's',
  'del',
  'a',
  'span',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    const target = safeLinkTarget(node.getAttribute('href') ?? '');
    node.removeAttribute('href');
    if (target) {
      node.setAttribute('data-href', target);
      node.setAttribute('title', target);
      node.setAttribute('role', 'link');
      node.setAttribute('tabindex', '0');
      node.setAttribute('class', 'md-link');
    } else {
      node.removeAttribute('class');
    }
  } else if (node.hasAttribute('class')) {
    // Only markdown-it's own classes survive (code fences, image placeholders).
    const cls = node.getAttribute('class') ?? '';
    if (!/^(language-[\w+#.-]{1,40}|md-image)$/.test(cls)) node.removeAttribute('class');
  }
});

const purifyConfig = {
  ALLOWED_TAGS,
  ALLOWED_ATTR: ['href', 'title', 'start', 'class'],
  ALLOW_DATA_ATTR: false,
  RETURN_DOM_FRAGMENT: true as const,
};
// Batches wrap each message in an <article>: markdown-it (raw HTML off) escapes any `<` in the
// text, so the model cannot open or close one itself.
const batchConfig = { ...purifyConfig, ALLOWED_TAGS: [...ALLOWED_TAGS, 'article'] };

/** Markdown source → sanitised HTML string (used by tests; rendering uses the fragments below). */
export function markdownToHtml(text: string): string {
  const frag = DOMPurify.sanitize(md.render(text), purifyConfig);
  const box = document.createElement('div');
  box.append(frag);
  return box.innerHTML;
}

/** Replaces `el`'s children with the rendered, sanitised markdown of `text`. */
export function renderMarkdown(el: HTMLElement, text: string): void {
  el.replaceChildren(DOMPurify.sanitize(md.render(text), purifyConfig));
}

export interface MarkdownJob {
  el: HTMLElement;
  text: string;
}

/**
 * Renders many messages with one sanitiser pass: for short texts DOMPurify's per-call set-up (a
 * fresh document, its config) costs more than the sanitising, and opening a long task renders
 * hundreds at once.
 */
export function renderMarkdownBatch(jobs: MarkdownJob[]): void {
  if (jobs.length === 0) return;
  const [only] = jobs;
  if (jobs.length === 1 && only) return renderMarkdown(only.el, only.text);
  const html = jobs.map((job) => `<article>${md.render(job.text)}</article>`).join('');
  const articles = DOMPurify.sanitize(html, batchConfig).children;
  if (articles.length !== jobs.length) {
    for (const job of jobs) renderMarkdown(job.el, job.text);
    return;
  }
  jobs.forEach((job, i) => job.el.replaceChildren(...Array.from(articles[i]?.childNodes ?? [])));
}

/** One delegated handler per container: links ask the extension, they never navigate. */
export function interceptLinks(container: HTMLElement, open: (url: string) => void): void {
  const activate = (ev: Event) => {
    const link = (ev.target as Element | null)?.closest?.('a');
    if (!link || !container.contains(link)) return;
    ev.preventDefault();
    const url = link.getAttribute('data-href');
    if (url) open(url);
  };
  container.addEventListener('click', activate);
  container.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.target as Element | null)?.closest?.('a.md-link')) activate(ev);
  });
}

/**
 * Formats a small sample once the page is idle, so the first real task is not also the one that
 * pays for compiling the markdown and sanitiser code paths.
 */
export function warmUp(): void {
  // l10n-ignore: sample markdown, never shown
  const run = () => void markdownToHtml('# a\n\n**b** _c_ `d` [e](https://example.com) https://example.com\n\n- f\n\n```ts\ng\n```\n\n> h');
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 1000 });
  else setTimeout(run, 50);
}
