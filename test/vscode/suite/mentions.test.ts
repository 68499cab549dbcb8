/** The `@` picker's search in a real VS Code: the workspace's files, a file made a moment ago, the named sources. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { CommandTerminal } from '../../../src/vscode/commandTerminal';
import { MentionSearch } from '../../../src/vscode/mentionSearch';
import { VsCodeHost } from '../../../src/vscode/vscodeHost';
import { WorkspaceRoots } from '../../../src/vscode/workspaceRoots';
import { file } from './helpers';

describe('the @ picker', () => {
  const terminal = new CommandTerminal();
  const search = new MentionSearch(new VsCodeHost(terminal), new WorkspaceRoots());
  after(() => {
    search.dispose();
    terminal.dispose();
    fs.rmSync(file('made-just-now.txt'), { force: true });
  });

  it('finds workspace files by fuzzy name, and a file made after the list, at once or on the next answer', async () => {
    const labels = async (q: string) => (await search.query(q)).map((i) => i.label);
    assert.ok((await labels('math')).includes('src/math.js'));
    assert.deepEqual(
      (await labels('')).slice(0, 4).map((l) => l.split(' ')[0]),
      ['@problems', '@selection', '@terminal', '@changes'],
    );
    fs.writeFileSync(file('made-just-now.txt'), 'x\n');
    let refreshed = false;
    const listener = search.onDidRefresh(() => (refreshed = true));
    const first = await labels('made-just');
    if (!first.includes('made-just-now.txt')) {
      for (let i = 0; i < 200 && !refreshed; i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok((await labels('made-just')).includes('made-just-now.txt'), `found after the list was made again: ${(await labels('made-just')).join(', ')}`);
    }
    listener.dispose();
  });
});
