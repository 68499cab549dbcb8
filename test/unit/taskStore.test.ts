import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { applyTaskEvent, newTaskView } from '../../src/protocol/taskReducer';
import { webviewToExtension } from '../../src/protocol/messages';
import { makeWorkspace, removeWorkspace } from '../support/workspace';

// TaskStore itself imports only node modules and protocol types, so it runs in plain Node.
import { TaskStore } from '../../src/vscode/taskStore';

const dir = makeWorkspace({});
after(() => removeWorkspace(dir));

test('tasks are saved atomically, listed newest first, and a task left running is reopened as interrupted', async () => {
  const store = new TaskStore(dir);
  const first = newTaskView('t1', 'first goal', 50, 1000);
  applyTaskEvent(first, { type: 'done', status: 'finished', summary: 'ok' });
  await store.save(first, true);
  const second = newTaskView('t2', 'second goal', 50, 2000);
  applyTaskEvent(second, { type: 'tool_call', id: 'c1', name: 'run_command', summary: 'npm test' });
  await store.save(second, true);
  assert.deepEqual(
    (await store.list()).map((t) => [t.id, t.status]),
    [
      ['t2', 'running'],
      ['t1', 'finished'],
    ],
  );
  assert.deepEqual(
    fs.readdirSync(path.join(dir, 'tasks')).filter((f) => f.endsWith('.tmp')),
    [],
  );

  const reopened = new TaskStore(dir);
  await reopened.recoverInterrupted();
  const task = await reopened.load('t2');
  assert.equal(task?.status, 'interrupted');
  assert.deepEqual(
    task?.items.find((i) => i.kind === 'tool'),
    { kind: 'tool', id: 'c1', name: 'run_command', summary: 'npm test', status: 'interrupted', output: '' },
  );
  assert.equal((await reopened.list()).find((t) => t.id === 't2')?.status, 'interrupted');
  assert.equal(await reopened.load('../../etc/passwd'), undefined);
});

test('webview messages: unknown types, extra or missing fields are rejected', () => {
  assert.equal(webviewToExtension.safeParse({ type: 'ready' }).success, true);
  assert.equal(webviewToExtension.safeParse({ type: 'decide', approvalId: 'a1', decision: 'approve' }).success, true);
  for (const bad of [
    { type: 'runCommand', command: 'rm -rf /' },
    { type: 'ready', extra: 1 },
    { type: 'decide', approvalId: 'a1', decision: 'approve', args: { command: 'evil' } },
    { type: 'decide', decision: 'approve' },
    { type: 'start', goal: '' },
    { type: 'start', goal: 'x'.repeat(20_001) },
    { type: 'decide', approvalId: 'a1', decision: 'approve_next', count: 0 },
    'ready',
    null,
  ]) {
    assert.equal(webviewToExtension.safeParse(bad).success, false, JSON.stringify(bad)?.slice(0, 80));
  }
});

test('storage that cannot be written (full, read-only, not a folder): a save resolves, the error is reported, later saves still try', async () => {
  const blocked = path.join(dir, 'not-a-folder');
  fs.writeFileSync(blocked, 'a file where the storage folder should be');
  const errors: string[] = [];
  const store = new TaskStore(blocked, (error) => errors.push(error.message));
  await store.save(newTaskView('t9', 'goal', 50, 1), true);
  await store.save(newTaskView('t9', 'goal', 50, 1), true);
  assert.equal(errors.length, 2);
  assert.match(errors[0] ?? '', /ENOTDIR|EEXIST|not a directory/);
});
