/** The model bar and the setup card: what they show, and the action each button asks for. */
import { frame, send } from './harness';
import { sampleTask } from './sampleTasks';
import { assert, sent, show, type Case } from './support';
import type { SetupView } from '../../src/protocol/messages';

async function setup(page: Parameters<Case[1]>[0]['page'], view: SetupView): Promise<void> {
  await send(page, { type: 'setup', setup: view });
  await frame(page);
}

const actions = async (page: Parameters<Case[1]>[0]['page']) => (await sent(page)).filter((m) => m.type === 'setupAction').map((m) => m.action);

export const setupCases: Case[] = [
  [
    'the model bar names the model and where it runs; one click asks to switch',
    async ({ page }) => {
      await show(page, undefined);
      assert.equal(await page.locator('[data-testid=model-name]').textContent(), 'No model set up yet');
      await setup(page, { model: { name: 'qwen2.5-coder:7b', where: 'Ollama, local' }, needed: false, lmAvailable: true });
      assert.equal(await page.locator('[data-testid=model-name]').textContent(), 'qwen2.5-coder:7b · Ollama, local');
      assert.equal(await page.locator('[data-testid=setup-card]').isVisible(), false, 'no card once a model is set up');
      await page.locator('[data-testid=model-bar]').click();
      assert.deepEqual(await actions(page), ['chooseModel']);
    },
  ],
  [
    "before anything is set up, the card offers each way (VS Code's models only when offered), each button asking for its action",
    async ({ page }) => {
      await show(page, undefined);
      await setup(page, { needed: true, lmAvailable: false });
      assert.equal(await page.locator('[data-testid=setup-card]').isVisible(), true);
      assert.equal(await page.locator('[data-testid=setup-use-lm]').isVisible(), false);
      assert.equal(await page.locator('[data-testid=setup-pull-command]').textContent(), 'ollama pull qwen2.5-coder:7b');
      assert.equal(await page.locator('[data-testid=setup-install-command]').textContent(), 'curl -fsSL https://ollama.com/install.sh | sh');
      for (const id of ['setup-install-copy', 'setup-pull-copy', 'setup-find-server', 'setup-api-key', 'setup-choose-model', 'setup-check'])
        await page.locator(`[data-testid=${id}]`).click();
      assert.deepEqual(await actions(page), ['copyInstall', 'copyPull', 'findServer', 'apiKey', 'chooseModel', 'checkSetup']);
      await setup(page, { needed: true, lmAvailable: true });
      await page.locator('[data-testid=setup-use-lm]').click();
      assert.equal((await actions(page)).at(-1), 'useLm');
    },
  ],
  [
    "after a failure the card says why, and why VS Code's models cannot be used; never over a running task",
    async ({ page }) => {
      await show(page, undefined);
      const reason = 'No model server found. Open the Stepwise sidebar to set one up.';
      await setup(page, { needed: true, reason, lmAvailable: false, lmNote: "You did not allow Stepwise to use VS Code's language models." });
      assert.equal(await page.locator('[data-testid=setup-reason]').textContent(), reason);
      assert.match((await page.locator('[data-testid=setup-lm-note]').textContent()) ?? '', /did not allow/);
      await show(page, sampleTask(), true);
      assert.equal(await page.locator('[data-testid=setup-card]').isVisible(), false);
    },
  ],
  [
    'a setup message with the wrong shape is dropped',
    async ({ page }) => {
      await show(page, undefined);
      await setup(page, { needed: true, lmAvailable: false });
      await send(page, { type: 'setup', setup: { needed: 'yes', lmAvailable: false } });
      await send(page, { type: 'setup', setup: { needed: false, lmAvailable: false, model: { name: 'x'.repeat(400), where: 'y' } } });
      await frame(page);
      assert.equal(await page.locator('[data-testid=setup-card]').isVisible(), true, 'the last valid view stays');
    },
  ],
];
