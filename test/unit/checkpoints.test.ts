/** The checkpoint core on real folders: what is recorded, what a restore puts back, what pruning keeps. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { TaskCheckpoints } from '../../src/core/checkpoints/recorder';
import { applyRestore } from '../../src/core/checkpoints/restoreApply';
import { planRestore } from '../../src/core/checkpoints/restorePlan';
import { WorkspaceCheckpoints } from '../../src/core/checkpoints/store';
import { DEFAULT_CHECKPOINT_SETTINGS, type CheckpointSettings } from '../../src/core/checkpoints/types';
import { makeWorkspace, read } from '../support/workspace';

const cleanups: string[] = [];
after(() => {
  for (const dir of cleanups) fs.rmSync(dir, { recursive: true, force: true });
});

function setup(files: Record<string, string> = {}) {
  const root = makeWorkspace(files);
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-store-'));
  cleanups.push(root, storeDir);
  return { root, storeDir };
}

async function step(task: TaskCheckpoints, n: number, scope: Parameters<TaskCheckpoints['before']>[1], change: () => void) {
  await task.before({ step: n, tool: scope.kind === 'files' ? 'write_file' : 'run_command', toolCallId: `c${n}` }, scope);
  change();
  await task.after(n);
}

describe('checkpoint store and restore', () => {
  test('the store is private: folders 0700, files 0600', async () => {
    const { root, storeDir } = setup({ '.env': 'SECRET=1\n' });
    const store = (await WorkspaceCheckpoints.open(storeDir, root, DEFAULT_CHECKPOINT_SETTINGS))!;
    const task = TaskCheckpoints.start(store, 't1', 'goal');
    await step(task, 1, { kind: 'workspace' }, () => fs.appendFileSync(path.join(root, '.env'), 'MORE=2\n'));
    const walk = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? [path.join(dir, e.name), ...walk(path.join(dir, e.name))] : [path.join(dir, e.name)]));
    for (const entry of [storeDir, ...walk(storeDir)]) {
      const mode = fs.statSync(entry).mode & 0o777;
      assert.equal(mode, fs.statSync(entry).isDirectory() ? 0o700 : 0o600, entry);
    }
  });

  test('a file created in new folders goes away with its folders; a folder that now holds a user file stays', async () => {
    const { root, storeDir } = setup({ 'keep.txt': 'k\n' });
    const store = (await WorkspaceCheckpoints.open(storeDir, root, DEFAULT_CHECKPOINT_SETTINGS))!;
    const task = TaskCheckpoints.start(store, 't2', 'goal');
    await step(task, 1, { kind: 'files', paths: ['a/b/new.txt'] }, () => {
      fs.mkdirSync(path.join(root, 'a/b'), { recursive: true });
      fs.writeFileSync(path.join(root, 'a/b/new.txt'), 'new\n');
    });
    await step(task, 2, { kind: 'files', paths: ['x/y/other.txt'] }, () => {
      fs.mkdirSync(path.join(root, 'x/y'), { recursive: true });
      fs.writeFileSync(path.join(root, 'x/y/other.txt'), 'other\n');
    });
    fs.writeFileSync(path.join(root, 'x/mine.txt'), 'the user made this\n');
    const record = await applyRestore(store, await planRestore(store, task.record, 1, false));
    assert.ok(!fs.existsSync(path.join(root, 'a')), 'the folders the task made are gone');
    assert.ok(!fs.existsSync(path.join(root, 'x/y')));
    assert.equal(read(root, 'x/mine.txt'), 'the user made this\n', 'a folder holding a user file is kept with it');
    assert.ok(record.kept.some((k) => k.path === 'x' && /holds files the task did not make/.test(k.reason)));
    assert.equal(read(root, 'keep.txt'), 'k\n');
  });

  test('a symlink inside the workspace that a command replaced comes back as the same link', async () => {
    const { root, storeDir } = setup({ 'target.txt': 't\n' });
    fs.symlinkSync('target.txt', path.join(root, 'link'));
    const store = (await WorkspaceCheckpoints.open(storeDir, root, DEFAULT_CHECKPOINT_SETTINGS))!;
    const task = TaskCheckpoints.start(store, 't3', 'goal');
    await step(task, 1, { kind: 'workspace' }, () => {
      fs.rmSync(path.join(root, 'link'));
      fs.writeFileSync(path.join(root, 'link'), 'now a file\n');
    });
    await applyRestore(store, await planRestore(store, task.record, 1, false));
    assert.equal(fs.readlinkSync(path.join(root, 'link')), 'target.txt');
  });

  test('pruning keeps the store under its cap, oldest tasks first, never the running task', async () => {
    const { root, storeDir } = setup({});
    const settings: CheckpointSettings = { ...DEFAULT_CHECKPOINT_SETTINGS, maxStorageBytes: 250 * 1024 };
    const store = (await WorkspaceCheckpoints.open(storeDir, root, settings))!;
    for (let t = 0; t < 4; t++) {
      const task = TaskCheckpoints.start(store, `task-${t}`, 'goal');
      task.record.started = new Date(Date.now() - (10 - t) * 60_000).toISOString();
      await step(task, 1, { kind: 'files', paths: [`f${t}.bin`] }, () => fs.writeFileSync(path.join(root, `f${t}.bin`), Buffer.alloc(100 * 1024, t + 1)));
      fs.rmSync(path.join(root, `f${t}.bin`));
      await step(task, 2, { kind: 'files', paths: [`f${t}.bin`] }, () => fs.writeFileSync(path.join(root, `f${t}.bin`), Buffer.alloc(100 * 1024, t + 1)));
    }
    assert.ok((await store.usage()).bytes >= 400 * 1024);
    const result = await store.prune('task-0');
    const left = (await store.tasks()).map((t) => t.id);
    assert.ok(left.includes('task-0'), 'the running task is never pruned');
    assert.ok(!left.includes('task-1'), 'the oldest other task goes first');
    assert.ok((await store.usage()).bytes <= 250 * 1024, `${(await store.usage()).bytes}`);
    assert.ok(result.removedTasks >= 2 && result.freedBytes > 0);
    // What is left still restores.
    assert.deepEqual(left, ['task-0', 'task-3']);
    const kept = (await store.task('task-3'))!;
    const record = await applyRestore(store, await planRestore(store, kept, 1, false));
    assert.equal(record.ops.length, 1);
    assert.ok(!fs.existsSync(path.join(root, 'f3.bin')));
  });
});

test('tasks older than the age limit are pruned with their contents', async () => {
  const { root, storeDir } = setup({});
  const store = (await WorkspaceCheckpoints.open(storeDir, root, { ...DEFAULT_CHECKPOINT_SETTINGS, maxAgeDays: 7 }))!;
  const old = TaskCheckpoints.start(store, 'old-task', 'goal');
  old.record.started = new Date(Date.now() - 8 * 86_400_000).toISOString();
  await step(old, 1, { kind: 'files', paths: ['a.txt'] }, () => fs.writeFileSync(path.join(root, 'a.txt'), 'only in the old task\n'));
  fs.writeFileSync(path.join(root, 'a.txt'), 'now\n');
  const recent = TaskCheckpoints.start(store, 'recent-task', 'goal');
  await step(recent, 1, { kind: 'files', paths: ['b.txt'] }, () => fs.writeFileSync(path.join(root, 'b.txt'), 'b\n'));
  const before = (await store.usage()).blobs;
  const result = await store.prune();
  assert.deepEqual(
    (await store.tasks()).map((t) => t.id),
    ['recent-task'],
  );
  assert.equal(result.removedTasks, 1);
  assert.ok((await store.usage()).blobs < before, "the old task's contents are gone");
});
