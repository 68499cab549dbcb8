/**
 * The in-place review as a user reads it, in the real workbench: a one-line, a ten-line and a
 * mixed (removed + added) change, each with every new line in the editor, screenshot light and
 * dark; accepted with its key (Alt+Y), rejected with its CodeLens (the file byte-identical),
 * and accepted with the review box's own button. Runs after the UI tests' other checks: math.js is
 * as the first inline check left it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { ScriptStep } from '../support/scriptedServer';
import { runCommand, setColorTheme } from './palette';
import { until } from './waits';

const edit = (search: string, replace: string): ScriptStep => ({
  toolCalls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search, replace }] } }],
});
const finish = (summary: string): ScriptStep => ({ toolCalls: [{ name: 'finish', arguments: { summary } }] });

const TEN_LINES = [
  'function mean(values) {',
  '  if (!Array.isArray(values)) throw new TypeError("mean needs an array");',
  '  if (values.length === 0) return NaN;',
  '  let total = 0;',
  '  for (const value of values) {',
  '    total = add(total, value);',
  '  }',
  '  return total / values.length;',
  '}',
  '',
];
const MIXED_BEFORE = '  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;\n  return a * b * 1;';
const MIXED_AFTER = "  if (typeof a !== 'number' || typeof b !== 'number') throw new TypeError('multiply needs numbers');\n  return a * b;";

/** What the scripted model does for these checks, in order (appended to the UI tests' script). */
export const REVIEW_STEPS: ScriptStep[] = [
  edit('  return a + b;', '  return Number(a) + Number(b);'),
  finish('one line.'),
  edit('module.exports = { add, multiply };', `${TEN_LINES.join('\n')}\nmodule.exports = { add, multiply };`),
  finish('ten lines rejected.'),
  edit(MIXED_BEFORE, MIXED_AFTER),
  finish('mixed.'),
];

export async function reviewChecks(page: Page, file: string, results: string, check: (name: string, body: () => Promise<void>) => Promise<void>) {
  const editor = page.locator('.editor-instance .monaco-editor', { hasText: 'function multiply' }).first();
  const request = async (onLine: string, text: string) => {
    await editor.locator('.view-line', { hasText: onLine }).first().click();
    await page.keyboard.press('Control+Alt+KeyE');
    await page.locator('.quick-input-widget .quick-input-box input[placeholder^="What should change?"]').waitFor({ state: 'visible', timeout: 20_000 });
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  };
  /** The review box of this change, with all of its new lines; screenshots in both themes. */
  const reviewed = async (name: string, head: string, lines: string[]) => {
    const box = page.locator('.review-widget', { hasText: head });
    await box.waitFor({ timeout: 30_000 });
    // The lenses follow a moment later (VS Code asks for them on a delay): the shot waits for them above the box.
    await until(async () => {
      const [lens, at] = await Promise.all([editor.locator('.codelens-decoration', { hasText: 'Accept' }).first().boundingBox(), box.boundingBox()]);
      return Boolean(lens && at && lens.y < at.y);
    }, 'the Accept lens above the review box');
    const shown = (await box.innerText()).replace(/\s+/g, ' ');
    for (const line of lines) assert.ok(shown.includes(line.trim().replace(/\s+/g, ' ')), `the review shows "${line}"`);
    await page.screenshot({ path: path.join(results, `inline-review-${name}-light.png`) });
    await setColorTheme(page, 'Dark Modern');
    await page.screenshot({ path: path.join(results, `inline-review-${name}-dark.png`) });
    await setColorTheme(page, 'Light Modern');
    return box;
  };
  const read = () => fs.readFileSync(file, 'utf8');
  /** The request's task has ended (the model heard the answer): the next request may start. */
  const ended = async (text: string) => {
    const panel = page.frameLocator('iframe.webview.ready[src*="extensionId=stepwise-dev.stepwise"]').frameLocator('iframe#active-frame');
    await panel.getByTestId('task-goal').filter({ hasText: text }).waitFor({ timeout: 30_000 });
    await panel
      .getByTestId('task-status')
      .filter({ hasText: /finished/i })
      .waitFor({ timeout: 30_000 });
  };

  await check('a one-line change is read in the editor and accepted with Alt+Y (pressed off the change, it first moves onto it)', async () => {
    await runCommand(page, 'View: Close Panel').catch(() => undefined);
    const before = read();
    await request('return a + b;', 'convert to numbers');
    await reviewed('one-line', 'Replaces the struck line with 1 line', ['return Number(a) + Number(b);']);
    assert.match(read(), /^ {2}return a \+ b;$/m, 'nothing written before Accept');
    // Off the change, the key only moves the cursor onto it; the second press accepts what is under it.
    await editor.locator('.view-line', { hasText: 'function add' }).click();
    await page.keyboard.press('Alt+KeyY');
    await page
      .locator('.statusbar-item', { hasText: /^Ln 2, Col 1/ })
      .first()
      .waitFor({ timeout: 10_000 });
    assert.equal(read(), before, 'the first press decided nothing');
    await page.keyboard.press('Alt+KeyY');
    await until(() => read().includes('  return Number(a) + Number(b);\n'), 'the accepted line on disk');
    assert.equal(read(), before.replace('  return a + b;', '  return Number(a) + Number(b);'), 'exactly that line changed');
    await ended('convert to numbers');
  });

  await check('a ten-line change shows all ten lines; Reject (CodeLens) leaves the file byte-identical', async () => {
    const before = read();
    await request('module.exports', 'add a mean function');
    await reviewed('ten-line', 'Adds 10 lines after this line', TEN_LINES.filter(Boolean));
    await editor.locator('.codelens-decoration a', { hasText: 'Reject' }).first().click();
    await page.locator('.review-widget').first().waitFor({ state: 'detached', timeout: 30_000 });
    await ended('add a mean function');
    assert.equal(read(), before, 'byte-identical after Reject');
  });

  await check("a mixed change (two lines out, two in) is accepted with the review box's own button", async () => {
    const before = read();
    await request('function multiply', 'throw on non-numbers');
    const box = await reviewed('mixed', 'Replaces the 2 struck lines with 2 lines', MIXED_AFTER.split('\n'));
    await box.locator('.action-label.codicon-check').first().click();
    await until(() => read().includes(MIXED_AFTER), 'the accepted change on disk');
    assert.equal(read(), before.replace(MIXED_BEFORE, MIXED_AFTER), 'exactly the accepted change, byte for byte');
    await ended('throw on non-numbers');
  });
}
