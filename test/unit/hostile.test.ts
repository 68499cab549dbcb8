/**
 * Hostile workspaces, commands and servers against the core: nothing hangs, nothing escapes the
 * workspace, nothing a command started outlives it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { createTwoFilesPatch } from 'diff';
import { NodeHost } from '../../src/core/host/nodeHost';
import { ModelError } from '../../src/core/model/errors';
import { OpenAIClient } from '../../src/core/model/openaiClient';
import { writeFileInside } from '../../src/core/host/safeFiles';
import { openCommandCgroup } from '../../src/core/host/cgroupJail';
import { findRipgrep } from '../../src/core/host/textSearch';
import { lineHunks } from '../../src/core/review/hunks';
import { diffStats, unifiedDiff } from '../../src/core/tools/diffPreview';
import { runScripted } from '../support/agent';
import { callTool } from '../support/callTool';
import { startScriptedServer, type Script } from '../support/scriptedServer';
import { makeWorkspace, read, removeWorkspace } from '../support/workspace';

const linux = process.platform === 'linux';
const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});
function workspace(files: Record<string, string> = {}) {
  const root = makeWorkspace(files);
  cleanups.push(() => removeWorkspace(root));
  return { root, host: new NodeHost(root) };
}
async function serve(script: Script) {
  const server = await startScriptedServer(script);
  cleanups.push(() => server.close());
  return server;
}

describe('special files never hang a read, an edit or a search', { skip: !linux && 'mkfifo (Linux)', timeout: 30_000 }, () => {
  test('a FIFO, for read_file, edit_file, write_file and search: refused or skipped at once', async () => {
    const { root, host } = workspace({ 'src/a.txt': 'needle\n' });
    execFileSync('mkfifo', [path.join(root, 'pipe'), path.join(root, 'src', 'pipe2')]);
    const read = await callTool(host, 'read_file', { path: 'pipe' });
    assert.equal(read.ok, false);
    assert.match(read.output, /named pipe \(FIFO\), not a regular file/);
    const edit = await callTool(host, 'edit_file', { path: 'pipe', edits: [{ search: 'a', replace: 'b' }] });
    assert.match(edit.output, /not a regular file/);
    const write = await callTool(host, 'write_file', { path: 'pipe', content: 'x' });
    assert.equal(write.ok, false);
    const searchIt = await callTool(host, 'search', { query: 'needle', path: 'pipe' });
    assert.match(searchIt.output, /not a regular file or a folder/);
    for (const ripgrep of [undefined, null]) {
      const all = await callTool(new NodeHost(root, { ripgrep }), 'search', { query: 'needle' });
      assert.match(all.output, /src\/a\.txt:1: needle/, `ripgrep ${ripgrep === null ? 'off' : 'on'}`);
    }
  });
});

describe('what a command starts ends with it', { skip: !linux && 'reads /proc (Linux)', timeout: 30_000 }, () => {
  test('a background job and a setsid daemon are both gone when the command returns', async () => {
    const { root, host } = workspace();
    const a = `${200_000 + (process.pid % 1000)}`;
    const b = `${300_000 + (process.pid % 1000)}`;
    // The daemon writes its pid once it is in its own session; the command waits for that, so it has escaped the group.
    const command = `(sleep ${a}; touch late.txt) > /dev/null 2>&1 & setsid sh -c 'echo $$ > daemon.pid; sleep ${b}; touch late2.txt' > /dev/null 2>&1 & while [ ! -s daemon.pid ]; do sleep 0.01; done; echo started`;
    const result = await callTool(host, 'run_command', { command });
    assert.equal(result.ok, true, result.output);
    assert.match(result.output, /started/);
    assert.deepEqual(running([`sleep ${a}`, `sleep ${b}`]), [], 'nothing it started is still running');
    assert.match(result.output, /stopped \d+ process(es)? this command left running/);
    assert.equal(fs.existsSync(path.join(root, 'late.txt')), false);
  });
});

describe('what a command starts ends with it, even when it clears its environment', {
  skip: !cgroupAvailable() && 'no writable cgroup2 here: the environment tag alone cannot catch this (see the README)',
  timeout: 30_000,
}, () => {
  test("a setsid daemon that drops the tag from its environment (env -u) is still stopped: it is in the command's cgroup", async () => {
    const { host } = workspace();
    const marker = `${400_000 + (process.pid % 1000)}`;
    const command = [
      `setsid sh -c 'echo $$ > d.pid; exec env -u STEPWISE_COMMAND_TAG sleep ${marker}' > /dev/null 2>&1 &`,
      // Wait until the daemon has really dropped the tag, so only the cgroup can find it.
      'while [ ! -s d.pid ] || grep -q STEPWISE_COMMAND_TAG /proc/$(cat d.pid)/environ 2>/dev/null; do sleep 0.01; done; echo started',
    ].join(' ');
    const result = await callTool(host, 'run_command', { command });
    assert.equal(result.ok, true, result.output);
    assert.deepEqual(running([`sleep ${marker}`]), []);
  });
});

describe('writes cannot be steered out of the workspace', { skip: !linux && '/proc/self/fd (Linux)' }, () => {
  test('a folder that became a symlink after the path check: the write is refused, nothing lands outside', async () => {
    const { root } = workspace({ 'sub/keep.txt': 'k' });
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-outside-'));
    cleanups.push(() => fs.rmSync(outside, { recursive: true, force: true }));
    // The check saw a real folder; then a concurrent process swapped it for a link out.
    fs.rmSync(path.join(root, 'sub'), { recursive: true });
    fs.symlinkSync(outside, path.join(root, 'sub'));
    await assert.rejects(writeFileInside(root, { rel: 'sub/evil.txt', text: 'x', check: () => undefined }), /symbolic link/);
    await assert.rejects(writeFileInside(root, { rel: 'sub/new/evil.txt', text: 'x', check: () => undefined }), /symbolic link/);
    assert.deepEqual(fs.readdirSync(outside), [], 'no file and no temporary file outside');
  });

  test('a file that became a symlink: the link is replaced, its target untouched', async () => {
    const { root } = workspace({ 'a.txt': 'a' });
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-outside-'));
    cleanups.push(() => fs.rmSync(outside, { recursive: true, force: true }));
    fs.writeFileSync(path.join(outside, 'target.txt'), 'outside');
    fs.rmSync(path.join(root, 'a.txt'));
    fs.symlinkSync(path.join(outside, 'target.txt'), path.join(root, 'a.txt'));
    await assert.rejects(writeFileInside(root, { rel: 'a.txt', text: 'x', check: () => undefined }), /symbolic link/);
    assert.equal(fs.readFileSync(path.join(outside, 'target.txt'), 'utf8'), 'outside');
  });

  test('ordinary writes: new folders are made, the mode of a replaced file is kept', async () => {
    const { root, host } = workspace({ 'bin/run.sh': '#!/bin/sh\n' });
    fs.chmodSync(path.join(root, 'bin/run.sh'), 0o755);
    await host.writeFile('bin/run.sh', '#!/bin/sh\necho hi\n');
    await host.writeFile('a/b/c.txt', 'c\n', null);
    assert.equal(fs.statSync(path.join(root, 'bin/run.sh')).mode & 0o777, 0o755);
    assert.equal(read(root, 'a/b/c.txt'), 'c\n');
    assert.deepEqual(fs.readdirSync(path.join(root, 'bin')), ['run.sh'], 'no temporary file left');
  });
});

describe('search runs nothing from the workspace, and no pattern can hang it', { timeout: 30_000 }, () => {
  test('an rg inside the workspace (node_modules/.bin, or "." on the PATH) is never picked', async () => {
    const { root } = workspace({ 'node_modules/.bin/rg': `#!/bin/sh\ntouch "${'$'}(dirname "$0")/../../pwned"\n` });
    fs.chmodSync(path.join(root, 'node_modules/.bin/rg'), 0o755);
    const bin = path.join(root, 'node_modules/.bin');
    const found = await findRipgrep([bin, 'node_modules/.bin', '.', process.env.PATH ?? ''].join(path.delimiter), [root]);
    assert.ok(found === undefined || !found.startsWith(root), found);
    const saved = process.env.PATH;
    process.env.PATH = [bin, saved].join(path.delimiter);
    try {
      await callTool(new NodeHost(root), 'search', { query: 'x' });
    } finally {
      process.env.PATH = saved;
    }
    assert.equal(fs.existsSync(path.join(root, 'pwned')), false);
  });

  test('a catastrophic pattern in the built-in search returns (linear-time matching)', async () => {
    const { root } = workspace({ 'a.txt': `${'a'.repeat(30_000)}b\n` });
    const withoutRg = new NodeHost(root, { ripgrep: null });
    const result = await callTool(withoutRg, 'search', { query: '^(a+)+$', regex: true });
    assert.equal(result.output, 'No matches.');
    const lookaround = await callTool(withoutRg, 'search', { query: '(?<=a)b', regex: true });
    assert.match(lookaround.output, /not valid.*Look-around/s);
  });
});

describe('large files are read only as far as asked', () => {
  test('5 lines of a large sparse file: read at once, with "more lines follow" and no made-up total', async () => {
    const { root, host } = workspace();
    const file = path.join(root, 'big.log');
    fs.writeFileSync(file, Array.from({ length: 500 }, (_, i) => `line ${i + 1} ${'x'.repeat(30)}`).join('\n') + '\n');
    fs.truncateSync(file, 4 * 1024 * 1024 * 1024); // 4 GB, sparse
    const result = await callTool(host, 'read_file', { path: 'big.log', start_line: 1, end_line: 5 });
    assert.equal(result.ok, true, result.output);
    assert.match(result.output, /^big\.log lines 1-5\nline 1 x+\n/);
    assert.doesNotMatch(result.output, / of \d+/);
    const next = await callTool(host, 'read_file', { path: 'big.log', start_line: 499 });
    assert.match(next.output, /line 499 .*\nline 500 /);
    assert.match(next.output, /more lines follow/);
  });
});

describe('big diffs are bounded', () => {
  const before = Array.from({ length: 8000 }, (_, i) => `old line ${i}`).join('\n') + '\n';
  const after = Array.from({ length: 8000 }, (_, i) => `new row ${i}`).join('\n') + '\n';

  test('rewriting every line of an 8,000-line file: one "whole file replaced" hunk with every line, counted right', () => {
    const diff = unifiedDiff('big.txt', before, after);
    assert.match(diff, /^@@ -1,8000 \+1,8000 @@ whole file replaced \(8000 → 8000 lines\)$/m);
    assert.match(diff, /^-old line 0$/m);
    assert.match(diff, /^\+new row 7999$/m, 'nothing of the new content is left out');
    assert.deepEqual(diffStats(diff), { added: 8000, removed: 8000 });
    const hunks = lineHunks(before, after);
    assert.equal(hunks.length, 1);
    assert.equal(hunks[0]?.removed.length, 8000);
    assert.ok(createTwoFilesPatch, 'the library is the one the product uses');
  });

  test('a new file of 3,000 lines is shown whole, at once', () => {
    const diff = unifiedDiff('new.txt', '', after.split('\n').slice(0, 3000).join('\n') + '\n');
    assert.match(diff, /^@@ -0,0 \+1,3000 @@$/m);
    assert.equal(diff.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++')).length, 3000);
  });

  test('an ordinary change to the same file is still a real diff', () => {
    const changed = before.replace('old line 4000\n', 'old line 4000 changed\n');
    const diff = unifiedDiff('big.txt', before, changed);
    assert.match(diff, /^-old line 4000$/m);
    assert.match(diff, /^\+old line 4000 changed$/m);
  });
});

describe('hostile model servers', { timeout: 60_000 }, () => {
  test('one giant SSE line (20 MB, no newline) ends the task with a clear error instead of stalling', async () => {
    const server = await serve(() => ({ giantLineBytes: 20 * 1024 * 1024 }));
    const { root } = workspace();
    const run = await runScripted('x', { url: server.url, root });
    assert.equal(run.status, 'failed');
    assert.match(run.summary, /larger than 16 MB/);
  });

  test('a server that streams one answer forever is cut off at what the window has room for', async () => {
    const server = await serve(() => ({ text: 'Thinking', endless: { delta: 'and on and on ', everyMs: 0 } }));
    const { root } = workspace();
    const run = await runScripted('x', { url: server.url, root, contextTokens: 4096 });
    assert.equal(run.status, 'failed');
    assert.match(run.summary, /went on past what its context window has room for/);
  });
});

test('a server that trickles its model list one byte at a time: listing fails in bounded time, it does not hang', { timeout: 30_000 }, async () => {
  const http = await import('node:http');
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const timer = setInterval(() => res.write(' '), 100);
    res.on('close', () => clearInterval(timer));
  });
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))));
  const port = (server.address() as import('node:net').AddressInfo).port;
  const client = new OpenAIClient({ baseUrl: `http://127.0.0.1:${port}/v1`, model: '' });
  await assert.rejects(
    client.listModels(new AbortController().signal, 500),
    (error: unknown) => error instanceof ModelError && /did not list its models within 1 s/.test(error.message),
  );
});

test('an answer that trickles on for longer than an answer may take is stopped', { timeout: 30_000 }, async () => {
  const server = await serve(() => ({ text: 'Slow', endless: { delta: '.', everyMs: 20 } }));
  const client = new OpenAIClient({ baseUrl: server.url, model: 'm', maxAnswerMs: 500 });
  await assert.rejects(
    (async () => {
      for await (const event of client.stream({ messages: [{ role: 'user', content: 'x' }], tools: [] }, new AbortController().signal)) void event;
    })(),
    (error: unknown) => error instanceof ModelError && error.kind === 'runaway' && /for over 1 s without finishing/.test(error.message),
  );
  assert.equal(server.chatRequests().length, 1, 'not retried');
});

function cgroupAvailable(): boolean {
  const cgroup = openCommandCgroup();
  if (!cgroup) return false;
  void cgroup.close();
  return true;
}

/** Processes whose command line contains any of the markers. */
function running(markers: string[]): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (markers.some((m) => cmdline.includes(m))) found.push(cmdline);
    } catch {
      // gone
    }
  }
  return found;
}
