/**
 * A first run in a real VS Code (code-server + Chromium): nothing about the model is set up, a
 * model server runs on LM Studio's port and a language-model provider is installed. The sidebar
 * shows the setup card; the first goal finds both, asks once which to use, and runs; the next goal
 * uses the choice without asking; Check Setup reports it. Needs port 1234 free.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { startScriptedServer } from '../support/scriptedServer';
import { CHROMIUM_ARGS, REPO, remoteUri, startCodeServer, runMain } from './codeServer';
import { runCommand } from './palette';
import { checker, openPanel, RESULTS } from './panel';
import { until } from './waits';
import { portTaken } from '../support/ports';

const LM_STUDIO_PORT = 1234;
const finish = { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] };

async function main(): Promise<number> {
  if (await portTaken(LM_STUDIO_PORT)) {
    console.log(`0 passed, 0 failed, 4 skipped (port ${LM_STUDIO_PORT} is in use on this machine: a first run cannot be staged)`);
    return 0;
  }
  fs.mkdirSync(RESULTS, { recursive: true });
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-first-run-ws-'));
  fs.cpSync(path.join(REPO, 'test/fixtures/vscode-workspace'), workspace, { recursive: true });
  const model = await startScriptedServer(() => finish, { port: LM_STUDIO_PORT, models: ['lmstudio-coder'] });
  const server = await startCodeServer({
    testDriver: true,
    extensionFolders: [path.join(REPO, 'test/fixtures/lm-test-provider')],
    userSettings: { 'stepwise.planFirst': false, 'workbench.colorTheme': 'Default Light Modern' },
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const { check, counts } = checker(page, 'first-run');
  const payload = [
    ['extensionDevelopmentPath', remoteUri(server.origin, REPO)],
    ['skipWelcome', 'true'],
  ];
  try {
    await page.goto(`${server.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const panel = await openPanel(page);
    const send = async (goal: string) => {
      await panel.getByTestId('goal-input').fill(goal);
      await panel.getByTestId('goal-input').press('Enter');
    };

    await check("nothing set up: the sidebar offers every way to run a model, VS Code's language models among them", async () => {
      await panel.getByTestId('setup-card').waitFor({ timeout: 30_000 });
      await panel.getByTestId('setup-use-lm').waitFor({ timeout: 30_000 });
      assert.equal(await panel.getByTestId('model-name').textContent(), 'No model set up yet');
      assert.equal(await panel.getByTestId('setup-pull-command').textContent(), 'ollama pull qwen2.5-coder:7b');
      await page.screenshot({ path: path.join(RESULTS, 'first-run-setup-light.png') });
    });

    await check('the first goal finds LM Studio and VS Code’s models, asks once which to use, and runs on the one picked', async () => {
      await send('Say done');
      const pick = page.locator('.quick-input-widget', { hasText: 'Stepwise found several places to run a model' });
      await pick.waitFor({ timeout: 30_000 });
      await pick.locator('.monaco-list-row', { hasText: 'LM Studio' }).first().click();
      await panel
        .getByTestId('task-status')
        .filter({ hasText: /finished/i })
        .waitFor({ timeout: 30_000 });
      assert.equal(model.chatRequests()[0]?.body.model, 'lmstudio-coder');
      await panel.getByTestId('model-name').filter({ hasText: 'lmstudio-coder · LM Studio, local' }).waitFor({ timeout: 10_000 });
      assert.equal(await panel.getByTestId('setup-card').isVisible(), false, 'set up now: no card');
    });

    await check('the next goal uses the remembered choice without asking', async () => {
      await panel.getByTestId('new-task').click();
      await send('Say done again');
      await until(() => model.chatRequests().length === 2, 'the second goal’s request');
      await panel
        .getByTestId('task-status')
        .filter({ hasText: /finished/i })
        .waitFor({ timeout: 30_000 });
      assert.equal(await page.locator('.quick-input-widget', { hasText: 'several places' }).isVisible(), false);
    });

    await check('Check Setup reports the server used, the model list, tool calling and VS Code’s models', async () => {
      await runCommand(page, 'Stepwise: Check Setup');
      const report = page.locator('.editor-instance .view-lines');
      await report.filter({ hasText: 'A task can run.' }).waitFor({ timeout: 30_000 });
      const text = (await report.innerText()).replace(/\u00a0/g, ' ');
      assert.match(text, /server: LM Studio at http:\/\/127\.0\.0\.1:1234\/v1 \(used last time, still answering\)/);
      assert.match(text, /tool calling: native/);
      assert.match(text, /VS Code.s language models: 1 offered and allowed: Stepwise Test Model/);
    });
  } finally {
    await browser.close();
    await server.stop();
    await model.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  return counts.failed ? 1 : 0;
}

runMain('first-run tests', main);
