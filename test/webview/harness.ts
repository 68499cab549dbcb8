/**
 * Runs the built sidebar webview (media/webview.js) in headless Chromium, the way VS Code hosts
 * it: a page with `<div id="root">`, the same CSP (nonce scripts, styles and fonts from the page's
 * origin only, images only from it or `data:`), theme variables, and a stubbed `acquireVsCodeApi`
 * that records what the panel posts. Used by the webview tests and by `npm run bench:ui`.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { themeCss, themes, type ThemeName } from './themes';

const ROOT = path.resolve(__dirname, '../..');
const MEDIA = path.join(ROOT, 'media');
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.svg': 'image/svg+xml', '.png': 'image/png' };

export interface Harness {
  origin: string;
  browser: Browser;
  /** Every path the server was asked for, in order (a remote-image leak would show up here). */
  requests: string[];
  open(theme?: ThemeName, viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

function pageHtml(origin: string, nonce: string, theme: ThemeName): string {
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${origin}; font-src ${origin}; img-src ${origin} data:;`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="/theme/${theme}.css">
<link rel="stylesheet" href="/media/codicons/codicon.css">
<link rel="stylesheet" href="/media/webview.css">
<title>Stepwise</title>
</head>
<body class="${themes[theme].bodyClass}">
<div id="root"></div>
<script nonce="${nonce}" src="/harness.js"></script>
<script nonce="${nonce}" src="/media/webview.js"></script>
</body>
</html>`;
}

function serve(req: http.IncomingMessage, res: http.ServerResponse, origin: string): void {
  const url = new URL(req.url ?? '/', origin);
  const send = (status: number, type: string, body: string | Buffer) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  if (url.pathname === '/') {
    const theme = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
    return send(200, 'text/html', pageHtml(origin, randomBytes(16).toString('base64'), theme in themes ? theme : 'dark'));
  }
  if (url.pathname === '/harness.js') return send(200, TYPES['.js']!, fs.readFileSync(path.join(__dirname, 'harnessPage.js')));
  const theme = /^\/theme\/([\w-]+)\.css$/.exec(url.pathname)?.[1];
  if (theme && theme in themes) return send(200, TYPES['.css']!, themeCss(theme as ThemeName));
  if (url.pathname.startsWith('/media/')) {
    const file = path.join(MEDIA, path.normalize(url.pathname.slice('/media/'.length)));
    if (file.startsWith(MEDIA + path.sep) && fs.existsSync(file))
      return send(200, TYPES[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
  }
  send(404, 'text/plain', 'not found');
}

export async function startHarness(): Promise<Harness> {
  for (const f of ['webview.js', 'webview.css', 'codicons/codicon.css']) {
    if (!fs.existsSync(path.join(MEDIA, f))) throw new Error(`media/${f} is missing: run npm run build first`);
  }
  const requests: string[] = [];
  let origin = '';
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    serve(req, res, origin);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    origin,
    browser,
    requests,
    async open(theme = 'dark', viewport = { width: 420, height: 760 }) {
      const page = await browser.newPage({ viewport });
      await page.goto(`${origin}/?theme=${theme}`);
      await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-testid=goal-input]') !== null);
      await page.evaluate('document.fonts.ready');
      return page;
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Posts a message into the page as the extension would. */
export async function send(page: Page, msg: unknown): Promise<void> {
  await page.evaluate((m) => (globalThis as any).__harness.send(m), msg);
}

/** Everything the panel posted to the extension so far. */
export async function posted(page: Page): Promise<any[]> {
  return page.evaluate(() => (globalThis as any).__harness.posted);
}

/** Waits for the panel's next rendered frame (renders are batched per animation frame). */
export async function frame(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((r) => (globalThis as any).requestAnimationFrame(() => (globalThis as any).requestAnimationFrame(r))));
}
