import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { toolMessages } from '../support/agent';
import { runCli, scriptedRun } from '../support/cli';
import { freePort } from '../support/ports';
import { startScriptedServer, type Script } from '../support/scriptedServer';
import { makeWorkspace, removeWorkspace, snapshot } from '../support/workspace';

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});
const setup = (script: Script, files: Record<string, string> = { 'a.txt': 'alpha\n' }) => scriptedRun(script, files, cleanups);
const finish = { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] };
const lines = (text: string) => text.trim().split('\n').filter(Boolean);
const doneEvent = (stdout: string) => JSON.parse(lines(stdout).at(-1) ?? '{}');

describe('stepwise run: bad usage and configuration (exit 2, one line on stderr)', () => {
  for (const [what, args] of [
    ['no command', []],
    ['no goal', ['run']],
    ['an unknown option', ['run', '--frobnicate', 'x']],
    ['a bad --approve', ['run', '--approve', 'some', 'x']],
    ['a bad --max-steps', ['run', '--max-steps', 'many', 'x']],
    ['a workspace that is not a folder', ['run', '--workspace', '/nonexistent/dir', 'x']],
    ['a base URL that is not a URL', ['run', '--base-url', 'localhost:11434', 'x']],
    ['an unknown --provider', ['run', '--provider', 'ollamma', 'x']],
    ['a bad --budget-tokens', ['run', '--budget-tokens', '-5', 'x']],
    ['a bad --budget-usd', ['run', '--budget-usd', 'five', 'x']],
    ['a --context-window too small to hold the prompt', ['run', '--context-window', '512', 'x']],
  ] as const) {
    test(what, async () => {
      const result = await runCli([...args]);
      assert.equal(result.code, 2);
      assert.equal(lines(result.stderr).length, 1, result.stderr);
      assert.match(result.stderr, /^stepwise: /);
    });
  }

  test('nothing listening at the base URL: exit 2, one line naming the URL, no stack trace', async () => {
    const port = await freePort();
    const root = makeWorkspace({});
    cleanups.push(() => removeWorkspace(root));
    const result = await runCli(['run', '--workspace', root, '--base-url', `http://127.0.0.1:${port}/v1`, '--model', 'm', 'x']);
    assert.equal(result.code, 2);
    assert.deepEqual(lines(result.stderr), [
      `stepwise: Cannot reach a model server at http://127.0.0.1:${port}/v1 (ECONNREFUSED). Start the server (e.g. \`ollama serve\`) or pass --base-url URL (env OPENAI_BASE_URL).`,
    ]);
    assert.doesNotMatch(result.stderr + result.stdout, /\n\s+at /);
  });

  test('nothing listening and no model named: the same clear error', async () => {
    const port = await freePort();
    const result = await runCli(['run', '--base-url', `http://127.0.0.1:${port}/v1`, 'x']);
    assert.equal(result.code, 2);
    assert.equal(lines(result.stderr).length, 1);
    assert.match(result.stderr, /Cannot reach a model server/);
  });

  test('401: fails at once with a clear message and no retry storm; the key is not printed', async () => {
    const { server, base } = await setup(() => ({ status: 401, body: { error: { message: 'Incorrect API key provided: sk-abc***' } } }));
    const result = await runCli([...base, '--api-key', 'sk-abcdefghijkl', 'x']);
    assert.equal(result.code, 2);
    assert.equal(server.chatRequests().length, 1);
    assert.equal(lines(result.stderr).length, 1);
    assert.match(result.stderr, /refused the API key/);
    assert.doesNotMatch(result.stderr + result.stdout, /sk-abcdefghijkl/);
  });

  test('an unknown model: exit 2 with what to do', async () => {
    const { base } = await setup(() => ({ status: 404, body: { error: { message: 'model "nope" not found' } } }));
    const result = await runCli([...base, 'x']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /is not available at .*\/v1\/models/);
  });

  test("no model named: the server's first chat model is used (not an embedding, audio or image model), and the user is told", async () => {
    const only = await startScriptedServer([finish], { models: ['text-embedding-3-small', 'whisper-1'] });
    cleanups.push(() => only.close());
    const none = await runCli(['run', '--workspace', makeWorkspace({}), 'x'], { OPENAI_BASE_URL: only.url });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /lists no chat model \(only text-embedding-3-small, whisper-1\)\. Pass --model NAME \(or set STEPWISE_MODEL\)\./);
    const server = await startScriptedServer([finish], {
      models: ['babbage-002', 'dall-e-3', 'omni-moderation-latest', 'qwen-small', 'text-embedding-3-small', 'tts-1', 'zeta'],
    });
    const root = makeWorkspace({});
    cleanups.push(
      () => server.close(),
      () => removeWorkspace(root),
    );
    const result = await runCli(['run', '--workspace', root, 'x'], { OPENAI_BASE_URL: server.url });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /using model qwen-small, the server's first chat model/);
    assert.equal(server.chatRequests()[0]?.body.model, 'qwen-small');
  });
});

