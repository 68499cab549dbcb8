/**
 * A fresh machine: with no server named, `run` and `doctor` look on the usual local ports
 * (Ollama 11434, LM Studio 1234, llama.cpp 8080, vLLM 8000). These tests take those ports for
 * themselves, so this is the only test file that may bind them.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../support/cli';
import { startScriptedServer } from '../support/scriptedServer';
import { makeWorkspace, removeWorkspace } from '../support/workspace';
import { portTaken } from '../support/ports';

const PORTS = { ollama: 11434, lmstudio: 1234, llamacpp: 8080, vllm: 8000 };
const finish = { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] };

interface Fake {
  requests: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** Something that is not a model server: a web page, or a port that accepts and never answers. */
async function fakeServer(port: number, kind: 'html' | 'hang'): Promise<Fake> {
  const requests: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.headers);
    if (kind === 'html') res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>My app</title>');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { requests, close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

const busy: string[] = [];
before(async () => {
  for (const [name, port] of Object.entries(PORTS)) if (await portTaken(port)) busy.push(`${name} (${port})`);
});

function freshState(): Record<string, string> {
  return { XDG_STATE_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-discovery-')) };
}

describe('finding a model server', () => {
  const workspace = makeWorkspace({ 'a.txt': 'a\n' });
  after(() => removeWorkspace(workspace));

  test("no server named and one only on LM Studio's port: found, named, used with its first chat model, remembered", async (t) => {
    if (busy.length) return t.skip(`ports in use on this machine: ${busy.join(', ')}`);
    const lmstudio = await startScriptedServer([finish, finish], { port: PORTS.lmstudio, models: ['text-embedding-nomic', 'qwen2.5-coder-7b-instruct'] });
    try {
      const env = freshState();
      const first = await runCli(['run', '--workspace', workspace, 'Say done'], env);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stderr, /using LM Studio at 127\.0\.0\.1:1234 \(found running\), model qwen2\.5-coder-7b-instruct/);
      assert.equal(lmstudio.chatRequests().length, 1, 'no request but the task’s own turn');
      assert.equal(lmstudio.chatRequests()[0]?.body.model, 'qwen2.5-coder-7b-instruct');
      for (const r of lmstudio.requests) assert.ok(!r.headers.authorization || r.headers.authorization === 'Bearer no-key', 'no key goes to a found server');

      const again = await runCli(['run', '--workspace', workspace, 'Say done'], env);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, /using LM Studio at 127\.0\.0\.1:1234 \(used last time\), model qwen2\.5-coder-7b-instruct/);
    } finally {
      await lmstudio.close();
    }
  });

  test('a web page on one port and a port that never answers are skipped; the task goes on; doctor says why', async (t) => {
    if (busy.length) return t.skip(`ports in use on this machine: ${busy.join(', ')}`);
    const page = await fakeServer(PORTS.llamacpp, 'html');
    const silent = await fakeServer(PORTS.vllm, 'hang');
    const lmstudio = await startScriptedServer([finish, {}], { port: PORTS.lmstudio, models: ['local-model'] });
    try {
      const run = await runCli(['run', '--workspace', workspace, 'Say done'], freshState());
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /using LM Studio at 127\.0\.0\.1:1234/);
      assert.ok(page.requests.length > 0 && page.requests.every((h) => !h.authorization), 'probed, and without a key');

      const check = await runCli(['doctor'], freshState());
      assert.equal(check.code, 0, check.stdout);
      assert.match(
        check.stdout,
        /llama\.cpp server on 127\.0\.0\.1:8080: something answers, but it answers with a web page: not an OpenAI-compatible server, skipped/,
      );
      assert.match(check.stdout, /vLLM on 127\.0\.0\.1:8000: no answer within 1\.5 s, skipped/);
      assert.match(check.stdout, /^ok {4}server: LM Studio at http:\/\/127\.0\.0\.1:1234\/v1 \(found running\)$/m);
      assert.match(check.stdout, /^ok {4}tool calling: native/m);
      assert.match(check.stdout, /A task can run\./);
    } finally {
      await Promise.all([page.close(), silent.close(), lmstudio.close()]);
    }
  });

  test('nothing running: run exits 2 naming the ways on, with the flags and variables; doctor exits 1', async (t) => {
    if (busy.length) return t.skip(`ports in use on this machine: ${busy.join(', ')}`);
    const run = await runCli(['run', '--workspace', workspace, 'x'], freshState());
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^stepwise: no model server found \(looked for Ollama on 127\.0\.0\.1:11434, LM Studio on 127\.0\.0\.1:1234/);
    assert.match(run.stderr, /ollama pull qwen2\.5-coder:7b.*OPENAI_API_KEY.*--base-url URL \(env OPENAI_BASE_URL\)/);
    assert.equal(run.stderr.trim().split('\n').length, 1, 'one line');
    const check = await runCli(['doctor', '--no-probe'], freshState());
    assert.equal(check.code, 1);
    assert.match(check.stdout, /^FAIL {2}server: no model server found or configured\n {6}next: Start a local server/m);
  });

  test('only embedding models, or none: run exits 2 saying so; doctor suggests a chat model', async (t) => {
    if (busy.length) return t.skip(`ports in use on this machine: ${busy.join(', ')}`);
    for (const models of [['nomic-embed-text', 'bge-reranker'], []]) {
      const ollama = await startScriptedServer([], { port: PORTS.ollama, models });
      try {
        const run = await runCli(['run', '--workspace', workspace, 'x'], freshState());
        assert.equal(run.code, 2, run.stderr);
        assert.match(run.stderr, models.length ? /lists no chat model \(only bge-reranker, nomic-embed-text\)/ : /lists no models/);
        const check = await runCli(['doctor'], freshState());
        assert.equal(check.code, 1);
        assert.match(check.stdout, /^FAIL {2}models: .*\n {6}next: load or pull a chat model/m);
        assert.equal(ollama.chatRequests().length, 0);
      } finally {
        await ollama.close();
      }
    }
  });
});
