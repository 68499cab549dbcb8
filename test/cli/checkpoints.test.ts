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
import { runCli, runCliOnTerminal, TEST_STATE, jsonEvents } from '../support/cli';
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

const events = jsonEvents;

/** A command that deletes a folder, renames a file, changes a mode, appends to the ignored .env, writes a binary file and a new folder. */
const DESTRUCTIVE =
  "rm -rf docs && mv src/old-name.js src/new-name.js && chmod 600 run.sh && echo 'LEAK=1' >> .env && printf '\\000\\001\\377binary' > data.bin && rmdir empty-dir && mkdir -p made/inner && echo x > made/inner/x.txt && echo built > node_modules/dep/built.js";

const TASK: ScriptStep[] = [
  { toolCalls: [{ name: 'read_file', arguments: { path: 'src/app.js' } }] },
  { toolCalls: [{ name: 'edit_file', arguments: { path: 'src/app.js', edits: [{ search: 'console.log("app");', replace: 'console.log("app v2");' }] } }] },
  {
    toolCalls: [
      { name: 'write_file', arguments: { path: 'lib/util/new.js', content: 'export const x = 1;\n' } },
      { name: 'run_command', arguments: { command: DESTRUCTIVE } },
    ],
  },
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
    assert.deepEqual(
      cps.map((e) => [e.task, e.step]),
      [
        [done.task, 2],
        [done.task, 3],
        [done.task, 4],
      ],
    );
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
    assert.deepEqual(
      task.checkpoints.map((c: { step: number; tool: string }) => [c.step, c.tool]),
      [
        [2, 'edit_file'],
        [3, 'write_file'],
        [4, 'run_command'],
      ],
    );
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

const EDIT_TASK: ScriptStep[] = [
  { toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'agent a\n' } }] },
  { toolCalls: [{ name: 'run_command', arguments: { command: 'echo agent > b.txt && echo agent > c.txt' } }] },
  { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] },
];

async function runTask(root: string, script: ScriptStep[], extra: string[] = [], env: Record<string, string> = {}) {
  const s = await server(script);
  return runCli(['run', '--workspace', root, '--base-url', s.url, '--model', 'm', '--approve', 'all', '--json', ...extra, 'Do it'], env);
}

describe('restore keeps what the user changed, and covers only what it can', () => {
  test('a file the user changed after the task is kept and flagged, unless --include-changed', async () => {
    const root = makeWorkspace({ 'a.txt': 'user a\n', 'b.txt': 'user b\n', 'c.txt': 'user c\n' });
    cleanups.push(() => removeWorkspace(root));
    assert.equal((await runTask(root, EDIT_TASK)).code, 0);
    fs.writeFileSync(path.join(root, 'b.txt'), 'edited by hand after the task\n');
    const restored = await runCli(['restore', '--workspace', root, '--step', '1', '--yes']);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /Kept — changed outside the task's steps since the checkpoint[^\n]*\n  b\.txt/);
    assert.equal(read(root, 'a.txt'), 'user a\n');
    assert.equal(read(root, 'c.txt'), 'user c\n');
    assert.equal(read(root, 'b.txt'), 'edited by hand after the task\n', 'the hand edit is kept');
    // Nothing left to restore but the hand-edited file: without --include-changed nothing happens.
    const again = await runCli(['restore', '--workspace', root, '--step', '1', '--yes']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /nothing was restored/);
    const included = await runCli(['restore', '--workspace', root, '--step', '1', '--yes', '--include-changed']);
    assert.equal(included.code, 0, included.stderr);
    assert.equal(read(root, 'b.txt'), 'user b\n');
    // And the undo brings the hand edit back.
    assert.equal((await runCli(['restore', '--workspace', root, '--undo', '--yes'])).code, 0);
    assert.equal(read(root, 'b.txt'), 'edited by hand after the task\n');
  });

  test('a file over the size cap, a FIFO and a symlink out of the workspace are skipped with a note, never followed', async () => {
    const outside = makeWorkspace({ 'secret.txt': 'outside\n' });
    const root = makeWorkspace({ 'big.bin': Buffer.alloc(300 * 1024, 1), 'small.txt': 'small\n' });
    cleanups.push(
      () => removeWorkspace(root),
      () => removeWorkspace(outside),
    );
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'out-link'));
    const config = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-config-'));
    fs.mkdirSync(path.join(config, 'stepwise'));
    fs.writeFileSync(path.join(config, 'stepwise', 'config.json'), JSON.stringify({ checkpoints: { maxFileMB: 0.25 } }));
    const env = { XDG_CONFIG_HOME: config };
    const result = await runTask(
      root,
      [
        { toolCalls: [{ name: 'run_command', arguments: { command: 'echo more >> big.bin && echo changed > small.txt' } }] },
        { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] },
      ],
      [],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    const cp = events(result.stdout).find((e) => e.type === 'checkpoint');
    const notes = Object.fromEntries(cp.skipped.map((n: { path: string; reason: string }) => [n.path, n.reason]));
    assert.match(notes['big.bin'], /larger than the 0\.3 MB checkpoint cap/);
    assert.match(notes['pipe'], /named pipe/);
    assert.match(notes['out-link'], /symbolic link pointing outside the workspace/);
    const listed = await runCli(['checkpoints', '--workspace', root], env);
    assert.match(listed.stdout, /not covered: big\.bin — larger than/);
    const restored = await runCli(['restore', '--workspace', root, '--step', '1', '--yes'], env);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /Not restored: big\.bin — larger than/);
    assert.equal(read(root, 'small.txt'), 'small\n');
    assert.equal(fs.statSync(path.join(root, 'big.bin')).size, 300 * 1024 + 5, 'the file too large to copy is left as it is');
    assert.equal(read(outside, 'secret.txt'), 'outside\n');
    assert.ok(fs.lstatSync(path.join(root, 'pipe')).isFIFO());
  });

  test('a nested repository and a workspace that is the home folder (holding the store) both work', async () => {
    const home = makeWorkspace({ 'project/app.txt': 'v1\n', 'project/sub/lib.txt': 'lib v1\n' });
    cleanups.push(() => removeWorkspace(home));
    git(path.join(home, 'project', 'sub'), 'init', '-q');
    const nestedGit = gitTree(path.join(home, 'project', 'sub'));
    // No XDG_STATE_HOME: the store goes to ~/.local/state inside the workspace itself.
    const env = { HOME: home, XDG_STATE_HOME: '' };
    const result = await runTask(
      home,
      [
        { toolCalls: [{ name: 'run_command', arguments: { command: 'echo v2 > project/app.txt && echo lib v2 > project/sub/lib.txt' } }] },
        { toolCalls: [{ name: 'run_command', arguments: { command: 'echo v3 > project/app.txt' } }] },
        { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] },
      ],
      [],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.ok(fs.existsSync(path.join(home, '.local', 'state', 'stepwise', 'checkpoints')));
    const list = JSON.parse((await runCli(['checkpoints', '--workspace', home, '--json'], env)).stdout);
    assert.deepEqual(
      list.tasks[0].checkpoints.map((c: { files: string[] }) => c.files),
      [['project/app.txt', 'project/sub/lib.txt'], ['project/app.txt']],
      'the store inside the workspace is not copied into itself',
    );
    const restored = await runCli(['restore', '--workspace', home, '--step', '1', '--yes'], env);
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal(read(home, 'project/app.txt'), 'v1\n');
    assert.equal(read(home, 'project/sub/lib.txt'), 'lib v1\n');
    assert.deepEqual(gitTree(path.join(home, 'project', 'sub')), nestedGit, 'the nested repository is untouched');
  });
});

