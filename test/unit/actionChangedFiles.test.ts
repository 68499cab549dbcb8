/** The Action's changed-files: what git sees change in the workspace during the run, and nothing else. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { changedBetween, snapshot } from '../../src/action/changedFiles';
import { commitAll, git, makeWorkspace, removeWorkspace } from '../support/workspace';

test('changed files in a sub-folder workspace: edits, new names with spaces and accents, a rename, a deletion, a link to /dev/zero; not what changed before, not what is outside', (t) => {
  const repo = makeWorkspace({ 'pkg/a.txt': 'a\n', 'pkg/x.txt': 'x\n', 'pkg/gone.txt': 'g\n', 'pkg/mine.txt': 'm\n', 'outside.txt': 'o\n' });
  t.after(() => removeWorkspace(repo));
  commitAll(repo);
  const workspace = path.join(repo, 'pkg');
  fs.writeFileSync(path.join(workspace, 'mine.txt'), 'my own change\n');
  const before = snapshot(workspace)!;
  assert.deepEqual([...before.keys()], ['mine.txt']);

  fs.writeFileSync(path.join(workspace, 'a.txt'), 'A\n');
  fs.writeFileSync(path.join(workspace, 'b c é.txt'), 'new\n');
  git(repo, 'mv', 'pkg/x.txt', 'pkg/y.txt');
  fs.rmSync(path.join(workspace, 'gone.txt'));
  fs.symlinkSync('/dev/zero', path.join(workspace, 'zero'));
  fs.writeFileSync(path.join(repo, 'outside.txt'), 'changed outside\n');
  assert.deepEqual(changedBetween(before, snapshot(workspace)!), ['a.txt', 'b c é.txt', 'gone.txt', 'x.txt', 'y.txt', 'zero']);
});

test('a file changed before the run and put back by it counts; outside git there is no snapshot', (t) => {
  const repo = makeWorkspace({ 'a.txt': 'a\n' });
  t.after(() => removeWorkspace(repo));
  commitAll(repo);
  fs.writeFileSync(path.join(repo, 'a.txt'), 'dirty\n');
  const before = snapshot(repo)!;
  fs.writeFileSync(path.join(repo, 'a.txt'), 'a\n');
  assert.deepEqual(changedBetween(before, snapshot(repo)!), ['a.txt']);
  const plain = makeWorkspace({ 'f.txt': 'f' });
  t.after(() => removeWorkspace(plain));
  assert.equal(snapshot(plain), undefined);
});
