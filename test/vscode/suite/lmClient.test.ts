/**
 * VS Code's language-model API as a Stepwise model: the real agent loop and tools, through
 * VsCodeLmClient, against a language-model provider registered by a fixture extension
 * (test/fixtures/lm-test-provider, installed by the runner) that answers from a script.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AgentEvent } from '../../../src/core/agent/events';
import { runAgent, type AgentOutcome } from '../../../src/core/agent/loop';
import type { ImagePart } from '../../../src/core/model/client';
import { ModelError } from '../../../src/core/model/errors';
import { DEFAULT_LIMITS } from '../../../src/core/tools/limits';
import { defaultTools } from '../../../src/core/tools/registry';
import { CommandTerminal } from '../../../src/vscode/commandTerminal';
import { VsCodeLmClient, listLmModels, selectLmModel } from '../../../src/vscode/lmClient';
import { SYSTEM_MARKER } from '../../../src/vscode/lmMessages';
import { VsCodeHost } from '../../../src/vscode/vscodeHost';
import * as fs from 'node:fs';
import { configure, file, restore, waitFor } from './helpers';
import { type TestProvider, testProvider } from './lmProvider';

async function testModel(provider: TestProvider): Promise<vscode.LanguageModelChat> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [model] = await vscode.lm.selectChatModels({ vendor: provider.vendor });
    if (model) return model;
    if (Date.now() > deadline) throw new Error(`no chat model from vendor ${provider.vendor}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function run(chat: vscode.LanguageModelChat, signal = new AbortController().signal, events: AgentEvent[] = [], images?: ImagePart[]): Promise<AgentOutcome> {
  return runAgent(
    'Find out what add() does',
    {
      model: new VsCodeLmClient(chat),
      host: new VsCodeHost(new CommandTerminal()),
      tools: defaultTools(),
      policy: { read: 'auto', edit: 'ask', execute: 'ask' },
      limits: DEFAULT_LIMITS,
      maxSteps: 5,
      contextTokens: chat.maxInputTokens,
      onEvent: (event) => events.push(event),
      ...(images ? { context: { images } } : {}),
    },
    signal,
  );
}

describe('vscode.lm models (VsCodeLmClient)', () => {
  let provider: TestProvider;
  let chat: vscode.LanguageModelChat;

  beforeEach(async () => {
    provider = await testProvider();
    provider.reset();
    chat = await testModel(provider);
  });

  it('an image with the goal reaches the model as a data part with its type', async () => {
    provider.setScript([[{ toolCall: { name: 'finish', input: { summary: 'seen' } } }]]);
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const outcome = await run(chat, undefined, [], [{ name: 'a.png', mimeType: 'image/png', data: png }]);
    assert.equal(outcome.status, 'finished', outcome.summary);
    const parts = provider.requests[0]?.messages[1]?.content ?? [];
    assert.match(parts[0]?.value ?? '', /Find out what add\(\) does/);
    assert.equal(parts.length, 2, JSON.stringify(parts));
    assert.match(JSON.stringify(parts[1]), /image\/png/);
  });

  it('runs the agent loop: text, a read_file call whose result reaches the model, then finish', async () => {
    provider.setScript([
      [{ text: 'Reading math.js first.' }, { toolCall: { id: 'call_read', name: 'read_file', input: { path: 'src/math.js' } } }],
      [{ toolCall: { name: 'finish', input: { summary: 'add() subtracts: it returns a - b.' } } }],
    ]);
    const events: AgentEvent[] = [];
    const outcome = await run(chat, undefined, events);
    assert.equal(outcome.status, 'finished', outcome.summary);
    assert.equal(outcome.summary, 'add() subtracts: it returns a - b.');

    const [first, second] = provider.requests;
    assert.equal(provider.requests.length, 2);
    assert.equal(first?.model, 'stepwise-test-model');
    assert.ok(first?.tools.includes('read_file') && first.tools.includes('finish'), `tools sent: ${first?.tools}`);
    const system = first?.messages[0];
    assert.equal(system?.role, 'user', 'no system role in the API: the prompt is the first user message');
    assert.ok(system?.content[0]?.value?.startsWith(SYSTEM_MARKER), 'and it is marked as the system prompt');
    assert.match(first?.messages[1]?.content[0]?.value ?? '', /Find out what add\(\) does/);

    const messages = second?.messages ?? [];
    const assistant = messages.find((m) => m.role === 'assistant');
    assert.deepEqual(assistant?.content, [
      { type: 'text', value: 'Reading math.js first.' },
      { type: 'tool_call', callId: 'call_read', name: 'read_file', input: { path: 'src/math.js' } },
    ]);
    const result = messages.at(-1)?.content.find((p) => p.type === 'tool_result');
    assert.equal(messages.at(-1)?.role, 'user');
    assert.equal(result?.callId, 'call_read');
    assert.match(result?.content?.join('') ?? '', /return a - b;/, 'the file content reached the model');

    assert.ok(events.some((e) => e.type === 'message' && e.text === 'Reading math.js first.'));
    const usage = events.find((e) => e.type === 'usage');
    assert.ok(usage && usage.type === 'usage' && usage.promptTokens > 0 && usage.completionTokens > 0, "usage from the model's countTokens");
  });

  it('with stepwise.provider = vscode-lm, a goal from the palette runs on that model and edits the file', async () => {
    provider.setScript([
      [{ toolCall: { name: 'edit_file', input: { path: 'src/math.js', edits: [{ search: '  return a - b;', replace: '  return a + b;' }] } } }],
      [{ toolCall: { name: 'finish', input: { summary: 'add adds now.' } } }],
    ]);
    const before = fs.readFileSync(file('src/math.js'), 'utf8');
    await configure({ provider: 'vscode-lm', model: 'stepwise-test-model', planFirst: false, 'approval.edit': 'auto' });
    try {
      const result = await vscode.commands.executeCommand<{ status: string; summary: string }>('stepwise.startGoal', 'Fix add');
      assert.deepEqual({ status: result?.status, summary: result?.summary }, { status: 'finished', summary: 'add adds now.' });
      assert.match(fs.readFileSync(file('src/math.js'), 'utf8'), /return a \+ b;/);
      assert.equal(provider.requests[0]?.model, 'stepwise-test-model');
    } finally {
      await configure({ provider: undefined, model: undefined, 'approval.edit': undefined });
      await restore('src/math.js', before);
    }
  });

  it('with stepwise.provider = vscode-lm and a model VS Code does not offer: a clear failure naming the fix', async () => {
    await configure({ provider: 'vscode-lm', model: 'no-such-model', planFirst: false });
    try {
      const result = await vscode.commands.executeCommand<{ status: string; summary: string }>('stepwise.startGoal', 'Anything');
      assert.equal(result?.status, 'failed');
      assert.match(result!.summary, /VS Code offers no language model "no-such-model"\. Pick one with Stepwise: Select Model/);
      assert.equal(provider.requests.length, 0);
    } finally {
      await configure({ provider: undefined, model: undefined });
    }
  });

  it('lists the models VS Code offers, with their context windows, and selects one by id', async () => {
    const models = await listLmModels();
    assert.deepEqual(
      models.find((m) => m.vendor === 'stepwise-test'),
      { id: 'stepwise-test-model', name: 'Stepwise Test Model', vendor: 'stepwise-test', family: 'stepwise-test', maxInputTokens: 12345 },
    );
    assert.equal((await selectLmModel('stepwise-test-model'))?.name, 'Stepwise Test Model');
    assert.equal(await selectLmModel('no-such-model'), undefined);
  });

  it('a provider that fails mid-answer ends the task with a clear error naming the model', async () => {
    provider.setScript([[{ text: 'Let me look' }, { error: 'backend exploded' }]]);
    const outcome = await run(chat);
    assert.equal(outcome.status, 'failed');
    assert.ok(outcome.error instanceof ModelError, String(outcome.error));
    assert.equal(outcome.error.kind, 'server');
    assert.match(outcome.summary, /"Stepwise Test Model" failed: .*backend exploded/);
    assert.doesNotMatch(outcome.summary, /unexpected error/);
  });

  it('a refused request says how to allow it; a model that went away says to pick another', async () => {
    provider.setScript([[{ lmError: 'NoPermissions', message: 'not allowed' }]]);
    const refused = await run(chat);
    assert.equal(refused.status, 'failed');
    assert.equal((refused.error as ModelError).kind, 'auth', refused.summary);
    assert.match(refused.summary, /did not allow Stepwise to use "Stepwise Test Model".*Manage Language Model Access/);

    provider.setAvailable(false);
    for (let i = 0; i < 100 && (await vscode.lm.selectChatModels({ vendor: provider.vendor })).length; i++) await new Promise((r) => setTimeout(r, 50));
    const gone = await run(chat);
    assert.equal(gone.status, 'failed');
    assert.equal((gone.error as ModelError).kind, 'model_not_found', gone.summary);
    assert.match(gone.summary, /no longer available.*Stepwise: Select Model/);
  });

  it("Stop mid-answer cancels the provider's request and ends the task as cancelled", async () => {
    provider.setScript([[{ text: 'Working on it' }, { waitForCancel: true }]]);
    const controller = new AbortController();
    const events: AgentEvent[] = [];
    const running = run(chat, controller.signal, events);
    await waitFor('the first text', () => events.some((e) => e.type === 'message_delta'));
    controller.abort();
    const outcome = await running;
    assert.equal(outcome.status, 'cancelled');
    await waitFor('the provider to see the cancellation', () => provider.requests[0]?.cancelled, 5_000);
  });

  it('Stop ends the task even when the provider ignores cancellation', async function () {
    // VS Code keeps such a stream open forever: without the client's own race this would hang.
    this.timeout(10_000);
    provider.setScript([[{ text: 'Working on it' }, { hang: true }]]);
    const controller = new AbortController();
    const events: AgentEvent[] = [];
    const running = run(chat, controller.signal, events);
    await waitFor('the first text', () => events.some((e) => e.type === 'message_delta'));
    const stoppedAt = Date.now();
    controller.abort();
    const outcome = await running;
    assert.equal(outcome.status, 'cancelled');
    assert.ok(Date.now() - stoppedAt < 2_000, 'stopped without waiting for the provider');
  });
});
