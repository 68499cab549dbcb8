/**
 * Stepwise in Simplified Chinese in a real VS Code (code-server, started with `--locale zh-cn`).
 * VS Code's Chinese language pack is not on npm or Debian, and without it `--locale` does not
 * change vscode.env.language (it stays `en`, seen when this was written), so the workbench stays English; the
 * user setting `stepwise.language: zh-cn` — there for exactly that case — turns Stepwise's own
 * text Chinese: the sidebar, the plan review and an approval. Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { startScriptedServer, type RecordedRequest, type ScriptStep } from '../support/scriptedServer';
import { CHROMIUM_ARGS, REPO, remoteUri, startCodeServer, runMain } from './codeServer';
import { checker, openPanel, RESULTS } from './panel';
import { until } from './waits';

const call = (name: string, args: Record<string, unknown>): ScriptStep => ({ toolCalls: [{ name, arguments: args }] });
const STEPS: ScriptStep[] = [
  { text: '先看看代码。', toolCalls: [{ name: 'list_files', arguments: {} }] },
  call('update_plan', {
    steps: [
      { title: '阅读代码', status: 'done' },
      { title: '修复 add 函数', status: 'in_progress' },
    ],
  }),
  call('edit_file', { path: 'src/math.js', edits: [{ search: '  return a - b;', replace: '  return a + b;' }] }),
  call('finish', { summary: 'add 现在是加法了。' }),
];

async function main(): Promise<number> {
  fs.mkdirSync(RESULTS, { recursive: true });
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-locale-ws-'));
  fs.cpSync(path.join(REPO, 'test/fixtures/vscode-workspace'), workspace, { recursive: true });
  let next = 0;
  const model = await startScriptedServer((_r: RecordedRequest) => STEPS[Math.min(next++, STEPS.length - 1)]!);
  const server = await startCodeServer({
    testDriver: true,
    locale: 'zh-cn',
    userSettings: {
      'stepwise.baseUrl': model.url,
      'stepwise.model': 'scripted-model',
      'stepwise.language': 'zh-cn',
      'workbench.colorTheme': 'Default Light Modern',
    },
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const { check, counts } = checker(page, 'locale');
  const payload = [
    ['extensionDevelopmentPath', remoteUri(server.origin, REPO)],
    ['skipWelcome', 'true'],
  ];
  try {
    await page.goto(`${server.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const panel = await openPanel(page);

    await check('with stepwise.language zh-cn the sidebar is in Chinese', async () => {
      await panel.locator('html[lang="zh-cn"]').waitFor({ state: 'attached', timeout: 30_000 });
      await panel.getByTestId('send').filter({ hasText: '发送' }).waitFor();
      assert.equal(await panel.getByTestId('goal-input').getAttribute('placeholder'), '要让 Stepwise 做什么？（按 Enter 发送，Shift+Enter 换行）');
      await page.screenshot({ path: path.join(RESULTS, 'panel-zh-cn-light.png') });
    });

    await check('the plan review and an edit approval are in Chinese; the approved edit lands on disk', async () => {
      await panel.getByTestId('goal-input').fill('修复 add 函数');
      await panel.getByTestId('goal-input').press('Enter');
      const plan = panel.getByTestId('plan-card');
      await plan.filter({ hasText: '审阅计划' }).waitFor({ timeout: 30_000 });
      assert.match(await plan.innerText(), /在你批准之前，不会编辑任何文件或运行任何命令/);
      await page.screenshot({ path: path.join(RESULTS, 'panel-zh-cn-plan-light.png') });
      await panel.getByTestId('approve-plan').click();
      const card = panel.getByTestId('approval-card');
      await card.waitFor({ timeout: 30_000 });
      assert.equal(await panel.getByTestId('approve').innerText(), '批准');
      assert.match(await card.innerText(), /始终允许编辑/);
      await page.screenshot({ path: path.join(RESULTS, 'panel-zh-cn-approval-light.png') });
      await panel.getByTestId('approve').click();
      await until(() => /return a \+ b/.test(fs.readFileSync(path.join(workspace, 'src/math.js'), 'utf8')), 'the approved edit on disk');
      await panel.getByTestId('task-status').filter({ hasText: '已完成' }).waitFor({ timeout: 30_000 });
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

runMain('locale tests', main);