describe('when checkpoints cannot be stored', () => {
  // A state folder under a regular file cannot be made, even by root.
  const blocked = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-blocked-'));
    fs.writeFileSync(path.join(dir, 'file'), '');
    return { XDG_STATE_HOME: path.join(dir, 'file', 'state') };
  };

  test('without a terminal the task stops before its first changing step (exit 1); --no-checkpoints runs it; a task that only reads is not stopped', async () => {
    const root = makeWorkspace({ 'a.txt': 'user a\n' });
    cleanups.push(() => removeWorkspace(root));
    const stopped = await runTask(root, EDIT_TASK, [], blocked());
    assert.equal(stopped.code, 1);
    assert.match(stopped.stderr, /Checkpoints cannot be stored[\s\S]*--no-checkpoints/);
    assert.equal(read(root, 'a.txt'), 'user a\n', 'the step did not run');
    assert.equal(events(stopped.stdout).filter((e) => e.type === 'tool_result').length, 0);

    const readOnly = await runTask(
      root,
      [{ toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] }, { toolCalls: [{ name: 'finish', arguments: { summary: 'read it' } }] }],
      [],
      blocked(),
    );
    assert.equal(readOnly.code, 0, readOnly.stderr);

    const without = await runTask(root, EDIT_TASK, ['--no-checkpoints'], blocked());
    assert.equal(without.code, 0, without.stderr);
    assert.equal(read(root, 'a.txt'), 'agent a\n');
    assert.equal(events(without.stdout).filter((e) => e.type === 'checkpoint').length, 0);
  });

  test('on a terminal the user is asked whether to go on without checkpoints', async () => {
    const root = makeWorkspace({ 'a.txt': 'user a\n' });
    cleanups.push(() => removeWorkspace(root));
    const s = await server(EDIT_TASK);
    const result = await runCliOnTerminal(['run', '--workspace', root, '--base-url', s.url, '--model', 'm', '--approve', 'all', 'Do it'], ['y'], blocked());
    assert.match(result.stdout, /Checkpoints cannot be stored[^\n]*\nRun this step and the rest of the task without checkpoints\? \(y\/N\)/);
    assert.equal(result.code, 0, result.stdout);
    assert.equal(read(root, 'b.txt'), 'agent\n');
  });
});

