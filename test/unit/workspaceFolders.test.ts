import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { PathError } from '../../src/core/host/host';
import { displayIn, displayPath, type Folder, folderOfDisplay, pickFolder } from '../../src/core/host/workspaceFolders';

/** Three folders: app (first) has its own docs/ and lib-notes/, then the folders docs and lib. */
const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-folders-')));
const files = ['app/docs/guide.md', 'app/docs/only-app.md', 'app/src/main.ts', 'docs/guide.md', 'docs/only-docs.md', 'lib/index.ts', 'lib/src/main.ts'];
for (const f of files) {
  fs.mkdirSync(path.dirname(path.join(base, f)), { recursive: true });
  fs.writeFileSync(path.join(base, f), f);
}
const folders: Folder[] = ['app', 'docs', 'lib'].map((name) => ({ name, root: path.join(base, name) }));
after(() => fs.rmSync(base, { recursive: true, force: true }));

const where = (requested: string) => {
  const { index, rel } = pickFolder(folders, requested);
  return `${folders[index]!.name}:${rel}`;
};

describe('paths in a workspace of several folders', () => {
  test('a path that starts with a folder name is in that folder; one without is in the first', () => {
    assert.equal(where('lib/index.ts'), 'lib:index.ts');
    assert.equal(where('app/src/main.ts'), 'app:src/main.ts');
    assert.equal(where('src/main.ts'), 'app:src/main.ts', 'the first folder is where commands run');
    assert.equal(where('./lib/src/main.ts'), 'lib:src/main.ts');
    assert.equal(where('lib\\src\\main.ts'), 'lib:src/main.ts');
    assert.equal(where(''), 'app:');
    assert.equal(where('lib'), 'lib:');
  });

  test('a first segment that is both a folder and an entry of the first folder: the existing one, else refused naming both', () => {
    assert.equal(where('docs/only-docs.md'), 'docs:only-docs.md');
    assert.equal(where('docs/only-app.md'), 'app:docs/only-app.md');
    for (const ambiguous of ['docs/guide.md', 'docs/new-file.md']) {
      assert.throws(
        () => pickFolder(folders, ambiguous),
        (e: Error) => {
          assert.ok(e instanceof PathError);
          assert.match(e.message, /is ambiguous/);
          assert.ok(e.message.includes(`"app/${ambiguous}"`), e.message);
          assert.ok(e.message.includes(path.join(base, 'docs', ambiguous.slice('docs/'.length))), e.message);
          return true;
        },
      );
    }
  });

  test('everything shown reads back as the same file, including a folder whose name clashes', () => {
    for (const f of files) {
      const [name, ...rest] = f.split('/');
      const index = folders.findIndex((x) => x.name === name);
      const shown = displayPath(folders, index, rest.join('/'));
      const back = pickFolder(folders, shown);
      assert.equal(path.join(folders[back.index]!.root, back.rel), path.join(base, f), `${f} shown as ${shown}`);
      assert.deepEqual(folderOfDisplay(folders, shown), { index, rel: rest.join('/') }, shown);
    }
    assert.equal(displayPath(folders, 0, 'docs/guide.md'), 'app/docs/guide.md');
    assert.equal(displayPath(folders, 2, 'index.ts'), 'lib/index.ts');
    assert.equal(displayPath(folders, 1, 'guide.md'), path.join(base, 'docs/guide.md'), 'docs clashes with app/docs: shown absolute');
    assert.equal(displayIn(folders, 2)(''), 'lib');
  });

  test('one folder: paths are as written; an absolute path is in the deepest folder holding it', () => {
    assert.deepEqual(pickFolder(folders.slice(0, 1), 'docs/guide.md'), { index: 0, rel: 'docs/guide.md' });
    assert.equal(displayPath(folders.slice(0, 1), 0, 'docs/guide.md'), 'docs/guide.md');
    const nested = [...folders, { name: 'app-src', root: path.join(base, 'app/src') }];
    assert.equal(pickFolder(nested, path.join(base, 'app/src/main.ts')).index, 3);
    assert.equal(pickFolder(nested, path.join(base, 'app/docs/guide.md')).index, 0);
  });

  test('two folders with the same name: a path under that name is refused, with the way out', () => {
    const twins = [...folders, { name: 'lib', root: path.join(base, 'app') }];
    assert.throws(() => pickFolder(twins, 'lib/index.ts'), /Several workspace folders are named "lib".*absolute path/);
  });
});
