/** Through the CLI: every request carries a bound on the answer, and a cut answer costs one more request, never a loop. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../support/cli';
import { startScriptedServer, type Script } from '../support/scriptedServer';
import { makeWorkspace, removeWorkspace } from '../support/workspace';

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});
async function setup(script: Script) {
  const server = await startScriptedServer(script);
  const root = makeWorkspace({ 'a.txt': 'a\n' });
  cleanups.push(
    () => server.close(),
    () => removeWorkspace(root),
  );
  return {
    server,
    root,
    base: ['run', '--workspace', root, '--base-url', server.url, '--model', 'scripted-model', '--context-window', '16384', '--approve', 'all', '--json'],
  };
}

test('a cut answer: its write never runs, the next request tells the model, the task goes on; every request is bounded', async () => {
  const { server, root, base } = await setup([
    { text: 'All at once.', toolCalls: [{ name: 'write_file', arguments: { path: 'big.txt', content: 'x' } }], finishReason: 'length' },
    { toolCalls: [{ name: 'write_file', arguments: { path: 'part1.txt', content: 'x' } }] },
    { toolCalls: [{ name: 'finish', arguments: { summary: 'split' } }] },
  ]);
  const result = await runCli([...base, 'Write a big file']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(fs.existsSync(path.join(root, 'big.txt')), false);
  assert.equal(fs.existsSync(path.join(root, 'part1.txt')), true);
  const requests = server.chatRequests();
  assert.equal(requests.length, 3);
  assert.ok(
    requests.every((r) => r.body.max_tokens === 4096),
    JSON.stringify(requests.map((r) => r.body.max_tokens)),
  );
  assert.match(JSON.stringify(requests[1]!.body.messages.at(-1)), /cut off at the output limit/);
});
