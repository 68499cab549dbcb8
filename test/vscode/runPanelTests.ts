/**
 * End-to-end tests of the sidebar chat panel in a real browser against a real VS Code
 * (code-server + Chromium via playwright-core): goal, streamed text, plan approval, edit approval
 * (file changes on disk), reject with feedback (reaches the model), approve next N, Stop during a
 * long command, Compact mid-task, reload mid-task (history shows it interrupted). Screenshots in
 * light and dark.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { stdioFixture } from '../support/mcpServers';
import { startScriptedServer, type RecordedRequest, type ScriptStep } from '../support/scriptedServer';
import { CHROMIUM_ARGS, REPO, remoteUri, startCodeServer, runMain } from './codeServer';
import { runCommand, setColorTheme } from './palette';
import { checker, openPanel as openPanelOf, RESULTS } from './panel';
import { until } from './waits';

const call = (name: string, args: Record<string, unknown>): ScriptStep => ({ toolCalls: [{ name, arguments: args }] });
const plan = call('update_plan', {
  steps: [
    { title: 'Read the code', status: 'done' },
    { title: 'Fix add', status: 'in_progress' },
    { title: 'Check the tests', status: 'pending' },
  ],
});
const finish = (summary: string) => call('finish', { summary });

/** One script per goal; the step is the number of assistant turns so far. */
const SCRIPTS: Record<string, ScriptStep[]> = {
  'Fix the add function': [
    { text: 'Looking at the **code** first.', toolCalls: [{ name: 'list_files', arguments: {} }], chunkSize: 3 },
    plan,
    call('edit_file', { path: 'src/math.js', edits: [{ search: '  return a - b;', replace: '  return a + b;' }] }),
    call('run_command', { command: 'rm -rf test' }),
    call('run_command', { command: 'echo one > one.txt' }),
    call('run_command', { command: 'echo two > two.txt' }),
    call('run_command', { command: 'echo three > three.txt' }),
    finish('add now adds.'),
  ],
  'Wait for a long command': [plan, call('run_command', { command: 'sleep 120' }), finish('never')],
  'Read everything, then check': [
    plan,
    ...Array.from({ length: 18 }, (_, i) => call('read_file', { path: `src/big${i}.js` })),
    call('run_task', { name: 'check' }),
    finish('read and checked.'),
  ],
  'Echo twice': [plan, call('mcp__fixture__echo', { text: 'one' }), call('mcp__fixture__echo', { text: 'two' }), finish('echoed.')],
  'Start and reload': [plan, call('run_command', { command: 'echo waiting' }), finish('never')],
  'Compact on request': [plan, call('read_file', { path: 'src/math.js' }), call('run_command', { command: 'touch compacted.txt' }), finish('compacted.')],
  'Allow a rule': [
    plan,
    call('run_command', { command: 'touch ruled.txt && ls' }),
    call('run_command', { command: 'touch ruled.txt && ls' }),
    call('run_command', { command: 'touch other.txt' }),
    finish('ruled.'),
  ],
};

/** What the model writes when asked to compact (tool_choice "none"). */
const SUMMARY = '## Files\n- src/math.js: add subtracts\n## Edits\n- none\n## Commands\n- none\n## Open questions\n- none\n## Next step\n- run the check';

/** Each goal's script, step by step (a compaction rewrites the history, so turns are counted here). */
const turns = new Map<string, number>();
function script(request: RecordedRequest): ScriptStep {
  if (request.body?.tool_choice === 'none') return { text: SUMMARY };
  const messages: { role: string; content: string }[] = request.body?.messages ?? [];
  const first = messages.find((m) => m.role === 'user')?.content ?? '';
  const goal = Object.keys(SCRIPTS).find((g) => first === g || first.startsWith(`${g}\n`)) ?? '';
  const turn = turns.get(goal) ?? 0;
  turns.set(goal, turn + 1);
  return SCRIPTS[goal]?.[turn] ?? finish('script ended');
}

