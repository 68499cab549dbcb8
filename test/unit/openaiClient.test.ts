import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import type { ModelEvent, ModelRequest } from '../../src/core/model/client';
import { ModelError } from '../../src/core/model/errors';
import { answerBoundField, OpenAIClient } from '../../src/core/model/openaiClient';
import { freePort } from '../support/ports';
import { startScriptedServer, type Script } from '../support/scriptedServer';

const request: ModelRequest = {
  messages: [
    { role: 'system', content: 'sys' },
    { role: 'user', content: 'goal' },
  ],
  tools: [{ name: 'read_file', description: 'Read', parameters: { type: 'object', properties: { path: { type: 'string' } } } }],
};
const fastRetry = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 2000 };
const servers: { close(): Promise<void> }[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function serve(script: Script) {
  const server = await startScriptedServer(script);
  servers.push(server);
  return server;
}

async function collect(client: OpenAIClient, signal = new AbortController().signal): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of client.stream(request, signal)) events.push(event);
  return events;
}

function client(url: string, extra: Partial<ConstructorParameters<typeof OpenAIClient>[0]> = {}) {
  return new OpenAIClient({ baseUrl: url, model: 'scripted-model', retry: fastRetry, ...extra });
}

describe('OpenAI-compatible client', () => {
  test('streams text in chunks and assembles tool-call deltas that arrive without ids', async () => {
    const server = await serve([
      {
        text: 'Looking around.',
        toolCalls: [
          { name: 'read_file', arguments: { path: 'src/a.ts' } },
          { name: 'list_files', arguments: '{}' },
        ],
      },
    ]);
    const events = await collect(client(server.url));
    const text = events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('');
    assert.equal(text, 'Looking around.');
    assert.ok(events.filter((e) => e.type === 'text').length > 1, 'text arrives in several chunks');
    const calls = events.flatMap((e) => (e.type === 'tool_call' ? [e.call] : []));
    assert.deepEqual(
      calls.map((c) => [c.name, c.arguments]),
      [
        ['read_file', '{"path":"src/a.ts"}'],
        ['list_files', '{}'],
      ],
    );
    assert.ok(
      events.some((e) => e.type === 'usage' && e.promptTokens > 0),
      "the server's usage is passed on",
    );
    assert.deepEqual(events.at(-1), { type: 'finish', reason: 'tool_calls' });
    const sent = server.chatRequests()[0]?.body;
    assert.equal(sent.stream, true);
    assert.equal(sent.tools[0].function.name, 'read_file');
  });

  test('a tool call without any id gets a unique one', async () => {
    const server = await serve([{ toolCalls: [{ name: 'finish', arguments: '{"summary":"x"}', id: '' }] }]);
    const calls = (await collect(client(server.url))).flatMap((e) => (e.type === 'tool_call' ? [e.call] : []));
    assert.equal(calls.length, 1);
    assert.match(calls[0]!.id, /^call_/);
  });

  test('429 with Retry-After: 1 waits and then succeeds', async () => {
    const server = await serve([{ status: 429, headers: { 'retry-after': '1' } }, { text: 'ok' }]);
    const events = await collect(client(server.url));
    const retry = events.find((e) => e.type === 'retry');
    assert.equal(retry?.type === 'retry' && retry.delayMs, 1000);
    assert.equal(server.chatRequests().length, 2);
  });

  test('429 with a day-long Retry-After fails at once with a clear message', async () => {
    const server = await serve([{ status: 429, headers: { 'retry-after': '86400' } }]);
    const started = Date.now();
    await assert.rejects(collect(client(server.url)), (error: ModelError) => {
      assert.equal(error.kind, 'rate_limited');
      assert.match(error.message, /asks to wait 86400 s/);
      return true;
    });
    assert.equal(server.chatRequests().length, 1);
    assert.ok(Date.now() - started < 5000);
  });

  test('a 500 then success is retried', async () => {
    const server = await serve([{ status: 500 }, { text: 'fine' }]);
    const events = await collect(client(server.url));
    assert.ok(events.some((e) => e.type === 'text'));
    assert.equal(server.chatRequests().length, 2);
  });

  test('retries stop after the cap', async () => {
    const server = await serve(() => ({ status: 503 }));
    await assert.rejects(collect(client(server.url)), /Gave up after 3 attempts/);
    assert.equal(server.chatRequests().length, 3);
  });

  test('a stream cut in the middle of a tool call never yields the partial call; the request is repeated', async () => {
    const server = await serve([
      { toolCalls: [{ name: 'run_command', arguments: { command: 'rm -rf build && make' } }], cutAfterEvents: 5 },
      { toolCalls: [{ name: 'run_command', arguments: { command: 'make' } }] },
    ]);
    const events = await collect(client(server.url));
    const calls = events.flatMap((e) => (e.type === 'tool_call' ? [e.call.arguments] : []));
    assert.deepEqual(calls, ['{"command":"make"}']);
    assert.ok(events.findIndex((e) => e.type === 'retry') >= 0);
  });

  test('an answer cut at its bound (finish_reason length) is passed on once, with its text and without its tool calls', async () => {
    const server = await serve(() => ({
      text: 'Writing it.',
      toolCalls: [{ name: 'write_file', arguments: '{"path":"a","content":"b"}' }],
      finishReason: 'length',
    }));
    const events = await collect(client(server.url));
    assert.equal(events.filter((e) => e.type === 'tool_call').length, 0, 'a call in a cut answer never runs, even one that parses');
    assert.equal(events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join(''), 'Writing it.');
    assert.deepEqual(events.at(-1), { type: 'finish', reason: 'length' });
    assert.equal(server.chatRequests().length, 1, 'not re-sent');
  });

  test("every request carries a bound on the answer: max_tokens, or max_completion_tokens for OpenAI's own API", async () => {
    const server = await serve(() => ({ text: 'ok' }));
    await collect(client(server.url));
    for await (const _ of client(server.url).stream({ ...request, answerTokens: 1234 }, new AbortController().signal)) void _;
    assert.equal(server.chatRequests()[0]?.body.max_tokens, 4096, 'without a bound from the loop: at most 4096');
    assert.equal(server.chatRequests()[1]?.body.max_tokens, 1234);
    assert.equal(server.chatRequests()[1]?.body.max_completion_tokens, undefined);
    assert.equal(answerBoundField('https://api.openai.com/v1'), 'max_completion_tokens');
    for (const other of [server.url, 'http://127.0.0.1:11434/v1', 'https://api.openai.com.evil.example/v1', 'not a url'])
      assert.equal(answerBoundField(other), 'max_tokens');
  });

  test('401 fails at once without retrying', async () => {
    const server = await serve(() => ({ status: 401, body: { error: { message: 'Incorrect API key provided' } } }));
    await assert.rejects(collect(client(server.url, { apiKey: 'sk-secret-value' })), (error: ModelError) => {
      assert.equal(error.kind, 'auth');
      assert.doesNotMatch(error.message, /sk-secret-value/);
      return true;
    });
    assert.equal(server.chatRequests().length, 1);
    assert.equal(server.chatRequests()[0]?.headers.authorization, 'Bearer sk-secret-value');
  });

  test('404 naming the model is "unknown model"; a bare 404 is a wrong base URL', async () => {
    const model = await serve(() => ({ status: 404, body: { error: { message: 'model "nope" not found, try pulling it first' } } }));
    await assert.rejects(collect(client(model.url)), (e: ModelError) => e.kind === 'model_not_found');
    const url = await serve(() => ({ status: 404, contentType: 'text/plain', body: '404 page not found' }));
    await assert.rejects(collect(client(url.url)), (e: ModelError) => e.kind === 'bad_url' && /\/v1/.test(e.message));
  });

  test('a base URL without /v1 that serves a web page is reported as a wrong base URL', async () => {
    const server = await serve([]);
    await assert.rejects(collect(client(server.origin)), (e: ModelError) => e.kind === 'bad_url');
    const html = await serve(() => ({ status: 200, contentType: 'text/html', body: '<html>hi</html>' }));
    await assert.rejects(collect(client(html.url)), (e: ModelError) => e.kind === 'bad_url' && /web page/.test(e.message));
  });

  test('context length exceeded gets its own error', async () => {
    const server = await serve(() => ({ status: 400, body: { error: { message: "This model's maximum context length is 8192 tokens" } } }));
    await assert.rejects(collect(client(server.url)), (e: ModelError) => e.kind === 'context_length');
  });

  test('nothing listening is "unreachable", without retries', async () => {
    const port = await freePort();
    await assert.rejects(collect(client(`http://127.0.0.1:${port}/v1`)), (e: ModelError) => e.kind === 'unreachable');
  });

  test('a redirect is not followed, so the key never reaches another host', async () => {
    const target = await serve([{ text: 'should not be reached' }]);
    const redirector = http.createServer((_req, res) => res.writeHead(307, { location: `${target.url}/chat/completions` }).end());
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    const port = (redirector.address() as AddressInfo).port;
    await assert.rejects(
      collect(client(`http://127.0.0.1:${port}/v1`, { apiKey: 'k' })),
      (e: ModelError) => e.kind === 'bad_url' && /redirected/.test(e.message),
    );
    assert.equal(target.requests.length, 0);
    redirector.close();
  });

  test('cancellation during a backoff ends at once', async () => {
    const server = await serve(() => ({ status: 500 }));
    const controller = new AbortController();
    const slow = client(server.url, { retry: { ...fastRetry, baseDelayMs: 30_000, maxDelayMs: 30_000 } });
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    await assert.rejects(collect(slow, controller.signal), (e: ModelError) => e.kind === 'cancelled');
    assert.ok(Date.now() - started < 5000);
  });

  test('lists the server models', async () => {
    const server = await startScriptedServer([], { models: ['b-model', 'a-model'] });
    servers.push(server);
    assert.deepEqual(await client(server.url).listModels(new AbortController().signal), ['a-model', 'b-model']);
  });
});