describe('restore: usage, questions and exit codes', () => {
  test('bad usage exits 2, nothing to restore exits 1, and without a terminal --yes is needed', async () => {
    const root = makeWorkspace({ 'a.txt': 'user a\n' });
    cleanups.push(() => removeWorkspace(root));
    const none = await runCli(['restore', '--workspace', root, '--step', '1', '--yes']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no checkpoints are recorded/);
    assert.equal((await runCli(['restore', '--workspace', root, '--undo', '--yes'])).code, 1);
    assert.equal((await runTask(root, EDIT_TASK)).code, 0);
    for (const args of [
      ['restore', '--workspace', root],
      ['restore', '--workspace', root, '--step', '0'],
      ['restore', '--workspace', root, '--step', 'x'],
      ['restore', '--undo', '--step', '1'],
      ['checkpoints', '--step', '1'],
      ['restore', '--step', '1', '--task', '../x'],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^stepwise: /);
    }
    const noYes = await runCli(['restore', '--workspace', root, '--step', '1']);
    assert.equal(noYes.code, 2);
    assert.match(noYes.stdout, /change +a\.txt/);
    assert.match(noYes.stderr, /pass --yes/);
    assert.equal(read(root, 'a.txt'), 'agent a\n');
    const tooFar = await runCli(['restore', '--workspace', root, '--step', '9', '--yes']);
    assert.equal(tooFar.code, 1);
    assert.match(tooFar.stderr, /no checkpoint at or after step 9 \(its checkpoints: 1, 2\)/);
    const unknown = await runCli(['restore', '--workspace', root, '--task', '20200101-000000-0000', '--step', '1', '--yes']);
    assert.equal(unknown.code, 1);
  });

  test('on a terminal the list is shown and asked; "n" restores nothing, "y" restores', async () => {
    const root = makeWorkspace({ 'a.txt': 'user a\n' });
    cleanups.push(() => removeWorkspace(root));
    assert.equal((await runTask(root, EDIT_TASK)).code, 0);
    const no = await runCliOnTerminal(['restore', '--workspace', root, '--step', '1'], ['n']);
    assert.match(no.stdout, /change +a\.txt[\s\S]*delete +b\.txt[\s\S]*Restore these 3 paths\? \(y\/N\)/);
    assert.equal(no.code, 1);
    assert.equal(read(root, 'a.txt'), 'agent a\n');
    const yes = await runCliOnTerminal(['restore', '--workspace', root, '--step', '1'], ['y']);
    assert.equal(yes.code, 0, yes.stdout);
    assert.equal(read(root, 'a.txt'), 'user a\n');
    assert.ok(!fs.existsSync(path.join(root, 'b.txt')), 'a file the task created is deleted');
  });

  test('a restore cut off half-way is finished by the next command, never left as a mix', async () => {
    const root = makeWorkspace(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.txt`, `user ${i}\n`])));
    cleanups.push(() => removeWorkspace(root));
    const result = await runTask(root, [
      { toolCalls: [{ name: 'run_command', arguments: { command: 'for i in 0 1 2 3 4 5; do echo agent > f$i.txt; done' } }] },
      { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] },
    ]);
    assert.equal(result.code, 0, result.stderr);
    // A restore process killed after its plan was written and some files were put back.
    const { WorkspaceCheckpoints } = await import('../../src/core/checkpoints/store');
    const { planRestore } = await import('../../src/core/checkpoints/restorePlan');
    const { applyRestore } = await import('../../src/core/checkpoints/restoreApply');
    const { DEFAULT_CHECKPOINT_SETTINGS } = await import('../../src/core/checkpoints/types');
    const store = (await WorkspaceCheckpoints.open(path.join(TEST_STATE, 'stepwise', 'checkpoints'), root, DEFAULT_CHECKPOINT_SETTINGS, false))!;
    const task = (await store.tasks()).at(-1)!;
    const plan = await planRestore(store, task, 1, false);
    await assert.rejects(
      applyRestore(store, plan, {
        onProgress: (done) => {
          if (done === 3) throw new Error('killed');
        },
      }),
      /killed/,
    );
    const mixed = Array.from({ length: 6 }, (_, i) => read(root, `f${i}.txt`));
    assert.deepEqual(mixed, ['user 0\n', 'user 1\n', 'user 2\n', 'agent\n', 'agent\n', 'agent\n']);
    const listed = await runCli(['checkpoints', '--workspace', root]);
    assert.match(listed.stderr, /finished a restore that was cut off \(6 paths\)/);
    assert.deepEqual(
      Array.from({ length: 6 }, (_, i) => read(root, `f${i}.txt`)),
      Array.from({ length: 6 }, (_, i) => `user ${i}\n`),
    );
    // And it is a restore like any other: undo takes it back.
    assert.equal((await runCli(['restore', '--workspace', root, '--undo', '--yes'])).code, 0);
    assert.equal(read(root, 'f0.txt'), 'agent\n');
  });
});