async function main(): Promise<number> {
  fs.mkdirSync(RESULTS, { recursive: true });
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-panel-ws-'));
  fs.cpSync(path.join(REPO, 'test/fixtures/vscode-workspace'), workspace, { recursive: true });
  const model = await startScriptedServer((request) => script(request));
  const server = await startCodeServer({
    testDriver: true,
    userSettings: {
      'stepwise.baseUrl': model.url,
      'stepwise.model': 'scripted-model',
      'workbench.colorTheme': 'Default Light Modern',
      // The test MCP server (test/fixtures/mcp): its prompts for the `/` picker.
      'stepwise.mcp.servers': { fixture: stdioFixture() },
    },
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const { check, counts } = checker(page, 'panel');
  const payload = [
    ['extensionDevelopmentPath', remoteUri(server.origin, REPO)],
    ['skipWelcome', 'true'],
  ];
  const url = `${server.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  const openPanel = () => openPanelOf(page);
  const lastToolMessage = () => {
    const body = model.chatRequests().at(-1)?.body;
    return (body?.messages ?? []).filter((m: { role: string }) => m.role === 'tool').at(-1)?.content ?? '';
  };

  try {
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    let panel = await openPanel();

    await check('the model bar names the model and where it runs; one click opens the model picker', async () => {
      const port = new URL(model.url).port;
      await panel
        .getByTestId('model-name')
        .filter({ hasText: `scripted-model · 127.0.0.1:${port}, local` })
        .waitFor({ timeout: 30_000 });
      assert.equal(await panel.getByTestId('setup-card').isVisible(), false, 'a model is set up: no setup card');
      await panel.getByTestId('model-bar').click();
      const picker = page.locator('.quick-input-widget', { hasText: 'Where should the model run?' });
      await picker.waitFor({ timeout: 15_000 });
      await page.keyboard.press('Escape');
      await picker.waitFor({ state: 'hidden' });
    });

    await check('a goal typed in the panel streams the model text, then shows the plan for approval before any change', async () => {
      await panel.getByTestId('goal-input').fill('Fix the add function');
      await panel.getByTestId('goal-input').press('Enter');
      await panel.getByTestId('message').filter({ hasText: 'Looking at the code first.' }).waitFor({ timeout: 30_000 });
      await panel.locator('[data-testid="tool-card"][data-tool="list_files"][data-status="ok"]').waitFor();
      await panel.getByTestId('plan-card').waitFor();
      assert.equal(await panel.getByTestId('plan-step-input').count(), 3);
      await page.screenshot({ path: path.join(RESULTS, 'panel-plan-light.png') });
      await panel.getByTestId('approve-plan').click();
      await panel.getByTestId('plan-step').first().waitFor();
    });

    await check('an edit is approved in the panel (with View diff) and the file changes on disk', async () => {
      const card = panel.getByTestId('approval-card');
      await card.waitFor({ timeout: 30_000 });
      assert.match(await card.innerText(), /Edit src\/math\.js/);
      await panel.getByTestId('view-diff').click();
      await page.locator('.tab', { hasText: 'proposed by Stepwise' }).waitFor({ timeout: 10_000 });
      // The diff drawn (both sides), for the README's shots in both themes.
      await page.locator('.monaco-diff-editor .editor.modified .view-line', { hasText: 'return a + b;' }).waitFor({ timeout: 10_000 });
      await page.locator('.monaco-diff-editor .editor.original .view-line', { hasText: 'return a - b;' }).waitFor({ timeout: 10_000 });
      await page.screenshot({ path: path.join(RESULTS, 'panel-approval-light.png') });
      await setColorTheme(page, 'Dark Modern');
      await page.screenshot({ path: path.join(RESULTS, 'panel-approval-dark.png') });
      await setColorTheme(page, 'Light Modern');
      await panel.getByTestId('approve').click();
      await until(() => /return a \+ b/.test(fs.readFileSync(path.join(workspace, 'src/math.js'), 'utf8')), 'the approved edit on disk');
      assert.match(fs.readFileSync(path.join(workspace, 'src/math.js'), 'utf8'), /return a \+ b;/);
    });

    await check('rejecting a command with feedback: the next model request carries it, nothing ran', async () => {
      const card = panel.getByTestId('approval-card');
      await card.filter({ hasText: 'rm -rf test' }).waitFor({ timeout: 30_000 });
      await panel.getByTestId('reject-feedback').fill('keep the tests');
      await panel.getByTestId('reject').click();
      await card.filter({ hasText: 'echo one' }).waitFor({ timeout: 30_000 });
      assert.match(lastToolMessage(), /The user said: "keep the tests"/);
      assert.ok(fs.existsSync(path.join(workspace, 'test/math.test.js')));
    });

    await check('approve next 2 runs this command and the next without asking, then asks again', async () => {
      await panel.getByTestId('approve-next-count').fill('2');
      await panel.getByTestId('approve-next').click();
      await panel.getByTestId('approval-card').filter({ hasText: 'echo three' }).waitFor({ timeout: 30_000 });
      assert.equal(fs.readFileSync(path.join(workspace, 'one.txt'), 'utf8'), 'one\n');
      assert.equal(fs.readFileSync(path.join(workspace, 'two.txt'), 'utf8'), 'two\n');
      await panel.getByTestId('approve').click();
      await panel
        .getByTestId('task-status')
        .filter({ hasText: /finished/i })
        .waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(RESULTS, 'panel-finished-light.png') });
      await setColorTheme(page, 'Dark Modern');
      await page.screenshot({ path: path.join(RESULTS, 'panel-finished-dark.png') });
      await setColorTheme(page, 'Light Modern');
    });

    await check('a command card shows its parts and why; "Always allow" runs it, saves the rule, and the same command then runs by itself', async () => {
      await panel.getByTestId('new-task').click();
      await panel.getByTestId('goal-input').fill('Allow a rule');
      await panel.getByTestId('send').click();
      await panel.getByTestId('approve-plan').click({ timeout: 30_000 });
      const card = panel.getByTestId('approval-card').filter({ hasText: 'touch ruled.txt' });
      await card.waitFor({ timeout: 30_000 });
      const parts = card.getByTestId('command-parts');
      assert.match(await parts.locator('[data-status="ask"]').innerText(), /touch ruled\.txt[\s\S]*touch is not in your allowed commands/);
      assert.match(await parts.locator('[data-status="allowed"]').innerText(), /ls[\s\S]*allowed by ls \*/);
      const offer = card.getByTestId('allow-rule');
      assert.match(await offer.innerText(), /Always allow touch ruled\.txt/);
      await card.getByTestId('rule-any-arguments').check();
      assert.match(await offer.innerText(), /Always allow touch \*/);
      await card.getByTestId('rule-any-arguments').uncheck();
      await page.screenshot({ path: path.join(RESULTS, 'panel-command-rule-light.png') });
      await offer.click();
      await panel.getByTestId('approval-card').filter({ hasText: 'touch other.txt' }).waitFor({ timeout: 30_000 });
      assert.ok(fs.existsSync(path.join(workspace, 'ruled.txt')));
      const runs = model
        .chatRequests()
        .flatMap((r) => (r.body?.messages ?? []).filter((m: { role: string }) => m.role === 'tool').map((m: { content: string }) => m.content));
      assert.ok(runs.filter((c: string) => /Exit code: 0/.test(c)).length >= 2, 'both touch ruled.txt commands ran');
      const settings = fs.readFileSync(path.join(server.userDataDir, 'User', 'settings.json'), 'utf8');
      assert.deepEqual(JSON.parse(settings)['stepwise.commands.allow'], ['touch ruled.txt']);
      await panel.getByTestId('reject').click();
      await panel
        .getByTestId('task-status')
        .filter({ hasText: /finished/i })
        .waitFor({ timeout: 30_000 });
      assert.equal(fs.existsSync(path.join(workspace, 'other.txt')), false);
    });

    await check(
      'an MCP call\'s card: "Always allow this tool" says it is saved, saves fixture/echo to the user settings, and the next call runs by itself',
      async () => {
        await panel.getByTestId('new-task').click();
        await panel.getByTestId('goal-input').fill('Echo twice');
        await panel.getByTestId('send').click();
        await panel.getByTestId('approve-plan').click({ timeout: 30_000 });
        const card = panel.getByTestId('approval-card').filter({ hasText: 'echo' });
        await card.waitFor({ timeout: 30_000 });
        const always = card.getByTestId('always-allow');
        assert.equal(await always.innerText(), 'Always allow this tool');
        assert.equal(await always.getAttribute('title'), 'Always allow this tool: saved to stepwise.mcp.allow in your user settings');
        await always.click();
        await panel
          .getByTestId('task-status')
          .filter({ hasText: /finished/i })
          .waitFor({ timeout: 30_000 });
        assert.match(lastToolMessage(), /echo: two$/, 'the second call ran without asking');
        await until(
          () => /"stepwise\.mcp\.allow": \[\s*"fixture\/echo"\s*\]/.test(fs.readFileSync(path.join(server.userDataDir, 'User', 'settings.json'), 'utf8')),
          'fixture/echo in the user settings',
        );
      },
    );

    await check('after 18 large reads, with the panel hidden and shown, the next approval is on the panel, its task line whole', async () => {
      for (let i = 0; i < 18; i++)
        fs.writeFileSync(path.join(workspace, `src/big${i}.js`), `// big ${i}\n${'module.exports.value = "a line that fills the file";\n'.repeat(240)}`);
      await panel.getByTestId('new-task').click();
      await panel.getByTestId('goal-input').fill('Read everything, then check');
      await panel.getByTestId('send').click();
      await panel.getByTestId('approve-plan').click({ timeout: 30_000 });
      const start = model.chatRequests().length;
      await until(() => model.chatRequests().length >= start + 8, 'eight reads');
      // Hide the sidebar and show it again: the page is rebuilt from one state message.
      const item = page.locator('.activitybar .action-item a[aria-label^="Stepwise"]');
      await item.click();
      await page
        .locator('iframe.webview.ready[src*="extensionId=stepwise-dev.stepwise"]')
        .waitFor({ state: 'hidden', timeout: 10_000 })
        .catch(() => undefined);
      panel = await openPanel();
      const card = panel.getByTestId('approval-card').filter({ hasText: 'check' });
      await card.waitFor({ timeout: 60_000 });
      const command = card.locator('pre.command');
      assert.match(await command.innerText(), /echo checking \$\{workspaceFolderBasename\}; echo 'src\/math\.js:2:3: error: subtraction in add'; exit 3/);
      assert.equal(await command.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), true, 'the task line wraps instead of running off the card');
      assert.ok((await panel.getByTestId('tool-card').count()) >= 18, 'the reads are on the panel');
      assert.ok((await panel.getByTestId('compaction').count()) >= 1, 'the reads passed the window: a compaction line shows');
      await page.screenshot({ path: path.join(RESULTS, 'panel-long-task-light.png') });
      await panel.getByTestId('reject').click();
      await panel
        .getByTestId('task-status')
        .filter({ hasText: /finished/i })
        .waitFor({ timeout: 30_000 });
      for (let i = 0; i < 18; i++) fs.rmSync(path.join(workspace, `src/big${i}.js`), { force: true });
    });

    await check('Compact while a step waits: the next request is the summary request, and the panel shows the line and the summary', async () => {
      await panel.getByTestId('new-task').click();
      await panel.getByTestId('goal-input').fill('Compact on request');
      const start = model.chatRequests().length;
      await panel.getByTestId('send').click();
      await panel.getByTestId('approve-plan').click({ timeout: 30_000 });
      await panel.getByTestId('approval-card').filter({ hasText: 'touch compacted.txt' }).waitFor({ timeout: 30_000 });
      await panel.getByTestId('compact').click();
      await panel.getByTestId('approve').click();
      const line = panel.getByTestId('compaction').filter({ hasText: "Compacted 2 earlier steps (the model's summary)" });
      await line.waitFor({ timeout: 30_000 });
      await line.locator('summary').click();
      assert.equal(await panel.getByTestId('compaction-summary').innerText(), SUMMARY);
      const requests = model.chatRequests().slice(start);
      const asked = requests.findIndex((r) => r.body?.tool_choice === 'none');
      assert.ok(asked > 0, 'a summary request was sent');
      assert.match(requests[asked + 1]?.body.messages[1].content, /^Compact on request\n\n\[The earlier steps were compacted[\s\S]*## Next step/);
      await panel
        .getByTestId('task-status')
        .filter({ hasText: /finished/i })
        .waitFor({ timeout: 30_000 });
    });

    await check('progress is a notification only while the sidebar is hidden; Stop during a long command ends the task as cancelled', async () => {
      await panel.getByTestId('new-task').click();
      await panel.getByTestId('goal-input').fill('Wait for a long command');
      await panel.getByTestId('send').click();
      await panel.getByTestId('approve-plan').click({ timeout: 30_000 });
      await panel.getByTestId('approval-card').filter({ hasText: 'sleep 120' }).waitFor({ timeout: 30_000 });
      await panel.getByTestId('approve').click();
      await panel.locator('[data-testid="tool-card"][data-tool="run_command"][data-status="running"]').waitFor();
      // Toasts are off in this test workbench (smoke-test mode): notifications are looked for in the center.
      if (!(await page.locator('.notifications-center.visible').isVisible())) await runCommand(page, 'Notifications: Show Notifications');
      const notification = page.locator('.notifications-center .notification-list-item', { hasText: 'run_command sleep 120' });
      const status = page.locator('.statusbar-item', { hasText: 'Stepwise: run_command sleep 120' });
      await status.first().waitFor({ timeout: 15_000 });
      assert.equal(await notification.count(), 0, 'the sidebar shows the step: no notification repeats it');
      await page.locator('.activitybar .action-item a[aria-label^="Stepwise"]').click();
      await notification.first().waitFor({ timeout: 15_000 });
      panel = await openPanel();
      await notification.first().waitFor({ state: 'detached', timeout: 15_000 });
      // The center closes by itself once it is empty; otherwise it is closed here.
      const hide = page.locator('.notifications-center.visible .codicon-notifications-hide');
      if (await hide.isVisible()) await hide.click({ timeout: 5_000 }).catch(() => undefined);
      await panel.getByTestId('stop').click();
      await panel
        .getByTestId('task-status')
        .filter({ hasText: /stopped|cancelled/i })
        .waitFor({ timeout: 15_000 });
    });

    await check('@ in the goal box finds a workspace file; the goal goes with its text; a file deleted meanwhile comes back with why', async () => {
      const input = panel.getByTestId('goal-input');
      await input.fill('');
      await input.pressSequentially('Explain @math');
      await panel.getByTestId('mention-item').filter({ hasText: 'src/math.js' }).first().waitFor({ timeout: 30_000 });
      await input.press('Enter');
      await panel.getByTestId('mention-chip').filter({ hasText: 'src/math.js' }).waitFor();
      const before = model.chatRequests().length;
      await input.press('Enter');
      await until(() => model.chatRequests().length > before, 'the goal with its attachment');
      assert.match(model.chatRequests()[before]?.body.messages[1].content, /Attached by the user:\n\n--- src\/math\.js ---\nfunction add/);
      await panel
        .getByTestId('task-status')
        .filter({ hasText: /finished/i })
        .waitFor({ timeout: 30_000 });

      // A file made a moment ago is offered too (the list is made again, and the open picker told).
      fs.writeFileSync(path.join(workspace, 'soon-gone.txt'), 'x\n');
      await input.pressSequentially('Read @soon-gone');
      await panel.getByTestId('mention-item').filter({ hasText: 'soon-gone.txt' }).waitFor({ timeout: 30_000 });
      await input.press('Enter');
      fs.rmSync(path.join(workspace, 'soon-gone.txt'));
      const asked = model.chatRequests().length;
      await input.press('Enter');
      await panel.getByTestId('composer-error').filter({ hasText: 'soon-gone.txt no longer exists' }).waitFor({ timeout: 30_000 });
      assert.equal(await input.inputValue(), 'Read', 'the goal comes back');
      assert.equal(model.chatRequests().length, asked, 'nothing was sent');
      await input.fill('');
      await panel.getByTestId('mention-remove').click();
    });

    await check('/ in the goal box lists the MCP prompts; a picked one asks its arguments in input boxes and its text fills the box, unsent', async () => {
      const input = panel.getByTestId('goal-input');
      await input.fill('');
      await input.pressSequentially('/review');
      await panel.getByTestId('mention-item').filter({ hasText: '/fixture.review — Review a file' }).waitFor({ timeout: 30_000 });
      const asked = model.chatRequests().length;
      await input.press('Enter');
      const quick = page.locator('.quick-input-widget');
      await quick.filter({ hasText: '/fixture.review: path (1 of 2)' }).waitFor({ timeout: 30_000 });
      await quick.locator('.quick-input-box input').fill('src/math.js');
      await quick.locator('.quick-input-box input').press('Enter');
      await quick.filter({ hasText: '/fixture.review: focus (2 of 2)' }).waitFor();
      await quick.locator('.quick-input-box input').press('Enter'); // optional: left empty
      await until(
        async () => (await input.inputValue()) === 'Review src/math.js for bugs.\n\nnotes://style:\nStyle: no semicolons.',
        'the prompt text in the goal box',
      );
      await page.screenshot({ path: path.join(RESULTS, 'panel-mcp-prompt-light.png') });
      assert.equal(model.chatRequests().length, asked, 'nothing is sent before the user sends it');
      await input.fill('');
    });

    await check('a window reload mid-task: the history shows the task as interrupted, nothing re-runs', async () => {
      await panel.getByTestId('new-task').click();
      await panel.getByTestId('goal-input').fill('Start and reload');
      await panel.getByTestId('send').click();
      await panel.getByTestId('plan-card').waitFor({ timeout: 30_000 });
      const before = model.chatRequests().length;
      await page.reload();
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      panel = await openPanel();
      await panel
        .getByTestId('history-item')
        .filter({ hasText: 'Start and reload' })
        .filter({ hasText: /interrupted/i })
        .waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(RESULTS, 'panel-history-light.png') });
      // The composer takes a new goal only when no task runs: nothing was started again.
      await panel.getByTestId('goal-input').and(panel.locator(':not([placeholder^="A task is running"])')).waitFor({ timeout: 30_000 });
      assert.equal(model.chatRequests().length, before, 'no model request after the reload');
    });
  } finally {
    if (process.env.STEPWISE_DEBUG) {
      for (const r of model.chatRequests())
        console.log(
          'TOOLS',
          JSON.stringify(
            (r.body?.messages ?? [])
              .filter((m: { role: string }) => m.role === 'tool')
              .map((m: { content: string }) => m.content.slice(0, 200))
              .slice(-1),
          ),
        );
    }
    await browser.close();
    await server.stop();
    await model.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  return counts.failed ? 1 : 0;
}

runMain('panel tests', main);
