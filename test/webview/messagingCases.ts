/** The message contract: handshake, validation, state replacement and live events. */
import { MAX_MESSAGE_CHARS } from '../../src/protocol/messages';
import { newTaskView } from '../../src/protocol/taskReducer';
import { frame, posted, send } from './harness';
import { sampleHistory, sampleTask } from './sampleTasks';
import { assert, count, event, sent, show, taskWith, type Case } from './support';

export const messagingCases: Case[] = [
  [
    'posts ready once on load',
    async ({ page }) => {
      assert.deepEqual(await posted(page), [{ type: 'ready' }]);
    },
  ],
  [
    'invalid, foreign and oversized messages are dropped with a warning',
    async ({ page }) => {
      const warnings: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'warning') warnings.push(m.text());
      });
      await show(page, taskWith('original'));
      const bad = [
        { type: 'explode' },
        { type: 'state', task: taskWith('no history') },
        { type: 'state', task: { id: 't1', goal: 'x' }, history: [], running: false },
        { type: 'event', taskId: 't1', event: { type: 'message', text: 42 } },
        { type: 'event', taskId: 't1', event: { type: 'nonsense' } },
        { type: 'state', task: taskWith('x'.repeat(MAX_MESSAGE_CHARS)), history: [], running: false },
        'a string',
        null,
      ];
      for (const m of bad) await send(page, m);
      await frame(page);
      assert.equal(warnings.length, bad.length, warnings.join('\n'));
      assert.equal(await page.locator('[data-testid=message]').innerText(), 'original');
    },
  ],
  [
    'events for another task are ignored',
    async ({ page }) => {
      await show(page, taskWith('mine'));
      await event(page, { type: 'message', text: 'theirs' }, 'other');
      assert.equal(await count(page, '[data-testid=message]'), 1);
    },
  ],
  [
    'no task: the start screen lists the history, and an item opens its task',
    async ({ page }) => {
      await send(page, { type: 'state', history: sampleHistory, running: false });
      await frame(page);
      assert.equal(await count(page, '[data-testid=history-item]'), sampleHistory.length);
      assert.equal(await page.locator('[data-testid=task-goal]').isVisible(), false);
      await page.locator('[data-testid=history-item]').nth(1).click();
      assert.deepEqual(await sent(page), [{ type: 'openTask', taskId: 't-old1' }]);
    },
  ],
  [
    'a state replaces the whole view',
    async ({ page }) => {
      await show(page, sampleTask());
      assert.equal(await count(page, '[data-testid=approval-card]'), 1);
      await show(page, taskWith('just this', 't2'), false);
      assert.equal(await count(page, '[data-testid=approval-card], [data-testid=tool-card]'), 0);
      assert.equal(await page.locator('[data-testid=message]').innerText(), 'just this');
    },
  ],
  [
    'streamed text renders as it arrives, with a cursor until the message ends',
    async ({ page }) => {
      await show(page, newTaskView('t1', 'Goal', 10, 0));
      for (const t of ['Hello', ' **wor', 'ld**', ' and `code`']) await event(page, { type: 'message_delta', text: t });
      assert.equal(await count(page, '[data-testid=message].streaming'), 1);
      assert.equal(await page.locator('[data-testid=message] strong').innerText(), 'world');
      await event(page, { type: 'message', text: 'Hello **world** and `code`.' });
      assert.equal(await count(page, '[data-testid=message].streaming'), 0);
      assert.equal(await page.locator('[data-testid=message]').innerText(), 'Hello world and code.');
    },
  ],
  [
    'tool cards follow the call from running to its result',
    async ({ page }) => {
      await show(page, newTaskView('t1', 'Goal', 10, 0));
      await event(page, { type: 'tool_call', id: 'c1', name: 'run_command', summary: 'npm test' });
      const card = page.locator('[data-testid=tool-card]');
      assert.equal(await card.getAttribute('data-status'), 'running');
      assert.equal(await card.getAttribute('data-tool'), 'run_command');
      await event(page, { type: 'tool_output', id: 'c1', chunk: 'line 1\n' });
      await event(page, { type: 'tool_result', id: 'c1', ok: false, output: 'line 1\nFAILED' });
      assert.equal(await card.getAttribute('data-status'), 'error');
      await card.locator('summary').click();
      // The output is put in when <details> opens (its toggle event comes after the click).
      await card.locator('pre', { hasText: 'FAILED' }).waitFor();
      assert.equal(await card.locator('pre').innerText(), 'line 1\nFAILED');
      await event(page, { type: 'tool_call', id: 'c2', name: 'edit_file', summary: 'a.ts' });
      await event(page, { type: 'denied', id: 'c2' });
      assert.equal(await card.nth(1).getAttribute('data-status'), 'denied');
    },
  ],
  [
    'the header and plan update live',
    async ({ page }) => {
      await show(page, newTaskView('t1', 'Ship it', 10, 0));
      await event(page, { type: 'step', step: 3, maxSteps: 10 });
      await event(page, { type: 'usage', totalPromptTokens: 12_345, totalCompletionTokens: 678 });
      await event(page, {
        type: 'plan',
        steps: [
          { title: 'One', status: 'done' },
          { title: 'Two', status: 'in_progress' },
          { title: 'Three', status: 'pending' },
        ],
      });
      assert.equal(await page.locator('[data-testid=steps]').innerText(), 'step 3 / 10');
      assert.match((await page.locator('[data-testid=tokens]').getAttribute('aria-label')) ?? '', /12,345 prompt, 678 completion/);
      assert.doesNotMatch(await page.locator('[data-testid=tokens]').innerText(), /\$/, 'no cost for an unpriced (local) model');
      await event(page, { type: 'usage', totalPromptTokens: 20_000, totalCompletionTokens: 1_000, costUsd: 0.0123 });
      assert.match(await page.locator('[data-testid=tokens]').innerText(), /20k in · 1.0k out · ≈ \$0\.01$/);
      assert.match((await page.locator('[data-testid=tokens]').getAttribute('aria-label')) ?? '', /about \$0\.01 \(estimated from published prices\)/);
      assert.deepEqual(await page.locator('[data-testid=plan-step]').evaluateAll((els) => els.map((e: any) => e.dataset.status)), [
        'done',
        'in_progress',
        'pending',
      ]);
      assert.equal(await page.locator('[data-testid=task-status]').getAttribute('data-status'), 'running');
      await event(page, { type: 'done', status: 'finished', summary: 'ok' });
      assert.equal(await page.locator('[data-testid=task-status]').getAttribute('data-status'), 'finished');
      assert.equal(await page.locator('[data-testid=stop]').isVisible(), false);
    },
  ],
  [
    'a retry drops the half-streamed message and shows a notice',
    async ({ page }) => {
      await show(page, newTaskView('t1', 'Goal', 10, 0));
      await event(page, { type: 'message_delta', text: 'half' });
      await event(page, { type: 'retry', reason: 'timeout' });
      assert.equal(await count(page, '[data-testid=message]'), 0);
      assert.match(await page.locator('[data-testid=notice]').innerText(), /Retrying: timeout/);
    },
  ],
  [
    'a long task opens with its latest items and shows earlier ones on demand',
    async ({ page }) => {
      const task = newTaskView('t1', 'Long', 10, 0);
      for (let i = 0; i < 450; i++) task.items.push({ kind: 'message', text: `m${i}`, streaming: false });
      await show(page, task, false);
      assert.equal(await page.locator('[data-testid=message]').last().innerText(), 'm449');
      assert.ok((await count(page, '[data-testid=message]')) < 451);
      while (await page.locator('[data-testid=show-earlier]').isVisible()) await page.locator('[data-testid=show-earlier]').click();
      await frame(page);
      assert.equal(await count(page, '[data-testid=message]'), 450);
      assert.equal(await page.locator('[data-testid=message]').first().innerText(), 'm0');
      await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('.md-pending').length === 0);
      assert.deepEqual(await sent(page), []);
    },
  ],
];

