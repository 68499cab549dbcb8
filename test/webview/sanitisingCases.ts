/** Model markdown must render inert: no raw HTML, no script, no dangerous links, no remote images. */
import { frame } from './harness';
import { assert, count, sent, settled, show, taskWith, type Case } from './support';
import { until } from '../vscode/waits';

const pwned = (page: Parameters<Case[1]>[0]['page']) => page.evaluate(() => (globalThis as any).__pwned);

export const sanitisingCases: Case[] = [
  [
    'raw HTML in model text is shown as text, not parsed',
    async ({ page }) => {
      await show(
        page,
        taskWith('Hello <b id="raw">bold</b> <img src="x" onerror="globalThis.__pwned=1"> <iframe src="/frame"></iframe> <div style="color:red">s</div>'),
      );
      assert.equal(await count(page, '#raw, #root img, #root iframe, #root .markdown [style]'), 0);
      assert.match(await page.locator('[data-testid=message]').innerText(), /<b id="raw">bold<\/b>/);
      await settled(page);
      assert.equal(await pwned(page), undefined);
    },
  ],
  [
    '<script> in model text is never executed',
    async ({ page }) => {
      await show(
        page,
        taskWith(
          '<script>globalThis.__pwned = 2</script>\n\n<svg><script>globalThis.__pwned = 3</script></svg>\n\n<math><mi xlink:href="javascript:globalThis.__pwned=4">x</mi></math>',
        ),
      );
      await settled(page);
      assert.equal(await count(page, '#root script, #root svg, #root math'), 0);
      assert.equal(await pwned(page), undefined);
    },
  ],
  [
    'javascript:, data: and vbscript: links lose their target',
    async ({ page }) => {
      const text = [
        '[a](javascript:globalThis.__pwned=5)',
        '[b](JaVaScRiPt:globalThis.__pwned=6)',
        '[c](data:text/html,<script>alert(1)</script>)',
        '[d](vbscript:msgbox)',
        '<a href="javascript:globalThis.__pwned=7">e</a>',
        '<javascript:globalThis.__pwned=8>',
        '[f](%6Aavascript:alert(1))',
        '[g](file:///etc/passwd)',
      ].join('\n\n');
      await show(page, taskWith(text));
      assert.equal(await count(page, '#root [href]'), 0, 'no element keeps an href');
      const targets: string[] = await page.locator('#root [data-href]').evaluateAll((els) => els.map((e: any) => e.getAttribute('data-href')));
      for (const t of targets) assert.match(t, /^(https?:|mailto:)/);
      for (const a of await page.locator('#root .markdown a').all()) await a.click();
      await settled(page);
      assert.equal(await pwned(page), undefined);
      assert.deepEqual(
        (await sent(page)).filter((m) => m.type === 'openLink'),
        [],
      );
    },
  ],
  [
    'remote images are never loaded, only named',
    async ({ page, harness }) => {
      const o = harness.origin;
      const text = `![secret](${o}/leak1.png?key=abc)\n\n![ref image][r]\n\n[r]: ${o}/leak2.png\n\n<img src="${o}/leak3.png">\n\n[![linked](${o}/leak4.png)](https://example.com)`;
      await show(page, taskWith(text));
      await settled(page);
      assert.equal(await count(page, '#root img'), 0);
      assert.deepEqual(
        harness.requests.filter((r) => r.includes('leak')),
        [],
      );
      const shown = await page.locator('[data-testid=message]').innerText();
      assert.match(shown, /\[image: secret\]/);
      assert.match(shown, /\[image: ref image\]/);
    },
  ],
  [
    'clicking a link asks the extension to open it and does not navigate',
    async ({ page, harness }) => {
      const url = `${harness.origin}/navigated?x=1`;
      await show(page, taskWith(`See [the docs](${url}) and https://example.com/auto and [mail](mailto:a@example.com).`));
      const before = page.url();
      await page.locator('#root .markdown a', { hasText: 'the docs' }).click();
      await page.locator('#root .markdown a', { hasText: 'example.com/auto' }).click();
      await page.locator('#root .markdown a', { hasText: 'mail' }).click();
      // The three clicks were handled once the page has posted their three openLink requests.
      const links = async () => (await sent(page)).filter((m) => m.type === 'openLink').length;
      await until(async () => (await links()) >= 3, 'the three openLink requests');
      await settled(page);
      assert.equal(page.url(), before);
      assert.deepEqual(
        harness.requests.filter((r) => r.includes('navigated')),
        [],
      );
      assert.deepEqual(
        (await sent(page)).filter((m) => m.type === 'openLink').map((m) => m.url),
        [url, 'https://example.com/auto', 'mailto:a@example.com'],
      );
    },
  ],
  [
    'a focused link opens with Enter',
    async ({ page }) => {
      await show(page, taskWith('[docs](https://example.com/k)'));
      await page.locator('#root .markdown a').focus();
      await page.keyboard.press('Enter');
      assert.deepEqual(
        (await sent(page)).filter((m) => m.type === 'openLink'),
        [{ type: 'openLink', url: 'https://example.com/k' }],
      );
    },
  ],
  [
    'code blocks render as pre > code with the exact text',
    async ({ page }) => {
      await show(page, taskWith('Run:\n\n```ts\nconst a = 1 < 2 && "<b>";\n```\n\nand `inline <i>`'));
      assert.equal(await page.locator('#root .markdown pre > code.language-ts').innerText(), 'const a = 1 < 2 && "<b>";\n');
      assert.equal(await count(page, '#root .markdown b, #root .markdown i'), 0);
      await frame(page);
    },
  ],
  [
    'markdown that becomes a link through linkify keeps only http(s) targets',
    async ({ page }) => {
      await show(page, taskWith('ftp://example.com/x and http://example.com/ok'));
      const targets: string[] = await page.locator('#root [data-href]').evaluateAll((els) => els.map((e: any) => e.getAttribute('data-href')));
      assert.deepEqual(targets, ['http://example.com/ok']);
    },
  ],
];
