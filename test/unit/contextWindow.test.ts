import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { costOf, lookupModel } from '../../src/core/model/catalog';
import { discoverContextWindow } from '../../src/core/model/contextWindow';
import { runScripted } from '../support/agent';
import { startScriptedServer, type Script } from '../support/scriptedServer';
import { makeWorkspace, read, removeWorkspace } from '../support/workspace';

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

/** A fake model server answering fixed JSON per "METHOD path"; records what it was asked. */
async function jsonServer(routes: Record<string, unknown>, extra?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean) {
  const seen: { method: string; url: string; authorization?: string; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), body });
      if (extra?.(req, res)) return;
      const answer = routes[`${req.method} ${req.url}`];
      if (answer === undefined) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanups.push(() => new Promise((r) => server.close(r)));
  return { url, seen };
}

describe('context window discovery', () => {
  test("Ollama: num_ctx from /api/show wins; without it, Ollama's default, whatever the model could take", async () => {
    const withCtx = await jsonServer({
      'POST /api/show': { parameters: 'temperature 0.2\nnum_ctx 16384', model_info: { 'qwen2.context_length': 32768 }, details: { format: 'gguf' } },
    });
    assert.deepEqual(await discoverContextWindow({ baseUrl: `${withCtx.url}/v1`, model: 'qwen2.5-coder:7b' }), {
      tokens: 16384,
      source: "the model's num_ctx in Ollama",
      certain: true,
      server: 'ollama',
    });
    assert.equal(JSON.parse(withCtx.seen.find((s) => s.url === '/api/show')!.body).model, 'qwen2.5-coder:7b');

    const noCtx = await jsonServer({
      'POST /api/show': { parameters: 'stop "<|im_end|>"', model_info: { 'llama.context_length': 131072 }, details: { format: 'gguf' } },
    });
    const found = await discoverContextWindow({ baseUrl: `${noCtx.url}/v1`, model: 'llama3.1' });
    assert.equal(found?.tokens, 4096);
    assert.equal(found?.certain, false, 'a guessed default keeps the truncation check on');
    assert.match(found?.source ?? '', /Ollama's smallest default context length \(the model takes up to 131072 tokens; Ollama may give it more/);

    const loaded = await jsonServer({
      'GET /api/ps': { models: [{ name: 'llama3.1:latest', model: 'llama3.1:latest', context_length: 32768 }] },
      'POST /api/show': { parameters: '', details: { format: 'gguf' } },
    });
    assert.deepEqual(await discoverContextWindow({ baseUrl: `${loaded.url}/v1`, model: 'llama3.1' }), {
      tokens: 32768,
      source: "Ollama (the loaded model's context length)",
      certain: true,
      server: 'ollama',
    });
  });

  test('llama.cpp answers /api/show for compatibility too: its own /props wins', async () => {
    const llama = await jsonServer({
      'POST /api/show': { parameters: '', model_info: { 'llama.context_length': 32768 }, details: { format: '' } },
      'GET /props': { default_generation_settings: { n_ctx: 32768 } },
    });
    assert.deepEqual(await discoverContextWindow({ baseUrl: `${llama.url}/v1`, model: 'any' }), {
      tokens: 32768,
      source: 'llama.cpp server (n_ctx)',
      certain: true,
      server: 'llamacpp',
    });
  });

  test('LM Studio (loaded context), llama.cpp (/props n_ctx), vLLM (max_model_len in the model list)', async () => {
    const lmStudio = await jsonServer({
      'GET /api/v0/models/qwen%2Fqwen3-8b': { id: 'qwen/qwen3-8b', loaded_context_length: 8192, max_context_length: 40960 },
    });
    assert.deepEqual(await discoverContextWindow({ baseUrl: `${lmStudio.url}/v1`, model: 'qwen/qwen3-8b' }), {
      tokens: 8192,
      source: 'LM Studio (loaded context length)',
      certain: true,
      server: 'lmstudio',
    });
    const llamaCpp = await jsonServer({ 'GET /props': { default_generation_settings: { n_ctx: 12288 } } });
    assert.equal((await discoverContextWindow({ baseUrl: `${llamaCpp.url}/v1`, model: 'any' }))?.tokens, 12288);
    const vllm = await jsonServer({
      'GET /v1/models': {
        data: [
          { id: 'other', max_model_len: 1 },
          { id: 'Qwen/Qwen2.5-Coder-32B', max_model_len: 32768 },
        ],
      },
    });
    assert.deepEqual(await discoverContextWindow({ baseUrl: `${vllm.url}/v1`, model: 'Qwen/Qwen2.5-Coder-32B' }), {
      tokens: 32768,
      source: "the server's model list (max_model_len)",
      certain: true,
      server: 'vllm',
    });
  });

  test('a server that tells nothing, or redirects elsewhere: undefined, and the key never leaves the configured host', async () => {
    const other = await jsonServer({ 'POST /api/show': { parameters: 'num_ctx 99999' } });
    const silent = await jsonServer({}, (req, res) => {
      if (req.url === '/api/show') {
        res.writeHead(302, { location: `${other.url}/api/show` }).end();
        return true;
      }
      return false;
    });
    assert.equal(await discoverContextWindow({ baseUrl: `${silent.url}/v1`, model: 'm', apiKey: 'sk-secret' }), undefined);
    assert.equal(other.seen.length, 0, 'the redirect was not followed');
    assert.ok(silent.seen.every((s) => s.authorization === 'Bearer sk-secret'));
    assert.equal(await discoverContextWindow({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm', timeoutMs: 300 }), undefined, 'nothing listening: no error');
    const hanging = await jsonServer({}, () => true);
    const started = Date.now();
    assert.equal(await discoverContextWindow({ baseUrl: `${hanging.url}/v1`, model: 'm', timeoutMs: 300 }), undefined, 'a server that never answers: no error');
    assert.ok(Date.now() - started < 2000, 'the probes time out together, not one after another');
  });
});

describe('prices for hosted models', () => {
  test('OpenAI models are priced from the catalog; local servers are not looked up', async () => {
    const facts = await lookupModel('https://api.openai.com/v1', 'gpt-4o-mini');
    assert.ok(facts && facts.inputPerMTok! > 0 && facts.outputPerMTok! > facts.inputPerMTok!, JSON.stringify(facts));
    assert.equal(facts.contextTokens, 128000);
    assert.ok(Math.abs(costOf(facts, 1_000_000, 0)! - facts.inputPerMTok!) < 1e-9);
    assert.equal(await lookupModel('http://127.0.0.1:11434/v1', 'gpt-4o-mini'), undefined);
    assert.equal(await lookupModel('https://api.openai.com/v1', 'no-such-model'), undefined);
    assert.equal(costOf(undefined, 100, 100), undefined);
  });
});

async function setup(script: Script, files: Record<string, string> = { 'a.txt': 'alpha\n' }) {
  const server = await startScriptedServer(script);
  const root = makeWorkspace(files);
  cleanups.push(
    () => server.close(),
    () => removeWorkspace(root),
  );
  return { server, root };
}
const finish = { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] };

describe('silent truncation', () => {
  test('a server that reports far fewer prompt tokens than were sent stops the task before its answer is acted on', async () => {
    const big = 'word '.repeat(4000);
    const { server, root } = await setup(
      [
        { toolCalls: [{ name: 'read_file', arguments: { path: 'big.txt' } }] },
        // Ollama cut the prompt to its 2,048-token window and kept the end; the model now edits blindly.
        {
          toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'lost the plot\n' } }],
          usage: { prompt_tokens: 2048, completion_tokens: 10 },
        },
        finish,
      ],
      { 'a.txt': 'alpha\n', 'big.txt': big },
    );
    const run = await runScripted('Summarise big.txt', { url: server.url, root, policy: { read: 'auto', edit: 'auto', execute: 'ask' } });
    assert.equal(run.status, 'failed');
    assert.match(run.summary, /The server processed only 2048 of the about \d+ prompt tokens Stepwise sent: it cut the conversation/);
    assert.match(run.summary, /set Stepwise's context window \(--context-window, now 32768\) to what the server really uses, e\.g\. 2048/);
    assert.equal(read(root, 'a.txt'), 'alpha\n', 'the answer of a truncated conversation was not acted on');
    assert.equal(server.chatRequests().length, 2);
  });

  test('an honest count a little under the estimate is not truncation', async () => {
    const { server, root } = await setup([
      { toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }], usage: { prompt_tokens: 700, completion_tokens: 5 } },
      finish,
    ]);
    const run = await runScripted('Read a', { url: server.url, root });
    assert.equal(run.status, 'finished');
  });
});