describe('stepwise run: provider trouble', () => {
  test('429 with Retry-After: 1, then success', async () => {
    const { server, base } = await setup([{ status: 429, headers: { 'retry-after': '1' } }, finish]);
    const result = await runCli([...base, 'x']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(server.chatRequests().length, 2);
    assert.ok(result.ms >= 1000);
  });

  test('429 with a day-long Retry-After ends with a clear error in bounded time', async () => {
    const { base } = await setup(() => ({ status: 429, headers: { 'retry-after': '86400' } }));
    const result = await runCli([...base, '--json', 'x']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /rate limiting.*86400 s/);
    assert.equal(doneEvent(result.stdout).status, 'failed');
    assert.ok(result.ms < 10_000, `${result.ms} ms`);
  });

  test('a 500, then success', async () => {
    const { server, base } = await setup([{ status: 500 }, finish]);
    const result = await runCli([...base, 'x']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(server.chatRequests().length, 2);
  });

  test('a stream cut in the middle of a tool call: the partial call never runs', async () => {
    const { root, base } = await setup([
      {
        toolCalls: [{ name: 'write_file', arguments: { path: 'cut.txt', content: 'partial content that must never be written' } }],
        cutAfterEvents: 6,
        chunkSize: 8,
      },
      finish,
    ]);
    const result = await runCli([...base, '--approve', 'all', '--json', 'x']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(fs.existsSync(path.join(root, 'cut.txt')), false);
    assert.ok(!result.stdout.includes('"tool_call"') || !result.stdout.includes('cut.txt'));
  });
});

describe('stepwise run: steps that may not run', () => {
  test('no terminal and edits not pre-approved: the edit is denied and the model is told so', async () => {
    const { server, root, base } = await setup([
      { toolCalls: [{ name: 'edit_file', arguments: { path: 'a.txt', edits: [{ search: 'alpha', replace: 'beta' }] } }] },
      finish,
    ]);
    const before = snapshot(root);
    const result = await runCli([...base, '--json', 'x']);
    assert.equal(result.code, 0);
    assert.deepEqual(snapshot(root), before);
    assert.match(toolMessages(server.chatRequests()[1]?.body)[0] ?? '', /needs the user's approval, and no one can approve it/);
    const approval = lines(result.stdout)
      .map((l) => JSON.parse(l))
      .find((e) => e.type === 'approval');
    assert.equal(approval.decision, 'denied');
  });

  test('paths out of the workspace and protected paths are never written, even with --approve all', async () => {
    const outside = makeWorkspace({});
    cleanups.push(() => removeWorkspace(outside));
    const attempts = ['../escape.txt', path.join(outside, 'abs.txt'), 'link/through.txt', './src/../.vscode//settings.json', '.git/config'];
    const { server, root, base } = await setup(
      [...attempts.map((p) => ({ toolCalls: [{ name: 'write_file', arguments: { path: p, content: 'pwned' } }] })), finish],
      { '.vscode/settings.json': '{}', '.git/config': '[core]', 'src/x.ts': '' },
    );
    fs.symlinkSync(outside, path.join(root, 'link'));
    const before = snapshot(root);
    const result = await runCli([...base, '--approve', 'all', 'x']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(snapshot(root), before);
    assert.deepEqual(fs.readdirSync(outside), []);
    assert.equal(fs.existsSync(path.join(path.dirname(root), 'escape.txt')), false);
    const answers = server
      .chatRequests()
      .slice(1)
      .map((r) => toolMessages(r.body).at(-1) ?? '');
    assert.match(answers[0]!, /outside the workspace/);
    assert.match(answers[1]!, /outside the workspace/);
    assert.match(answers[2]!, /symbolic link/);
    assert.match(answers[3]!, /no one can approve/);
    assert.match(answers[4]!, /no one can approve/);
  });

  test('a model that calls the same tool forever: done max_steps, exit 1', async () => {
    const { base } = await setup(() => ({ toolCalls: [{ name: 'list_files', arguments: {} }] }));
    const result = await runCli([...base, '--max-steps', '5', '--json', 'x']);
    assert.equal(result.code, 1);
    const { usage, task, ...done } = doneEvent(result.stdout);
    assert.deepEqual(done, { type: 'done', status: 'max_steps', summary: 'Stopped after 5 steps without finishing.' });
    assert.match(task, /^\d{8}-\d{6}-[0-9a-f]{4}$/, 'done names the task');
    assert.ok(usage.prompt_tokens > 0 && usage.completion_tokens > 0, "the task's tokens come with the end");
  });

  test('a model that only talks: nudged once, then exit 1', async () => {
    const { server, base } = await setup(() => ({ text: 'Sure, I can help with that!' }));
    const result = await runCli([...base, '--json', 'x']);
    assert.equal(result.code, 1);
    assert.equal(server.chatRequests().length, 2);
    assert.equal(doneEvent(result.stdout).status, 'failed');
  });
});
