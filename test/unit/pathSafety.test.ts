import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { PathError } from '../../src/core/host/host';
import { resolveInWorkspace } from '../../src/core/host/pathSafety';
import { makeWorkspace, removeWorkspace } from '../support/workspace';

describe('path safety', () => {
  const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-outside-')));
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  const root = makeWorkspace({ 'src/a.ts': 'a', '.vscode/settings.json': '{}' });
  fs.symlinkSync(outside, path.join(root, 'escape'));
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'secret-link.txt'));
  fs.symlinkSync(path.join(root, 'src'), path.join(root, 'src-link'));
  fs.symlinkSync(path.join(outside, 'missing.txt'), path.join(root, 'dangling.txt'));
  // A sibling whose name starts like the workspace's: containment must be separator-aware.
  const sibling = `${root}-evil`;
  fs.mkdirSync(sibling);
  after(() => [root, outside, sibling].forEach(removeWorkspace));

  test('plain relative paths resolve inside the workspace', async () => {
    assert.equal((await resolveInWorkspace(root, 'src/a.ts')).rel, 'src/a.ts');
    assert.equal((await resolveInWorkspace(root, './src//a.ts')).rel, 'src/a.ts');
    assert.equal((await resolveInWorkspace(root, '')).rel, '');
  });

  test('a new file resolves through its nearest existing folder', async () => {
    assert.equal((await resolveInWorkspace(root, 'src/new/deep/file.ts')).rel, 'src/new/deep/file.ts');
  });

  test('.. that leaves the workspace is refused', async () => {
    await assert.rejects(resolveInWorkspace(root, '../x'), PathError);
    await assert.rejects(resolveInWorkspace(root, 'src/../../x'), /outside the workspace/);
    await assert.rejects(resolveInWorkspace(root, `../${path.basename(sibling)}/x`), PathError);
  });

  test('absolute paths outside the workspace are refused; inside they are made relative', async () => {
    await assert.rejects(resolveInWorkspace(root, '/etc/passwd'), PathError);
    await assert.rejects(resolveInWorkspace(root, path.join(sibling, 'x')), PathError);
    assert.equal((await resolveInWorkspace(root, path.join(root, 'src/a.ts'))).rel, 'src/a.ts');
  });

  test('symlinks out of the workspace are refused for existing and new files', async () => {
    await assert.rejects(resolveInWorkspace(root, 'escape/secret.txt'), /symbolic link/);
    await assert.rejects(resolveInWorkspace(root, 'escape/new-file.txt'), /symbolic link/);
    await assert.rejects(resolveInWorkspace(root, 'secret-link.txt'), /symbolic link/);
    await assert.rejects(resolveInWorkspace(root, 'dangling.txt'), PathError);
  });

  test('symlinks inside the workspace resolve to the real file', async () => {
    assert.equal((await resolveInWorkspace(root, 'src-link/a.ts')).rel, 'src/a.ts');
  });

  test('a protected path written roundabout still resolves to its real name', async () => {
    assert.equal((await resolveInWorkspace(root, './src/../.vscode//settings.json')).rel, '.vscode/settings.json');
  });

  test('NUL bytes are refused', async () => {
    await assert.rejects(resolveInWorkspace(root, 'src/a.ts\0.png'), PathError);
  });
});