describe('per-task budget', () => {
  const script: Script = [
    { toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }], usage: { prompt_tokens: 1500, completion_tokens: 100 } },
    { toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt', start_line: 1 } }], usage: { prompt_tokens: 1600, completion_tokens: 100 } },
    { ...finish, usage: { prompt_tokens: 1700, completion_tokens: 50 } },
  ];

  test('before going over, the task pauses and asks; no means nothing more is sent', async () => {
    const { server, root } = await setup(script);
    const asked: string[] = [];
    const run = await runScripted('Read a', {
      url: server.url,
      root,
      taskBudget: { tokens: 2500 },
      budgetApprover: async (s) => (asked.push(`${s.spentTokens} of ${s.limit}`), false),
    });
    assert.equal(run.status, 'failed');
    assert.deepEqual(asked, ['1600 of 2,500 tokens']);
    assert.match(run.summary, /^Paused at the task budget of 2,500 tokens: 1,600 tokens used, and the next request would go over\. Nothing more was sent/);
    assert.equal(server.chatRequests().length, 1);
  });

  test("yes grants another budget's worth and the task completes; without anyone to ask it stops", async () => {
    const { server, root } = await setup(script);
    let asked = 0;
    const run = await runScripted('Read a', { url: server.url, root, taskBudget: { tokens: 2500 }, budgetApprover: async () => (asked++, true) });
    assert.equal(run.status, 'finished');
    assert.equal(server.chatRequests().length, 3);
    assert.equal(asked, 1, 'one yes covered another 2,500 tokens: no second question before 5,000');

    const second = await setup(script);
    const stopped = await runScripted('Read a', { url: second.server.url, root: second.root, taskBudget: { tokens: 2500 } });
    assert.equal(stopped.status, 'failed');
    assert.match(stopped.summary, /Paused at the task budget/);
  });

  test('a cost budget with a priced model: the usage events carry the cost, and the pause names dollars', async () => {
    const { server, root } = await setup(script);
    const facts = { inputPerMTok: 100, outputPerMTok: 400, source: 'test prices' };
    const run = await runScripted('Read a', { url: server.url, root, modelFacts: facts, taskBudget: { costUsd: 0.3 }, budgetApprover: async () => false });
    assert.equal(run.status, 'failed');
    assert.match(run.summary, /Paused at the task budget of \$0\.30: 1,600 tokens used \(about \$0\.19\)/);
    const usage = run.events.find((e) => e.type === 'usage');
    assert.ok(usage && usage.type === 'usage' && Math.abs((usage.costUsd ?? 0) - 0.19) < 1e-9);
  });
});
