import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { systemPrompt } from '../../src/core/agent/prompt';
import type { ModelEvent, ModelRequest } from '../../src/core/model/client';
import { OpenAIClient } from '../../src/core/model/openaiClient';
import { describeTools, toTextRequest } from '../../src/core/model/textProtocol';
import { ToolProtocolClient } from '../../src/core/model/toolProtocolClient';
import { defaultTools } from '../../src/core/tools/registry';
import { runScripted } from '../support/agent';
import { startScriptedServer, type Script } from '../support/scriptedServer';
import { makeWorkspace, removeWorkspace, snapshot } from '../support/workspace';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});
async function setup(script: Script) {
  const server = await startScriptedServer(script);
  const root = makeWorkspace({ 'a.txt': 'alpha\n' });
  cleanups.push(
    () => server.close(),
    () => removeWorkspace(root),
  );
  return { server, root };
}
const finishText = '<tool_call>{"name": "finish", "arguments": {"summary": "read it"}}</tool_call>';
const noTools = { status: 400, body: { error: { message: 'registry.ollama.ai/library/gemma:2b does not support tools' } } };
const userMessages = (body: any): string[] => body.messages.filter((m: any) => m.role === 'user').map((m: any) => m.content);

describe('tool calling in every format', () => {
  test('native tool calls are unchanged and the client stays native', async () => {
    const { server, root } = await setup([
      { text: 'Reading {braces} first.', toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] },
      { toolCalls: [{ name: 'finish', arguments: { summary: 'ok' } }] },
    ]);
    const run = await runScripted('Read a.txt', { url: server.url, root });
    assert.equal(run.status, 'finished');
    assert.ok(run.events.some((e) => e.type === 'message' && e.text === 'Reading {braces} first.'));
    const second = server.chatRequests()[1]?.body;
    assert.ok(second.tools.length > 0);
    assert.ok(second.messages.some((m: any) => m.role === 'tool'));
  });

  test('a server that rejects tools: the same request goes again at once in text mode, and the task completes', async () => {
    const { server, root } = await setup([
      noTools,
      { text: 'Let me read it.\n<tool_call>{"name": "read_file", "arguments": {"path": "a.txt"}}</tool_call>' },
      { text: finishText },
    ]);
    const run = await runScripted('Read a.txt', { url: server.url, root });
    assert.equal(run.status, 'finished');
    assert.equal(run.summary, 'read it');
    const [first, second, third] = server.chatRequests().map((r) => r.body);
    assert.ok(first.tools.length > 0);
    assert.equal(second.tools, undefined);
    assert.deepEqual(second.messages.slice(1), first.messages.slice(1));
    assert.match(second.messages[0].content, /<tool_call>\{"name": "read_file"/);
    assert.match(second.messages[0].content, /- edit_file\(path: string \(required\), edits: array of \{search: string \(required\)/);
    assert.equal(third.tools, undefined);
    assert.ok(third.messages.every((m: any) => m.role !== 'tool'));
    const assistant = third.messages.find((m: any) => m.role === 'assistant');
    assert.match(assistant.content, /^Let me read it\.\n<tool_call>\{"name":"read_file","arguments":\{"path":"a.txt"\}\}<\/tool_call>$/);
    assert.match(userMessages(third).at(-1) ?? '', /^Result of read_file \(call_\w+\):\na\.txt \(1 lines\)\nalpha$/);
    assert.ok(run.events.some((e) => e.type === 'message' && e.text === 'Let me read it.\n'));
  });

  for (const [format, text] of [
    ['a bare JSON object', 'I will read the file.\n{"name": "read_file", "arguments": {"path": "a.txt"}}'],
    ['a fenced JSON block', '```json\n{"name": "read_file", "parameters": {"path": "a.txt"}}\n```'],
    ['<tool_call>', '<tool_call>\n{"name": "read_file", "arguments": {"path": "a.txt"}}\n</tool_call>'],
    ['<function=…>', '<function=read_file>\n<parameter=path>\na.txt\n</parameter>\n</function>'],
  ] as const) {
    test(`a model that writes ${format} in its text: the call runs, and the client switches to text mode`, async () => {
      const { server, root } = await setup([{ text, chunkSize: 3 }, { text: finishText }]);
      const run = await runScripted('Read a.txt', { url: server.url, root });
      assert.equal(run.status, 'finished');
      assert.ok(run.events.some((e) => e.type === 'tool_result' && e.ok && /alpha/.test(e.output)));
      const second = server.chatRequests()[1]?.body;
      assert.equal(second.tools, undefined);
      assert.match(userMessages(second).at(-1) ?? '', /^Result of read_file/);
      assert.ok(!run.events.some((e) => e.type === 'message' && /read_file/.test(e.text)), 'the call markup is not shown as a message');
    });
  }

  test('an unparsable text call (truncated JSON in <tool_call>): nothing runs, the model gets one nudge', async () => {
    const { server, root } = await setup(() => ({ text: '<tool_call>{"name": "write_file", "arguments": {"path": "b.txt", "content": "x</tool_call>' }));
    const before = snapshot(root);
    const run = await runScripted('Write b.txt', { url: server.url, root });
    assert.equal(run.status, 'failed');
    assert.equal(server.chatRequests().length, 2);
    assert.ok(!run.events.some((e) => e.type === 'tool_call'));
    assert.deepEqual(snapshot(root), before);
    assert.ok(server.chatRequests()[1]?.body.tools.length > 0, 'still native: nothing valid was seen');
  });

  test('forced native: calls in text are only text', async () => {
    const { server, root } = await setup(() => ({ text: '<tool_call>{"name": "read_file", "arguments": {"path": "a.txt"}}</tool_call>' }));
    const run = await runScripted('Read a.txt', { url: server.url, root, toolProtocol: 'native' });
    assert.equal(run.status, 'failed');
    assert.ok(!run.events.some((e) => e.type === 'tool_call'));
  });

  test('the switch is remembered per model: the next task starts in text mode without a failed request', async () => {
    const { server } = await setup([noTools, { text: finishText }, { text: finishText }]);
    const remembered = new Set<string>();
    const memory = { needsText: (m: string) => remembered.has(m), rememberText: (m: string) => void remembered.add(m) };
    const request: ModelRequest = {
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'go' },
      ],
      tools: defaultTools().specs(),
    };
    const drain = async (client: ToolProtocolClient) => {
      const events: ModelEvent[] = [];
      for await (const e of client.stream(request, new AbortController().signal)) events.push(e);
      return events;
    };
    await drain(new ToolProtocolClient(new OpenAIClient({ baseUrl: server.url, model: 'gemma' }), 'auto', memory));
    assert.deepEqual([...remembered], ['gemma']);
    const next = new ToolProtocolClient(new OpenAIClient({ baseUrl: server.url, model: 'gemma' }), 'auto', memory);
    assert.equal(next.mode, 'text');
    const events = await drain(next);
    assert.ok(events.some((e) => e.type === 'tool_call' && e.call.name === 'finish'));
    assert.equal(server.chatRequests().length, 3);
    assert.equal(server.chatRequests()[2]?.body.tools, undefined, 'no request with tools was wasted');
    assert.equal(new ToolProtocolClient(new OpenAIClient({ baseUrl: server.url, model: 'gemma' }), 'native', memory).mode, 'native', 'a forced setting wins');
  });

  test('forced native: a server that rejects tools fails with its message', async () => {
    const { server, root } = await setup([noTools]);
    const run = await runScripted('Read a.txt', { url: server.url, root, toolProtocol: 'native' });
    assert.equal(run.status, 'failed');
    assert.match(run.summary, /does not support tools/);
    assert.equal(server.chatRequests().length, 1);
  });

  test('forced text: the first request already has no tools', async () => {
    const { server, root } = await setup([{ text: finishText }]);
    const run = await runScripted('Finish', { url: server.url, root, toolProtocol: 'text' });
    assert.equal(run.status, 'finished');
    assert.equal(server.chatRequests()[0]?.body.tools, undefined);
  });

  test('a cut-off answer holding a call is requested again, never acted on', async () => {
    const { server, root } = await setup([
      { text: '<tool_call>{"name": "write_file", "arguments": {"path": "b.txt", "content": "x"}}</tool_call>', finishReason: 'length' },
      { text: finishText },
    ]);
    const before = snapshot(root);
    const run = await runScripted('Write b.txt', { url: server.url, root, toolProtocol: 'text' });
    assert.equal(run.status, 'finished');
    assert.deepEqual(snapshot(root), before);
    assert.equal(server.chatRequests().length, 2);
  });

  test('text split anywhere streams the prose before a call and holds back only the call', async () => {
    const server = await startScriptedServer([
      { text: 'Look: `x` <b> and then\n<tool_call>{"name": "finish", "arguments": {"summary": "s"}}</tool_call>', chunkSize: 1 },
    ]);
    cleanups.push(() => server.close());
    const client = new ToolProtocolClient(new OpenAIClient({ baseUrl: server.url, model: 'm' }), 'text');
    const request: ModelRequest = { messages: [{ role: 'user', content: 'go' }], tools: defaultTools().specs() };
    const events: ModelEvent[] = [];
    for await (const e of client.stream(request, new AbortController().signal)) events.push(e);
    const text = events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('');
    assert.equal(text, 'Look: `x` <b> and then\n');
    assert.deepEqual(
      events.flatMap((e) => (e.type === 'tool_call' ? [[e.call.name, e.call.arguments]] : [])),
      [['finish', '{"summary":"s"}']],
    );
    assert.equal(server.chatRequests()[0]?.body.messages[0].role, 'system', 'a system message with the protocol is added');
  });

  test('braces and code blocks in prose stream as they come; only what starts like a call is held back', async () => {
    const prose = 'Use a map {a: 1} here, or {"key": 2}, and:\n```ts\nconst x = { y: 1 };\n```\ndone.';
    const server = await startScriptedServer([{ text: `${prose}\n{"name": "finish", "arguments": {"summary": "s"}}`, chunkSize: 1 }]);
    cleanups.push(() => server.close());
    const client = new ToolProtocolClient(new OpenAIClient({ baseUrl: server.url, model: 'm' }), 'auto');
    const request: ModelRequest = { messages: [{ role: 'user', content: 'go' }], tools: defaultTools().specs() };
    const events: ModelEvent[] = [];
    for await (const e of client.stream(request, new AbortController().signal)) events.push(e);
    const deltas = events.flatMap((e) => (e.type === 'text' ? [e.delta] : []));
    assert.equal(deltas.join(''), `${prose}\n`);
    assert.ok(Math.max(...deltas.map((d) => d.length)) <= 12, `no long stretch was held back: ${JSON.stringify(deltas.filter((d) => d.length > 12))}`);
    assert.deepEqual(
      events.flatMap((e) => (e.type === 'tool_call' ? [e.call.name] : [])),
      ['finish'],
    );
  });

  test('text-mode prompt overhead stays within 1,500 o200k tokens with the full tool set', () => {
    const request = toTextRequest({ messages: [{ role: 'system', content: systemPrompt('my-project') }], tools: defaultTools().specs() });
    const tokens = encode(request.messages[0]?.content ?? '').length;
    assert.ok(tokens <= 1500, `${tokens} tokens`);
    assert.ok(describeTools(defaultTools().specs()).includes('- finish(summary: string (required)): End the task'));
  });
});
