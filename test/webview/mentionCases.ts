/** `@` in the goal box: the picker asks the extension, picks become chips, a goal carries them; what cannot be attached comes back. */
import { frame, send } from './harness';
import { sampleTask } from './sampleTasks';
import { assert, sent, show, type Case } from './support';
import type { MentionItem } from '../../src/protocol/messages';

type Page = Parameters<Case[1]>[0]['page'];
const MATH: MentionItem = { kind: 'file', value: 'src/math.js', label: 'src/math.js' };
const PROBLEMS: MentionItem = { kind: 'problems', value: '', label: '@problems — the errors and warnings in the workspace' };

const queries = async (page: Page) => (await sent(page)).filter((m) => m.type === 'mentionQuery');

/** Answers the latest query the page asked, as the extension does. */
async function answer(page: Page, items: MentionItem[]): Promise<void> {
  const last = (await queries(page)).at(-1);
  await send(page, { type: 'mentionResults', requestId: last.requestId, items });
  await frame(page);
}

export const mentionCases: Case[] = [
  [
    '@ asks the extension as it is typed; arrows and Enter pick; the pick becomes a chip and leaves the text; Send carries it',
    async ({ page }) => {
      await show(page, undefined);
      const input = page.locator('[data-testid=goal-input]');
      await input.click();
      await input.pressSequentially('Fix @ma');
      assert.deepEqual(
        (await queries(page)).map((q) => q.query),
        ['', 'm', 'ma'],
      );
      await answer(page, [PROBLEMS, MATH]);
      assert.equal(await page.locator('[data-testid=mention-item]').count(), 2);
      await input.press('ArrowDown');
      await input.press('Enter');
      assert.equal(await page.locator('[data-testid=mention-chip]').textContent(), 'src/math.js');
      assert.equal(await input.inputValue(), 'Fix ');
      assert.equal(await page.locator('[data-testid=mention-list]').isVisible(), false);
      await input.pressSequentially('please');
      await input.press('Enter');
      const start = (await sent(page)).find((m) => m.type === 'start');
      assert.deepEqual(start, { type: 'start', goal: 'Fix please', mentions: [MATH] });
      assert.equal(await page.locator('[data-testid=mention-chip]').count(), 0, 'chips go with the goal');
    },
  ],
  [
    'an answer to an older query is ignored; Escape closes the list and does not stop a running task',
    async ({ page }) => {
      await show(page, sampleTask(), true);
      const input = page.locator('[data-testid=goal-input]');
      await input.click();
      await input.pressSequentially('@m');
      const [older] = await queries(page);
      await send(page, { type: 'mentionResults', requestId: older.requestId, items: [MATH] });
      await frame(page);
      assert.equal(await page.locator('[data-testid=mention-item]').count(), 0, 'not the latest query');
      await answer(page, [MATH]);
      assert.equal(await page.locator('[data-testid=mention-item]').count(), 1);
      await input.press('Escape');
      assert.equal(await page.locator('[data-testid=mention-list]').isVisible(), false);
      assert.equal((await sent(page)).filter((m) => m.type === 'stop').length, 0);
    },
  ],
  [
    'a goal whose mention cannot be attached comes back with its chips and the reason; files dropped become chips',
    async ({ page }) => {
      await show(page, undefined);
      await send(page, { type: 'composerError', text: 'src/gone.js no longer exists: remove it from the goal.', goal: 'Fix it', mentions: [MATH] });
      await frame(page);
      assert.equal(await page.locator('[data-testid=goal-input]').inputValue(), 'Fix it');
      assert.equal(await page.locator('[data-testid=composer-error]').textContent(), 'src/gone.js no longer exists: remove it from the goal.');
      assert.equal(await page.locator('[data-testid=mention-chip]').count(), 1);
      await page.locator('[data-testid=mention-remove]').click();
      assert.equal(await page.locator('[data-testid=mention-chip]').count(), 0);
      await page.locator('[data-testid=goal-input]').pressSequentially('!');
      assert.equal(await page.locator('[data-testid=composer-error]').textContent(), '', 'typing clears the message');

      const data = await page.evaluateHandle(() => {
        const transfer = new (globalThis as any).DataTransfer();
        transfer.setData('text/uri-list', 'file:///ws/src/math.js\r\nfile:///ws/src/');
        return transfer;
      });
      await page.locator('[data-testid=goal-input]').dispatchEvent('drop', { dataTransfer: data });
      assert.deepEqual(
        (await sent(page)).find((m) => m.type === 'dropped'),
        { type: 'dropped', uris: ['file:///ws/src/math.js', 'file:///ws/src/'] },
      );
      await send(page, { type: 'mentionsAdded', items: [MATH] });
      await frame(page);
      assert.equal(await page.locator('[data-testid=mention-chip]').count(), 1);
    },
  ],
  [
    'an image pasted into the goal box becomes a chip and goes with the goal; a too large one is refused with a message',
    async ({ page }) => {
      await show(page, undefined);
      const input = page.locator('[data-testid=goal-input]');
      await input.click();
      const paste = (name: string, type: string, bytes: number) =>
        page.evaluate(
          ([n, t, size]) => {
            const g = globalThis as any;
            const transfer = new g.DataTransfer();
            transfer.items.add(new g.File([new Uint8Array(size as number).fill(7)], n, { type: t }));
            g.document
              .querySelector('[data-testid=goal-input]')
              .dispatchEvent(new g.ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
          },
          [name, type, bytes] as const,
        );
      await paste('shot.png', 'image/png', 3);
      await page.locator('[data-testid=image-chip]').filter({ hasText: 'shot.png (1 KB)' }).waitFor();
      await paste('huge.png', 'image/png', 6 * 1024 * 1024);
      await page.locator('[data-testid=composer-error]').filter({ hasText: 'huge.png is 6.0 MB; at most 5.0 MB an image.' }).waitFor();
      await paste('notes.bmp', 'image/bmp', 3);
      await page.locator('[data-testid=composer-error]').filter({ hasText: 'notes.bmp: only PNG, JPEG, GIF and WebP images can be attached.' }).waitFor();
      assert.equal(await page.locator('[data-testid=image-chip]').count(), 1);
      await input.pressSequentially('What is this?');
      await input.press('Enter');
      const start = (await sent(page)).find((m) => m.type === 'start');
      assert.deepEqual(start, { type: 'start', goal: 'What is this?', images: [{ name: 'shot.png', mimeType: 'image/png', data: 'BwcH' }] });
      assert.equal(await page.locator('[data-testid=image-chip]').count(), 0);
    },
  ],
  [
    '/ at the start of the box lists MCP prompts (not @ mentions); a pick asks the extension, whose text fills the box to be read before sending',
    async ({ page }) => {
      await show(page, undefined);
      const input = page.locator('[data-testid=goal-input]');
      await input.click();
      await input.pressSequentially('/rev');
      const prompts = (await sent(page)).filter((m) => m.type === 'promptQuery');
      assert.deepEqual(
        prompts.map((q) => q.query),
        ['', 'r', 're', 'rev'],
      );
      assert.equal((await queries(page)).length, 0, 'no @ query for a /');
      const review: MentionItem = { kind: 'prompt', value: '["fixture","review"]', label: '/fixture.review — Review a file' };
      await send(page, { type: 'mentionResults', requestId: prompts.at(-1).requestId, items: [review] });
      await frame(page);
      await page.locator('[data-testid=mention-item]').filter({ hasText: '/fixture.review — Review a file' }).waitFor();
      await input.press('Enter');
      assert.deepEqual(
        (await sent(page)).find((m) => m.type === 'usePrompt'),
        { type: 'usePrompt', value: '["fixture","review"]' },
      );
      assert.equal(await input.inputValue(), '', 'the /word is gone; no chip');
      assert.equal(await page.locator('[data-testid=mention-chip]').count(), 0);
      assert.equal((await sent(page)).filter((m) => m.type === 'start').length, 0, 'nothing is sent before the user reads the text');
      await send(page, { type: 'promptFilled', text: 'Review src/a.js for bugs.' });
      await frame(page);
      assert.equal(await input.inputValue(), 'Review src/a.js for bugs.');
      await input.press('Enter');
      assert.deepEqual(
        (await sent(page)).find((m) => m.type === 'start'),
        { type: 'start', goal: 'Review src/a.js for bugs.' },
      );
      await input.pressSequentially('Fix /tmp');
      assert.equal((await sent(page)).filter((m) => m.type === 'promptQuery').length, 4, 'a / later in the goal is text');

      // "Start the MCP servers": the extension gives back a `/`, which lists their prompts at once.
      await input.fill('');
      await send(page, { type: 'promptFilled', text: '/' });
      await frame(page);
      assert.equal(await input.inputValue(), '/');
      assert.deepEqual((await sent(page)).filter((m) => m.type === 'promptQuery').at(-1)?.query, '');

      // A prompt of several lines is read whole: the box grows with it.
      await input.fill('');
      const eight = Array.from({ length: 8 }, (_, i) => `Line ${i + 1} of the prompt.`).join('\n');
      await send(page, { type: 'promptFilled', text: eight });
      await frame(page);
      assert.equal(await input.inputValue(), eight);
      assert.equal(await input.evaluate((el: any) => el.scrollHeight <= el.clientHeight + 1), true, 'all eight lines in view');
    },
  ],
];
