/**
 * The page in the language the extension sends: Chinese from the zh-cn bundle, English for any
 * phrase a bundle lacks (never a key), dates and numbers in that locale, and nothing clipped when
 * the words are CJK or long.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { newTaskView } from '../../src/protocol/taskReducer';
import { frame, send } from './harness';
import { sampleHistory, sampleTask } from './sampleTasks';
import { assert, event, show, type Case } from './support';

const ZH: Record<string, string> = JSON.parse(fs.readFileSync(path.join(__dirname, '../../l10n/bundle.l10n.zh-cn.json'), 'utf8'));

export const localeCases: Case[] = [
  [
    'a zh-cn bundle: the composer, header, plan and approval card are Chinese; numbers follow the locale',
    async ({ page }) => {
      await send(page, { type: 'l10n', locale: 'zh-cn', bundle: ZH });
      await show(page, { ...sampleTask(), promptTokens: 12345 });
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-cn');
      assert.equal(await page.locator('[data-testid=send]').innerText(), '发送');
      assert.equal(await page.locator('[data-testid=task-status]').innerText(), '运行中');
      assert.match((await page.locator('[data-testid=tokens]').getAttribute('aria-label')) ?? '', /^Token：提示 12,345，补全/);
      assert.match(await page.locator('[data-testid=steps]').innerText(), /^第 \d+ \/ \d+ 步$/);
      assert.equal(await page.locator('[data-testid=approve]').innerText(), '批准');
      assert.equal(
        await page.locator('[data-testid=goal-input]').getAttribute('placeholder'),
        ZH['A task is running… (/compact summarises the earlier steps)'],
      );
    },
  ],
  [
    'a partial bundle, or a language without one (fr): English for what is missing, never a key',
    async ({ page }) => {
      await send(page, { type: 'l10n', locale: 'zh-cn', bundle: { Send: '发送' } });
      await show(page, newTaskView('t1', 'Goal', 10, 0));
      assert.equal(await page.locator('[data-testid=send]').innerText(), '发送');
      assert.equal(await page.locator('[data-testid=stop]').innerText(), 'Stop');
      await send(page, { type: 'l10n', locale: 'fr', bundle: {} });
      await show(page, newTaskView('t1', 'Goal', 10, 0));
      assert.equal(await page.getAttribute('html', 'lang'), 'fr');
      assert.equal(await page.locator('[data-testid=send]').innerText(), 'Send');
      await send(page, { type: 'l10n', locale: '<script>', bundle: {} });
      await frame(page);
      assert.equal(await page.getAttribute('html', 'lang'), 'en', 'a malformed locale is English');
    },
  ],
  [
    'the history dates are formatted in the page locale',
    async ({ page }) => {
      await send(page, { type: 'l10n', locale: 'zh-cn', bundle: ZH });
      await send(page, { type: 'state', history: sampleHistory, running: false });
      await frame(page);
      const text = await page.locator('[data-testid=history-item]').first().innerText();
      assert.match(text, /\d{4}年\d{1,2}月\d{1,2}日/, text);
    },
  ],
  [
    'Chinese words, and long English ones, leave every button whole at 300 px',
    async ({ page }) => {
      await page.setViewportSize({ width: 300, height: 700 });
      for (const bundle of [ZH, Object.fromEntries(Object.keys(ZH).map((k) => [k, `${k} ${k}`]))]) {
        await send(page, { type: 'l10n', locale: 'zh-cn', bundle });
        await show(page, sampleTask());
        await event(page, { type: 'notice', text: 'x', tone: 'info' });
        const clipped = await page.evaluate(() =>
          [...(globalThis as any).document.querySelectorAll('button')]
            .filter((b: any) => b.offsetParent !== null)
            .filter((b: any) => b.scrollWidth > b.clientWidth + 1 || b.getBoundingClientRect().right > (globalThis as any).innerWidth + 1)
            .map((b: any) => b.getAttribute('data-testid') ?? b.textContent),
        );
        assert.deepEqual(clipped, [], `clipped: ${clipped.join(', ')}`);
      }
    },
  ],
];