export const compactionCases: Case[] = [
  [
    'a compaction is a line that opens the summary the model now works from (plain text, never markup)',
    async ({ page }) => {
      await show(page, newTaskView('t1', 'Long task', 50, 0));
      const summary = '## Files\n- src/a.ts: <img src=x onerror=alert(1)> the parser\n## Next step\n- fix it';
      await event(page, { type: 'compaction', text: "Compacted 12 earlier steps (the model's summary): about 9,800 → 4,100 tokens.", summary });
      const line = page.locator('[data-testid=compaction]');
      assert.match(await line.innerText(), /Compacted 12 earlier steps/);
      assert.equal(await page.locator('[data-testid=compaction-summary]').isVisible(), false);
      await line.locator('summary').click();
      await page.locator('[data-testid=compaction-summary]').waitFor({ state: 'visible' });
      assert.equal(await page.locator('[data-testid=compaction-summary]').innerText(), summary);
      assert.equal(await count(page, '[data-testid=compaction-summary] img'), 0);
      await event(page, { type: 'compaction', text: 'Nothing to compact yet.', summary: '' });
      assert.equal(await page.locator('[data-testid=compaction]').nth(1).innerText(), 'Nothing to compact yet.');
    },
  ],
  [
    'while a task runs, Compact and /compact ask for a compaction; neither exists once it ended',
    async ({ page }) => {
      await show(page, newTaskView('t1', 'Long task', 50, 0));
      await page.locator('[data-testid=compact]').click();
      await page.locator('[data-testid=goal-input]').fill('/compact');
      assert.equal(await page.locator('[data-testid=send]').isDisabled(), false, '/compact can be sent while the task runs');
      await page.locator('[data-testid=goal-input]').press('Enter');
      await page.locator('[data-testid=goal-input]').fill('another goal');
      assert.equal(await page.locator('[data-testid=send]').isDisabled(), true, 'a goal cannot be sent while the task runs');
      assert.deepEqual(await sent(page), [{ type: 'compact' }, { type: 'compact' }]);
      assert.equal(await page.locator('[data-testid=goal-input]').inputValue(), 'another goal');
      await event(page, { type: 'done', status: 'finished', summary: 'ok' });
      await send(page, { type: 'state', task: { ...newTaskView('t1', 'Long task', 50, 0), status: 'finished' }, history: [], running: false });
      await frame(page);
      assert.equal(await page.locator('[data-testid=compact]').isVisible(), false);
    },
  ],
];
