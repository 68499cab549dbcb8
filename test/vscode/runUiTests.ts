/**
 * End-to-end through the real workbench UI (code-server + Chromium via playwright-core): the user
 * sets the API key from the command palette (it reaches the model server from SecretStorage and
 * never lands in settings), starts a goal from the palette, approves the edit in the notification,
 * and sees the result. Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { chromium, type Page } from 'playwright-core';
import { stdioFixture } from '../support/mcpServers';
import { startScriptedServer } from '../support/scriptedServer';
import { CHROMIUM_ARGS, REPO, remoteUri, startCodeServer, runMain } from './codeServer';
import { runCommand } from './palette';
import { REVIEW_STEPS, reviewChecks } from './reviewChecks';
import { until } from './waits';

const RESULTS = path.join(REPO, 'test-results');
const KEY = 'sk-ui-test-7f3a9c';
/** Makes the comment line longer than the editor is wide: it must wrap or scroll inside the review, never run off unseen. */
const LONG_COMMENT = ', both numbers; a NaN in either gives NaN back rather than a product that looks like a number but is not one, which callers check';

async function main(): Promise<number> {
  fs.mkdirSync(RESULTS, { recursive: true });
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-ui-ws-'));
  fs.cpSync(path.join(REPO, 'test/fixtures/vscode-workspace'), workspace, { recursive: true });
  const model = await startScriptedServer(
    [
      {
        text: 'I will fix add.',
        toolCalls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: '  return a - b;', replace: '  return a + b;' }] } }],
      },
      { toolCalls: [{ name: 'finish', arguments: { summary: 'add now adds.' } }] },
      // Two steps in a row: a leftover notification for the first must not answer the second.
      { toolCalls: [{ name: 'write_file', arguments: { path: 'stale-a.txt', content: 'a\n' } }] },
      { toolCalls: [{ name: 'write_file', arguments: { path: 'stale-b.txt', content: 'b\n' } }] },
      { toolCalls: [{ name: 'finish', arguments: { summary: 'two files considered.' } }] },
      {
        toolCalls: [
          {
            name: 'edit_file',
            arguments: {
              path: 'src/math.js',
              edits: [
                {
                  search: '  return a * b;',
                  replace: `  // product of a and b${LONG_COMMENT}\n  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;\n  return a * b * 1;`,
                },
              ],
            },
          },
        ],
      },
      { toolCalls: [{ name: 'finish', arguments: { summary: 'multiply documented.' } }] },
      // Escape stops this one while the model is still thinking.
      { delayMs: 60_000, toolCalls: [{ name: 'finish', arguments: { summary: 'too late' } }] },
      // After Select Model: the goal runs on the model picked for the workspace.
      { toolCalls: [{ name: 'finish', arguments: { summary: 'ran on the picked model.' } }] },
      // A workspace's .mcp.json: trusted once, then changed.
      { toolCalls: [{ name: 'finish', arguments: { summary: 'mcp trusted.' } }] },
      { toolCalls: [{ name: 'finish', arguments: { summary: 'mcp changed.' } }] },
      ...REVIEW_STEPS,
    ],
    { models: ['scripted-model', 'picked-model'] },
  );
  const server = await startCodeServer({
    testDriver: true,
    userSettings: { 'stepwise.baseUrl': model.url, 'stepwise.model': 'scripted-model', 'stepwise.planFirst': false },
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  let pageForShots: Page | undefined;
  let passed = 0;
  let failed = 0;
  const check = async (name: string, body: () => Promise<void>) => {
    try {
      await body();
      passed++;
      console.log(`  ✔ ${name}`);
    } catch (error) {
      failed++;
      await pageForShots?.screenshot({ path: path.join(RESULTS, `failed-${passed + failed}.png`) }).catch(() => undefined);
      console.log(`  ✗ ${name}\n    ${error instanceof Error ? error.message.split('\n').slice(0, 8).join('\n    ') : error}`);
    }
  };
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    pageForShots = page;
    /**
     * Toasts are off in this test workbench (smoke-test mode): an approval is answered from the
     * notification center. Each step's diff editor opens just before its notification.
     */
    const approvalNotification = async (title: string) => {
      await page.locator('.tab', { hasText: `${title} (proposed by Stepwise)` }).waitFor({ timeout: 30_000 });
      if (!(await page.locator('.notifications-center.visible').isVisible())) await runCommand(page, 'Notifications: Show Notifications');
      const item = page.locator('.notifications-center .notification-list-item', { hasText: title });
      await item.waitFor({ state: 'visible', timeout: 30_000 });
      return item;
    };
    const payload = [
      ['extensionDevelopmentPath', remoteUri(server.origin, REPO)],
      ['skipWelcome', 'true'],
    ];
    await page.goto(`${server.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });

    await check('Set API Key from the palette stores the key where settings never see it', async () => {
      await runCommand(page, 'Stepwise: Set API Key');
      // The key is typed into a password box, never shown.
      await page.locator('.quick-input-widget .quick-input-box input[type="password"]').waitFor({ state: 'visible' });
      await page.keyboard.type(KEY);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      const settings = fs.readFileSync(path.join(server.userDataDir, 'User', 'settings.json'), 'utf8');
      assert.ok(!settings.includes(KEY), 'the key is not in settings.json');
    });

    await check('Start Goal from the palette: the key reaches the server, the edit is approved in the UI, the file changes', async () => {
      await runCommand(page, 'Stepwise: Start Goal');
      await page.locator('.quick-input-widget .quick-input-box input[placeholder^="e.g."]').waitFor({ state: 'visible' });
      await page.keyboard.type('Fix the add function');
      await page.keyboard.press('Enter');
      const approve = (await approvalNotification('Edit src/math.js')).locator('.monaco-button', { hasText: /^Approve$/ });
      await page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible' }); // the diff, for the screenshot
      await page.screenshot({ path: path.join(RESULTS, 'approval-diff.png') });
      assert.equal(model.chatRequests()[0]?.headers.authorization, `Bearer ${KEY}`);
      await approve.click();
      await page.locator('.notifications-center', { hasText: 'Stepwise finished: add now adds.' }).waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(RESULTS, 'goal-finished.png') });
      assert.match(fs.readFileSync(path.join(workspace, 'src/math.js'), 'utf8'), /return a \+ b;/);
    });

    await check('a notification left over from an approved step answers nothing: the next step still waits for its own answer', async () => {
      await runCommand(page, 'Stepwise: Start Goal');
      await page.locator('.quick-input-widget .quick-input-box input[placeholder^="e.g."]').waitFor({ state: 'visible' });
      await page.keyboard.type('Make two files');
      await page.keyboard.press('Enter');
      const first = await approvalNotification('Create stale-a.txt');
      // Step 1 is approved elsewhere (the palette); its notification stays in the center.
      await runCommand(page, 'Stepwise: Approve Pending Step');
      await until(() => fs.existsSync(path.join(workspace, 'stale-a.txt')), 'step 1 to be written');
      const second = await approvalNotification('Create stale-b.txt');
      assert.equal(fs.readFileSync(path.join(workspace, 'stale-a.txt'), 'utf8'), 'a\n');
      // The leftover button of step 1: clicking it must not approve step 2, nor switch on "always".
      const stale = first.locator('.monaco-button', { hasText: /^Always Allow Edits$/ });
      if (await stale.isVisible()) {
        await stale.click();
        console.log("    (clicked the leftover notification's Always Allow Edits)");
      }
      await second.locator('.monaco-button', { hasText: /^Reject$/ }).click();
      await page.locator('.notifications-center', { hasText: 'Stepwise finished: two files considered.' }).waitFor({ timeout: 30_000 });
      assert.equal(fs.existsSync(path.join(workspace, 'stale-b.txt')), false, "step 2 was not approved by step 1's notification");
      const lastTools = (model.chatRequests().at(-1)?.body.messages ?? []).filter((m: { role: string }) => m.role === 'tool');
      assert.match(lastTools.at(-1)?.content ?? '', /The user denied this step/);
      await runCommand(page, 'Notifications: Clear All Notifications');
    });

    await check('Edit Selection (Ctrl+Alt+E) on selected code: the change is reviewed in the editor and accepted with its CodeLens', async () => {
      await runCommand(page, 'View: Close All Editors');
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible' });
      await page.keyboard.type('src/math.js');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'math.js' }).first().waitFor({ state: 'visible', timeout: 20_000 });
      await page.keyboard.press('Enter');
      const editor = page.locator('.editor-instance .monaco-editor', { hasText: 'function multiply' }).first();
      await editor.waitFor({ timeout: 20_000 });
      await editor.locator('.view-line', { hasText: 'function multiply' }).click();
      await page.keyboard.press('Home');
      for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Control+Alt+KeyE');
      await page.locator('.quick-input-widget .quick-input-box input[placeholder^="What should change?"]').waitFor({ state: 'visible', timeout: 20_000 });
      await page.keyboard.type('document multiply');
      await page.keyboard.press('Enter');
      const accept = editor.locator('.codelens-decoration a', { hasText: 'Accept' }).first();
      await accept.waitFor({ timeout: 30_000 });
      // Every new line is in the editor, readable without a hover: in the review box below the struck line.
      const box = page.locator('.review-widget', { hasText: 'Replaces the struck line with 3 lines' });
      await box.waitFor({ timeout: 30_000 });
      const shown = await box.innerText();
      for (const line of [`// product of a and b${LONG_COMMENT}`, 'if (Number.isNaN(a) || Number.isNaN(b)) return NaN;', 'return a * b * 1;'])
        assert.ok(shown.replace(/\s+/g, ' ').includes(line), `the review shows "${line}"`);
      await page.screenshot({ path: path.join(RESULTS, 'inline-review.png') });
      assert.match(fs.readFileSync(path.join(workspace, 'src/math.js'), 'utf8'), /^  return a \* b;$/m, 'nothing written before Accept');
      assert.match(
        model
          .chatRequests()
          .at(-1)
          ?.body.messages.find((m: { role: string }) => m.role === 'user')?.content ?? '',
        /^document multiply\n\nThis is about the selection in src\/math\.js \(lines 5-7\)/,
      );
      await accept.click();
      await page
        .locator('.notifications-center, .notifications-toasts', { hasText: 'Stepwise finished: multiply documented.' })
        .first()
        .waitFor({ state: 'attached', timeout: 30_000 })
        .catch(() => undefined);
      await until(() => /return a \* b \* 1;/.test(fs.readFileSync(path.join(workspace, 'src/math.js'), 'utf8')), 'the accepted change on disk');
      assert.ok(
        fs
          .readFileSync(path.join(workspace, 'src/math.js'), 'utf8')
          .includes(`  // product of a and b${LONG_COMMENT}\n  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;\n  return a * b * 1;`),
      );
      // The request and its result are in the sidebar's history, to follow up there.
      await page.locator('.activitybar .action-item a[aria-label^="Stepwise"]').click();
      const panel = page.frameLocator('iframe.webview.ready[src*="extensionId=stepwise-dev.stepwise"]').frameLocator('iframe#active-frame');
      await panel.getByTestId('task-goal').filter({ hasText: 'src/math.js:5-7: document multiply' }).waitFor({ timeout: 30_000 });
      await panel
        .getByTestId('task-status')
        .filter({ hasText: /finished/i })
        .waitFor({ timeout: 10_000 });
      await page.screenshot({ path: path.join(RESULTS, 'inline-accepted.png') });
    });

    await check('Escape in the editor stops an inline request while the model works; the file is untouched', async () => {
      const before = fs.readFileSync(path.join(workspace, 'src/math.js'), 'utf8');
      const editor = page.locator('.editor-instance .monaco-editor', { hasText: 'function multiply' }).first();
      await editor.locator('.view-line', { hasText: 'function add' }).click();
      await page.keyboard.press('Control+Alt+KeyE');
      await page.locator('.quick-input-widget .quick-input-box input[placeholder^="What should change?"]').waitFor({ state: 'visible', timeout: 20_000 });
      await page.keyboard.type('explain add');
      await page.keyboard.press('Enter');
      await until(() => model.chatRequests().length >= 8, 'the request to reach the model');
      assert.equal(model.chatRequests().length, 8, 'the request reached the model');
      await page.screenshot({ path: path.join(RESULTS, 'inline-working.png') });
      await editor.locator('.view-line', { hasText: 'function add' }).click();
      await page.keyboard.press('Escape');
      const panel = page.frameLocator('iframe.webview.ready[src*="extensionId=stepwise-dev.stepwise"]').frameLocator('iframe#active-frame');
      await panel
        .getByTestId('task-status')
        .filter({ hasText: /stopped|cancelled/i })
        .waitFor({ timeout: 15_000 });
      assert.equal(fs.readFileSync(path.join(workspace, 'src/math.js'), 'utf8'), before);
    });

    await check('Select Model: pick where the model runs (a custom server URL), then a model from its list; remembered for the workspace', async () => {
      await runCommand(page, 'Stepwise: Select Model');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Other OpenAI-compatible server' }).first().click({ timeout: 20_000 });
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      await input.fill(model.url);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'picked-model' }).first().click({ timeout: 20_000 });
      // The server is machine-wide (user settings); the model is kept for this workspace by Stepwise,
      // never written into the repository's .vscode/settings.json.
      await until(() => fs.readFileSync(path.join(server.userDataDir, 'User', 'settings.json'), 'utf8').includes(model.url), 'the server in user settings');
      const user = fs.readFileSync(path.join(server.userDataDir, 'User', 'settings.json'), 'utf8');
      assert.ok(user.includes(`"stepwise.baseUrl": "${model.url}"`), user);
      const workspaceSettings = parseJsonc(fs.readFileSync(path.join(workspace, '.vscode/settings.json'), 'utf8')) ?? {};
      assert.equal(workspaceSettings['stepwise.model'], 'expensive-model', "the repository's file is untouched");
      const before = model.chatRequests().length;
      await runCommand(page, 'Stepwise: Start Goal');
      await page.locator('.quick-input-widget .quick-input-box input[placeholder^="e.g."]').waitFor({ state: 'visible' });
      await page.keyboard.type('Which model?');
      await page.keyboard.press('Enter');
      await until(() => model.chatRequests().length > before, "the goal's first request");
      assert.equal(model.chatRequests()[before]?.body.model, 'picked-model');
      assert.ok(
        model.requests.some((r) => r.path === '/v1/models'),
        'the list came from the server',
      );
    });

    await check("a workspace's .mcp.json starts nothing until the user trusts it in a dialog naming the command; a changed file asks again", async () => {
      const marker = (name: string) => path.join(workspace, `${name}.started`);
      const mcpJson = (name: string) => ({ mcpServers: { fixture: stdioFixture(['--touch', marker(name)]) } });
      fs.writeFileSync(path.join(workspace, '.mcp.json'), JSON.stringify(mcpJson('first')));
      const startGoal = async (goal: string) => {
        await runCommand(page, 'Stepwise: Start Goal');
        await page.locator('.quick-input-widget .quick-input-box input[placeholder^="e.g."]').waitFor({ state: 'visible' });
        await page.keyboard.type(goal);
        await page.keyboard.press('Enter');
      };
      const before = model.chatRequests().length;
      await startGoal('Use the repository tools');
      const dialog = page.locator('.monaco-dialog-box', { hasText: 'This workspace defines MCP servers in .mcp.json' });
      await dialog.waitFor({ timeout: 30_000 });
      assert.match((await dialog.textContent()) ?? '', /fixture: \S*node\S* \S*server\.mjs --touch \S*first\.started/);
      assert.equal(fs.existsSync(marker('first')), false, 'nothing started before the answer');
      await page.screenshot({ path: path.join(RESULTS, 'mcp-trust.png') });
      await dialog.locator('.monaco-button', { hasText: 'Start Them' }).click();
      await until(() => model.chatRequests().length > before, "the goal's request");
      assert.ok(fs.existsSync(marker('first')), 'started once trusted');
      const tools = (i: number) => model.chatRequests()[i]!.body.tools.map((t: { function: { name: string } }) => t.function.name);
      assert.ok(tools(before).includes('mcp__fixture__echo'));

      fs.writeFileSync(path.join(workspace, '.mcp.json'), JSON.stringify(mcpJson('second')));
      await startGoal('Use them again');
      const changed = page.locator('.monaco-dialog-box', { hasText: '.mcp.json changed since you trusted it' });
      await changed.waitFor({ timeout: 30_000 });
      await changed.locator('.monaco-button', { hasText: 'Cancel' }).click();
      await until(() => model.chatRequests().length > before + 1, "the second goal's request");
      assert.equal(fs.existsSync(marker('second')), false, 'the changed file started nothing');
      assert.ok(!tools(before + 1).some((n: string) => n.startsWith('mcp__')), tools(before + 1).join(', '));
    });

    await reviewChecks(page, path.join(workspace, 'src/math.js'), RESULTS, check);
  } finally {
    await browser.close();
    await server.stop();
    await model.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

runMain('UI tests', main);
