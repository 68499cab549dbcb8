/** `stepwise doctor` on a named server: each check on its own line, the next step under each problem. */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { describe, test } from 'node:test';
import { runCli } from '../support/cli';
import { startScriptedServer } from '../support/scriptedServer';

/** An HTTP proxy that records where it was asked to go (CONNECT tunnels and absolute-form requests). */
async function startProxy(): Promise<{ url: string; targets: string[]; close(): Promise<void> }> {
  const targets: string[] = [];
  const server = http.createServer((req, res) => {
    targets.push(req.url ?? '');
    const upstream = http.request(req.url ?? '', { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    targets.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host ?? '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}`, targets, close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

describe('stepwise doctor', () => {
  test('a working server: every check passes, tool calling found by one one-token request, exit 0', async () => {
    const server = await startScriptedServer([{ text: 'ok' }], { models: ['coder-7b', 'embed-small'] });
    try {
      const result = await runCli(['doctor', '--base-url', server.url, '--model', 'coder-7b']);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, new RegExp(`^ok {4}server: ${server.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(configured\\)$`, 'm'));
      assert.match(result.stdout, /^ok {4}models: 2 listed \(1 chat\)$/m);
      assert.match(result.stdout, /^ok {4}model: coder-7b$/m);
      assert.match(result.stdout, /^ok {4}tool calling: native/m);
      assert.match(result.stdout, /^ok {4}API key: none \(a local server needs none\)$/m);
      assert.match(result.stdout, /^(ok|warn) {2,4}context window: \d+ tokens/m);
      const probe = server.chatRequests();
      assert.equal(probe.length, 1);
      assert.equal(probe[0]?.body.max_tokens, 1);
      assert.equal(probe[0]?.body.tools.length, 1);
    } finally {
      await server.close();
    }
  });

  test('a server that refuses tools: the text protocol is named; --no-probe sends no chat request at all', async () => {
    const refusing = { status: 400, body: { error: { message: 'registry.ollama.ai/library/tiny does not support tools' } } };
    const server = await startScriptedServer([refusing], { models: ['tiny'] });
    try {
      const probed = await runCli(['doctor', '--base-url', server.url]);
      assert.equal(probed.code, 0, probed.stdout);
      assert.match(probed.stdout, /^ok {4}tool calling: text protocol: the server refused tool definitions \(.*does not support tools/m);
      assert.match(probed.stdout, /^ok {4}model: tiny \(the first chat model\)$/m);
      const skipped = await runCli(['doctor', '--base-url', server.url, '--no-probe']);
      assert.match(skipped.stdout, /^-- {4}tool calling: not checked \(--no-probe\)$/m);
      assert.equal(server.chatRequests().length, 1, 'only the probe of the first run');
    } finally {
      await server.close();
    }
  });

  test('a model the server does not list, and a key a hosted API rejects: FAIL with the next step, exit 1; the key is never printed', async () => {
    const server = await startScriptedServer([{ status: 401, body: { error: { message: 'Incorrect API key provided' } } }], { models: ['coder-7b'] });
    try {
      const missing = await runCli(['doctor', '--base-url', server.url, '--model', 'gpt-9']);
      assert.equal(missing.code, 1);
      assert.match(
        missing.stdout,
        /^FAIL {2}model: gpt-9 is not one the server lists \(it has coder-7b\)\n {6}next: Pass --model NAME \(env STEPWISE_MODEL\)/m,
      );
      const rejected = await runCli(['doctor', '--base-url', server.url], { OPENAI_API_KEY: 'sk-secret-doctor-key' });
      assert.equal(rejected.code, 1);
      assert.match(rejected.stdout, /^ok {4}API key: set \(OPENAI_API_KEY\); not shown$/m);
      assert.match(rejected.stdout, /^FAIL {2}tool calling: .*\n {6}next: Set a valid key: OPENAI_API_KEY, or --api-key-file FILE/m);
      assert.ok(!rejected.stdout.includes('sk-secret-doctor-key') && !rejected.stderr.includes('sk-secret-doctor-key'));
    } finally {
      await server.close();
    }
  });

  test('HTTP_PROXY is used for model requests (run and doctor) and shown by doctor', async () => {
    const server = await startScriptedServer([{ toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] }], { models: ['m'] });
    const proxy = await startProxy();
    try {
      const env = { HTTP_PROXY: proxy.url, NO_PROXY: 'example.invalid' };
      const run = await runCli(['run', '--base-url', server.url, '--model', 'm', 'Say done'], env);
      assert.equal(run.code, 0, run.stderr);
      const host = new URL(server.url).host;
      assert.ok(
        proxy.targets.some((t) => t.includes(host)),
        `the proxy carried the requests: ${proxy.targets.join(', ')}`,
      );
      const check = await runCli(['doctor', '--base-url', server.url, '--no-probe'], env);
      assert.match(
        check.stdout,
        new RegExp(
          `^-- {4}proxy: http via ${proxy.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, not for example\\.invalid \\(HTTP_PROXY\\); model requests use it$`,
          'm',
        ),
      );
    } finally {
      await Promise.all([server.close(), proxy.close()]);
    }
  });

  test('bad usage exits 2', async () => {
    for (const args of [
      ['doctor', 'extra'],
      ['doctor', '--base-url', 'http://127.0.0.1:1/v1', '--provider', 'ollama'],
      ['doctor', '--approve', 'all'],
      ['doctor', '--provider', 'nope'],
    ]) {
      const result = await runCli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /^stepwise: /);
    }
  });
});
