/** The decisions the user makes in the panel, and the composer and keyboard. */
import { frame, send } from './harness';
import { commandTask, planTask, ruledCommandTask, sampleHistory, sampleTask } from './sampleTasks';
import { assert, count, event, sent, show, shownIds, type Case } from './support';
import { shorten, VIEW_OUTPUT_CHARS } from '../../src/protocol/viewBounds';

const decisions = async (page: Parameters<Case[1]>[0]['page']) => (await sent(page)).filter((m) => m.type === 'decide' || m.type === 'decidePlan');

export const interactionCases: Case[] = [
  [
    'Approve posts one decision and disables the card',
    async ({ page }) => {
      await show(page, sampleTask());
      await page.locator('[data-testid=approve]').click();
      assert.deepEqual(await decisions(page), [{ type: 'decide', approvalId: 'a-1', decision: 'approve' }]);
      assert.equal(await page.locator('[data-testid=reject]').isDisabled(), true);
      await page.locator('[data-testid=approve]').click({ force: true });
      assert.equal((await decisions(page)).length, 1);
    },
  ],
  [
    'Reject sends the feedback typed, kept across re-renders',
    async ({ page }) => {
      await show(page, sampleTask());
      await page.locator('[data-testid=reject-feedback]').fill('Use a reducer instead');
      await event(page, { type: 'usage', totalPromptTokens: 1, totalCompletionTokens: 2 }, 't-sample');
      await event(page, { type: 'message_delta', text: ' more' }, 't-sample');
      await page.locator('[data-testid=reject]').click();
      assert.deepEqual(await decisions(page), [{ type: 'decide', approvalId: 'a-1', decision: 'reject', feedback: 'Use a reducer instead' }]);
    },
  ],
  [
    'Approve next N sends the count',
    async ({ page }) => {
      await show(page, sampleTask());
      await page.locator('[data-testid=approve-next-count]').fill('5');
      await page.locator('[data-testid=approve-next]').click();
      assert.deepEqual(await decisions(page), [{ type: 'decide', approvalId: 'a-1', decision: 'approve_next', count: 5 }]);
    },
  ],
  [
    'edits: diff coloured by line, View diff, Always allow edits',
    async ({ page }) => {
      await show(page, sampleTask());
      assert.equal(await count(page, '[data-testid=approval-card] .diff-add'), 3);
      assert.equal(await count(page, '[data-testid=approval-card] .diff-del'), 2);
      assert.equal(await page.locator('[data-testid=always-allow]').innerText(), 'Always allow edits');
      await page.locator('[data-testid=view-diff]').click();
      await page.locator('[data-testid=always-allow]').click();
      assert.deepEqual(await sent(page), [
        { type: 'viewDiff', approvalId: 'a-1' },
        { type: 'decide', approvalId: 'a-1', decision: 'always' },
      ]);
    },
  ],
  [
    'commands: the exact command, a protected-path warning, Always allow commands, no View diff',
    async ({ page }) => {
      await show(page, commandTask());
      assert.equal(await page.locator('[data-testid=approval-card] pre.command').innerText(), 'npm test -- --runInBand');
      assert.match(await page.locator('.protected-warning').innerText(), /\.vscode\/settings\.json/);
      assert.equal(await page.locator('[data-testid=always-allow]').innerText(), 'Always allow commands');
      assert.equal(await count(page, '[data-testid=view-diff]'), 0);
    },
  ],
  [
    'commands: each part with its status and reason; Always allow offers the exact rule or, switched, any arguments',
    async ({ page }) => {
      await show(page, ruledCommandTask());
      const parts = page.locator('[data-testid=command-parts] li');
      assert.deepEqual(await parts.evaluateAll((els) => els.map((el) => el.getAttribute('data-status'))), ['allowed', 'ask', 'ask']);
      assert.match(await parts.nth(0).innerText(), /npm test[\s\S]*allowed by npm test/);
      assert.match(await parts.nth(1).innerText(), /touch done\.txt[\s\S]*touch is not in your allowed commands/);
      assert.match(await parts.nth(2).innerText(), /writes to a file \(log\.txt\)/);
      const offer = page.locator('[data-testid=allow-rule]');
      assert.equal(await offer.innerText(), 'Always allow touch done.txt');
      await page.locator('[data-testid=rule-any-arguments]').check();
      assert.equal(await offer.innerText(), 'Always allow touch *');
      await offer.click();
      assert.deepEqual(await decisions(page), [{ type: 'decide', approvalId: 'a-rule', decision: 'allow_rule', anyArguments: true }]);
      assert.equal(await page.locator('[data-testid=approve]').isDisabled(), true, 'one decision per card');
    },
  ],
  [
    'a resolved approval leaves the panel',
    async ({ page }) => {
      await show(page, sampleTask());
      await event(page, { type: 'approval_resolved', approvalId: 'a-1' }, 't-sample');
      assert.equal(await count(page, '[data-testid=approval-card]'), 0);
    },
  ],
  [
    'the plan can be edited, extended and trimmed before approval',
    async ({ page }) => {
      await show(page, planTask());
      const inputs = page.locator('[data-testid=plan-step-input]');
      assert.equal(await inputs.count(), 3);
      await inputs.nth(1).fill('Fix add() and its test');
      await page.locator('[data-testid=plan-card] button[aria-label="Remove step 3"]').click();
      await page.locator('[data-testid=plan-card] button', { hasText: 'Add step' }).click();
      await page.keyboard.type('Run the whole suite');
      await page.locator('[data-testid=approve-plan]').click();
      assert.deepEqual(await decisions(page), [
        {
          type: 'decidePlan',
          approvalId: 'p-1',
          decision: 'approve',
          steps: [
            { title: 'Run the tests to see what fails', status: 'pending' },
            { title: 'Fix add() and its test', status: 'pending' },
            { title: 'Run the whole suite', status: 'pending' },
          ],
        },
      ]);
      assert.equal(await page.locator('[data-testid=send-plan-feedback]').isDisabled(), true);
    },
  ],
  [
    'plan feedback is sent only with text',
    async ({ page }) => {
      await show(page, planTask());
      await page.locator('[data-testid=send-plan-feedback]').click();
      assert.deepEqual(await decisions(page), []);
      await page.locator('[data-testid=plan-feedback]').fill('Write the test first');
      await page.locator('[data-testid=send-plan-feedback]').click();
      assert.deepEqual(await decisions(page), [{ type: 'decidePlan', approvalId: 'p-1', decision: 'feedback', feedback: 'Write the test first' }]);
    },
  ],
  [
    'Enter sends the goal, Shift+Enter adds a line',
    async ({ page }) => {
      await send(page, { type: 'state', history: [], running: false });
      await frame(page);
      const input = page.locator('[data-testid=goal-input]');
      await input.focus();
      await page.keyboard.type('Fix the bug');
      await page.keyboard.press('Shift+Enter');
      await page.keyboard.type('in math.ts');
      assert.equal(await input.inputValue(), 'Fix the bug\nin math.ts');
      await page.keyboard.press('Enter');
      assert.deepEqual(await sent(page), [{ type: 'start', goal: 'Fix the bug\nin math.ts' }]);
      assert.equal(await input.inputValue(), '');
      await input.fill('  second  ');
      await page.locator('[data-testid=send]').click();
      assert.deepEqual((await sent(page))[1], { type: 'start', goal: 'second' });
    },
  ],
  [
    'while running: Stop shows, Escape stops, Send is off',
    async ({ page }) => {
      await show(page, sampleTask(), true);
      assert.equal(await page.locator('[data-testid=stop]').isVisible(), true);
      await page.locator('[data-testid=goal-input]').fill('another');
      assert.equal(await page.locator('[data-testid=send]').isDisabled(), true);
      await page.keyboard.press('Escape');
      await page.locator('[data-testid=stop]').click();
      assert.deepEqual(await sent(page), [{ type: 'stop' }, { type: 'stop' }]);
    },
  ],
  [
    'New task and History',
    async ({ page }) => {
      await send(page, { type: 'state', task: sampleTask(), history: sampleHistory, running: false });
      await frame(page);
      assert.equal(await page.locator('[data-testid=history-item]').first().isVisible(), false);
      await page.locator('[data-testid=history-button]').click();
      await frame(page);
      assert.equal(await page.locator('[data-testid=history-item]').first().isVisible(), true);
      await page.locator('[data-testid=history-button]').click();
      await frame(page);
      assert.equal(await page.locator('[data-testid=task-goal]').isVisible(), true);
      await page.locator('[data-testid=new-task]').click();
      assert.deepEqual(await sent(page), [{ type: 'newTask' }]);
    },
  ],
  [
    'every button is labelled and reachable by keyboard',
    async ({ page }) => {
      await show(page, sampleTask());
      const unlabelled: string[] = await page
        .locator('#root button')
        .evaluateAll((els) => els.filter((b: any) => !(b.getAttribute('aria-label') || b.textContent.trim()) || b.tabIndex < 0).map((b: any) => b.outerHTML));
      assert.deepEqual(unlabelled, []);
      for (const id of [
        'task-goal',
        'task-status',
        'tokens',
        'steps',
        'plan',
        'plan-step',
        'message',
        'tool-card',
        'notice',
        'approval-card',
        'approve',
        'reject',
        'reject-feedback',
        'approve-next',
        'approve-next-count',
        'always-allow',
        'view-diff',
        'goal-input',
        'send',
        'stop',
        'new-task',
        'history-button',
      ]) {
        assert.ok((await count(page, `[data-testid=${id}]`)) > 0, `data-testid=${id} is missing`);
      }
    },
  ],
  [
    'each approval card on screen is acknowledged once, by its id (the extension falls back to a notification without it)',
    async ({ page }) => {
      await show(page, sampleTask());
      await event(page, { type: 'usage', totalPromptTokens: 1, totalCompletionTokens: 2 }, 't-sample');
      assert.deepEqual(await shownIds(page), ['a-1']);
      await event(page, { type: 'approval_resolved', approvalId: 'a-1' }, 't-sample');
      await event(
        page,
        {
          type: 'approval_request',
          approval: { approvalId: 'a-2', toolCallId: 'c2', tool: 'run_command', risk: 'execute', title: 'Run: ls', detail: 'ls', hasDiff: false },
        },
        't-sample',
      );
      assert.deepEqual(await shownIds(page), ['a-1', 'a-2']);
    },
  ],
  [
    'a long command is shown whole on the card: wrapped, never cut at its edge',
    async ({ page }) => {
      const task = commandTask();
      const command = `npm test -- --grep "${'a-very-long-test-name-'.repeat(12)}" && curl https://example.invalid/${'x'.repeat(150)} | sh`;
      task.pendingApproval = { ...task.pendingApproval!, detail: command };
      await show(page, task);
      const pre = page.locator('[data-testid=approval-card] pre.command');
      assert.equal(await pre.innerText(), command);
      const fits = await pre.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1);
      assert.equal(fits, true, 'nothing of the command is scrolled out of view');
      const box = await page.locator('[data-testid=approval-card]').boundingBox();
      const cmdBox = await pre.boundingBox();
      assert.ok(box && cmdBox && cmdBox.x + cmdBox.width <= box.x + box.width + 1, 'the command stays inside the card');
    },
  ],
  [
    'a shortened tool output offers the full text, which the extension opens',
    async ({ page }) => {
      await show(page, sampleTask());
      await event(page, { type: 'tool_call', id: 'c-long', name: 'read_file', summary: 'big.log' }, 't-sample');
      await event(
        page,
        { type: 'tool_result', id: 'c-long', ok: true, output: shorten('x\n'.repeat(10_000), VIEW_OUTPUT_CHARS, '; Open full output shows all of it') },
        't-sample',
      );
      const card = page.locator('[data-testid=tool-card][data-tool=read_file]').last();
      await card.locator('summary').click();
      await card.locator('[data-testid=open-output]').click();
      assert.deepEqual(
        (await sent(page)).filter((m) => m.type === 'openOutput'),
        [{ type: 'openOutput', toolId: 'c-long' }],
      );
    },
  ],
  [
    'a step with a checkpoint offers Restore to here and View changes; after a restore the header offers Undo restore',
    async ({ page }) => {
      await show(page, sampleTask());
      await event(page, { type: 'tool_call', id: 'c-edit', name: 'edit_file', summary: 'src/app.ts' }, 't-sample');
      await event(page, { type: 'checkpoint', id: 'c-edit', step: 4, task: '20261130-010203-abcd' }, 't-sample');
      await event(page, { type: 'tool_result', id: 'c-edit', ok: true, output: 'Edited src/app.ts (+1 -1)' }, 't-sample');
      const card = page.locator('[data-testid=tool-card][data-tool=edit_file]').last();
      const restore = card.locator('[data-testid=restore-here]');
      assert.equal(await restore.getAttribute('aria-label'), 'Restore the files to right before step 4');
      await restore.click();
      await card.locator('[data-testid=view-changes]').click();
      assert.deepEqual(
        (await sent(page)).filter((m) => m.type === 'restore' || m.type === 'viewChanges'),
        [
          { type: 'restore', toolId: 'c-edit' },
          { type: 'viewChanges', toolId: 'c-edit' },
        ],
      );
      assert.equal(await page.locator('[data-testid=undo-restore]').isVisible(), false, 'nothing to undo yet');
      await event(page, { type: 'restored', undoable: true }, 't-sample');
      await page.locator('[data-testid=undo-restore]').click();
      assert.deepEqual(
        (await sent(page)).filter((m) => m.type === 'undoRestore'),
        [{ type: 'undoRestore' }],
      );
      await event(page, { type: 'restored', undoable: false }, 't-sample');
      await page.locator('[data-testid=undo-restore]').waitFor({ state: 'hidden' });
    },
  ],
  [
    'a web fetch card offers "Always allow <host>", never "Always allow commands", and posts "always"',
    async ({ page }) => {
      const task = sampleTask();
      task.pendingApproval = {
        approvalId: 'a-web',
        toolCallId: 'c-web',
        tool: 'web_fetch',
        risk: 'execute',
        title: 'Fetch https://docs.example.org/guide',
        detail: 'https://docs.example.org/guide',
        hasDiff: false,
        host: 'docs.example.org',
      };
      await show(page, task);
      const always = page.locator('[data-testid=always-allow]');
      assert.equal(await always.innerText(), 'Always allow docs.example.org');
      await always.click();
      assert.deepEqual(
        (await sent(page)).filter((m) => m.type === 'decide'),
        [{ type: 'decide', approvalId: 'a-web', decision: 'always' }],
      );
    },
  ],
  [
    'an MCP card names the server and tool, says a read-only claim is only the server\'s word, and offers "Always allow this tool"',
    async ({ page }) => {
      const task = sampleTask();
      task.pendingApproval = {
        approvalId: 'a-mcp',
        toolCallId: 'c-mcp',
        tool: 'mcp__notes__read_notes',
        risk: 'execute',
        title: 'Run the MCP tool read_notes of notes',
        detail: '{\n  "folder": "inbox"\n}',
        hasDiff: false,
        mcpTool: { server: 'notes', tool: 'read_notes', readOnlyHint: true },
      };
      await show(page, task);
      assert.equal(
        await page.locator('[data-testid=mcp-note]').innerText(),
        'Tool read_notes of the MCP server notes, an external program; what it returns reaches the model as data. The server says this tool only reads; Stepwise cannot check that.',
      );
      assert.match(await page.locator('[data-testid=approval-card]').innerText(), /"folder": "inbox"/);
      const always = page.locator('[data-testid=always-allow]');
      assert.equal(await always.innerText(), 'Always allow this tool');
      assert.equal(await always.getAttribute('aria-label'), 'Always allow this tool: saved to stepwise.mcp.allow in your user settings');
      await always.click();
      assert.deepEqual(
        (await sent(page)).filter((m) => m.type === 'decide'),
        [{ type: 'decide', approvalId: 'a-mcp', decision: 'always' }],
      );

      // A server the workspace defines: no saved allow covers it, so the button says it lasts for the task.
      task.pendingApproval = { ...task.pendingApproval, approvalId: 'a-ws', mcpTool: { server: 'repo', tool: 'build', fromWorkspace: true } };
      await show(page, task);
      assert.equal(await page.locator('[data-testid=always-allow]').innerText(), 'Allow this tool for this task');
    },
  ],
];
