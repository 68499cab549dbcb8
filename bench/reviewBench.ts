/**
 * The in-place review of a large change, in a real workbench (code-server + Chromium), next to a
 * one-line change as the baseline: a file of
 * 2,000 lines rewritten (one 2,000-line hunk), and 2,000 lines touched as 2,000 separate hunks
 * (every other line of a 4,000-line file). For each: the request sent → the review on screen
 * (its lenses and first box), the editor answering a key while the review is open (Ctrl+End → the
 * status bar's line), and Accept All (Alt+Shift+Y) → the file on disk.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startScriptedServer } from '../test/support/scriptedServer';
import { CHROMIUM_ARGS, REPO, remoteUri, startCodeServer } from '../test/vscode/codeServer';

const lines = (n: number, text: (i: number) => string) => `${Array.from({ length: n }, (_, i) => text(i)).join('\n')}\n`;
const CASES = [
  // The same path for a one-line change: what any review costs (a model turn, the edit tool, the workbench).
  {
    file: 'small.js',
    before: lines(10, (i) => `const c${i} = ${i};`),
    after: lines(10, (i) => (i === 4 ? 'const c4 = 40;' : `const c${i} = ${i};`)),
    what: '1 line changed (baseline)',
  },
  {
    file: 'rewrite.js',
    before: lines(2000, (i) => `const a${i} = ${i};`),
    after: lines(2000, (i) => `const a${i} = ${i} * 2;`),
    what: '2,000 lines rewritten (1 hunk)',
  },
  {
    file: 'spread.js',
    before: lines(4000, (i) => `const b${i} = ${i};`),
    after: lines(4000, (i) => (i % 2 ? `const b${i} = ${i};` : `const b${i} = ${i} + 1;`)),
    what: '2,000 lines touched (2,000 hunks)',
  },
];

async function until(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function measure(page: Page, workspace: string, c: (typeof CASES)[number]): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible' });
  await page.keyboard.type(c.file);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: c.file }).first().waitFor({ state: 'visible', timeout: 20_000 });
  await page.keyboard.press('Enter');
  const editor = page.locator('.editor-instance .monaco-editor', { hasText: c.before.slice(0, c.before.indexOf(' =')) }).first();
  await editor.locator('.view-line').first().click();
  await page.keyboard.press('Control+Alt+KeyE');
  await page.locator('.quick-input-widget .quick-input-box input[placeholder^="What should change?"]').waitFor({ state: 'visible', timeout: 20_000 });
  await page.keyboard.type('change it');
  const sent = performance.now();
  await page.keyboard.press('Enter');
  await page.locator('.review-widget').first().waitFor({ state: 'visible', timeout: 120_000 });
  await page.locator('.codelens-decoration a', { hasText: 'Accept' }).first().waitFor({ state: 'visible', timeout: 120_000 });
  const shown = performance.now() - sent;
  await editor.locator('.view-line').first().click();
  const key = performance.now();
  await page.keyboard.press('Control+End');
  const last = c.after.split('\n').length;
  await page
    .locator('.statusbar-item', { hasText: new RegExp(`Ln ${last}, Col`) })
    .first()
    .waitFor({ timeout: 60_000 });
  const answered = performance.now() - key;
  const accept = performance.now();
  await page.keyboard.press('Alt+Shift+KeyY');
  await until(() => fs.readFileSync(path.join(workspace, c.file), 'utf8') === c.after, 'the accepted change on disk');
  const applied = performance.now() - accept;
  console.log(`review ${c.what}: shown in ${shown.toFixed(0)} ms; a key answered in ${answered.toFixed(0)} ms; Accept All written in ${applied.toFixed(0)} ms`);
}

async function main(): Promise<void> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-review-bench-'));
  for (const c of CASES) fs.writeFileSync(path.join(workspace, c.file), c.before);
  const steps = CASES.flatMap((c) => [
    { toolCalls: [{ name: 'write_file', arguments: { path: c.file, content: c.after } }] },
    { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] },
  ]);
  const model = await startScriptedServer(steps);
  const server = await startCodeServer({
    testDriver: true,
    userSettings: { 'stepwise.baseUrl': model.url, 'stepwise.model': 'scripted-model', 'stepwise.planFirst': false },
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const payload = [
      ['extensionDevelopmentPath', remoteUri(server.origin, REPO)],
      ['skipWelcome', 'true'],
    ];
    await page.goto(`${server.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    for (const c of CASES) {
      await measure(page, workspace, c);
      await until(() => model.chatRequests().length >= 2 * (CASES.indexOf(c) + 1), 'the task to end');
      await page.keyboard.press('Control+K');
      await page.keyboard.press('KeyW'); // close the editors before the next case
    }
  } finally {
    await browser.close();
    await server.stop();
    await model.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
