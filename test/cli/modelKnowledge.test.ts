import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { runCli, runCliOnTerminal } from '../support/cli';
import { startScriptedServer, type Script } from '../support/scriptedServer';
import { makeWorkspace, read, removeWorkspace } from '../support/workspace';

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});
async function setup(script: Script) {
  const server = await startScriptedServer(script);
  const root = makeWorkspace({ 'a.txt': 'alpha\n', 'big.txt': 'word '.repeat(4000) });
  cleanups.push(
    () => server.close(),
    () => removeWorkspace(root),
  );
  return { server, root, base: ['run', '--workspace', root, '--base-url', server.url, '--model', 'scripted-model'] };
}
const read2 = { toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }], usage: { prompt_tokens: 1500, completion_tokens: 100 } };
const finish = { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] };
const doneEvent = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');

describe('stepwise run: context window, usage and budget', () => {
  test('the JSON end carries the usage; a server that tells no window gets the default, silently', async () => {
    const { base } = await setup([finish]);
    const result = await runCli([...base, '--json', 'Say done']);
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /context window/);
    const done = doneEvent(result.stdout);
    assert.ok(done.usage.prompt_tokens > 0 && done.usage.cost_usd === undefined, JSON.stringify(done));
  });

  test('a server that silently truncates: exit 2 with what to set, nothing acted on', async () => {
    const { base, root } = await setup([
      { toolCalls: [{ name: 'read_file', arguments: { path: 'big.txt' } }] },
      { toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'lost\n' } }], usage: { prompt_tokens: 2048, completion_tokens: 5 } },
    ]);
    const result = await runCli([...base, '--approve', 'all', 'Summarise big.txt']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /processed only 2048 of the about \d+ prompt tokens/);
    assert.equal(read(root, 'a.txt'), 'alpha\n');
  });

  test('--budget-usd for a model without a published price (a local server): exit 2, unless a token budget is given too', async () => {
    const { base } = await setup([finish, finish]);
    const refused = await runCli([...base, '--budget-usd', '.5', 'Say done']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--budget-usd cannot apply: scripted-model at .* has no published price; use --budget-tokens\./);
    const both = await runCli([...base, '--budget-usd', '0.5', '--budget-tokens', '100000', 'Say done']);
    assert.equal(both.code, 0, both.stderr);
  });

  test('--budget-tokens without a terminal stops before going over (exit 1); on a terminal, y continues', async () => {
    const { base } = await setup([read2, read2, finish]);
    const result = await runCli([...base, '--json', '--budget-tokens', '2000', 'Read a']);
    assert.equal(result.code, 1);
    assert.match(doneEvent(result.stdout).summary, /^Paused at the task budget of 2,000 tokens: 1,600 tokens used/);

    const again = await setup([read2, read2, finish]);
    const asked = await runCliOnTerminal([...again.base, '--budget-tokens', '2000', 'Read a'], ['y', 'y']);
    assert.equal(asked.code, 0, asked.stdout);
    assert.match(asked.stdout, /would go over the budget of 2,000 tokens\.\nContinue for another budget's worth\?/);
    assert.match(asked.stdout, /tokens in · \d+ out/);
  });
});

describe('stepwise run: the text protocol is remembered per model', () => {
  test('a model that wrote its calls as text (twice) starts the next run in the text protocol (no tools sent)', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-state-'));
    cleanups.push(() => fs.rmSync(state, { recursive: true, force: true }));
    const call = '<tool_call>{"name": "finish", "arguments": {"summary": "done"}}</tool_call>';
    const list = '<tool_call>{"name": "list_files", "arguments": {}}</tool_call>';
    const { server, base } = await setup([
      { text: call },
      { text: list },
      { text: call },
      { text: call },
      { toolCalls: [{ name: 'finish', arguments: { summary: 'native' } }] },
      { toolCalls: [{ name: 'finish', arguments: { summary: 'native again' } }] },
      { toolCalls: [{ name: 'finish', arguments: { summary: 'still native' } }] },
    ]);
    const once = await runCli([...base, 'Finish'], { XDG_STATE_HOME: state });
    assert.equal(once.code, 0, once.stderr);
    assert.doesNotMatch(once.stderr, /writes its tool calls as text/, 'one answer is not enough to remember');
    const first = await runCli([...base, 'Finish'], { XDG_STATE_HOME: state });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /scripted-model writes its tool calls as text; later runs start in the text protocol/);
    assert.ok(server.chatRequests()[1]?.body.tools, 'that run started with native tools');
    assert.equal(server.chatRequests()[2]?.body.tools, undefined, 'and switched to text for the rest of the task');
    const second = await runCli([...base, 'Finish'], { XDG_STATE_HOME: state });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(server.chatRequests()[3]?.body.tools, undefined, 'the next run started in the text protocol');
    const forced = await runCli([...base, '--tool-protocol', 'native', '--json', 'Finish'], { XDG_STATE_HOME: state });
    assert.ok(server.chatRequests()[4]?.body.tools, '--tool-protocol native overrides the memory');
    assert.equal(forced.code, 0, forced.stderr);
    const reset = await runCli([...base, '--reset-tool-protocol', 'Finish'], { XDG_STATE_HOME: state });
    assert.equal(reset.code, 0, reset.stderr);
    assert.ok(server.chatRequests()[5]?.body.tools, '--reset-tool-protocol starts native again');
    const after = await runCli([...base, 'Finish'], { XDG_STATE_HOME: state });
    assert.equal(after.code, 0, after.stderr);
    assert.ok(server.chatRequests()[6]?.body.tools, 'and the memory is gone for the runs after it');
  });
});
