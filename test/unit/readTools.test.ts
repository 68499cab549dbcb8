import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { NodeHost } from '../../src/core/host/nodeHost';
import { findRipgrep } from '../../src/core/host/textSearch';
import { callTool } from '../support/callTool';
import { makeWorkspace, removeWorkspace } from '../support/workspace';

const root = makeWorkspace({
  '.gitignore': 'build/\n*.log\n',
  'src/app.ts': 'export function add(a: number, b: number) {\n  return a + b;\n}\n',
  'src/util/strings.ts': 'export const greeting = "Hello";\n',
  'src/util/.gitignore': 'generated.ts\n',
  'src/util/generated.ts': 'export const Hello = 1;\n',
  'build/out.js': 'Hello from build',
  'debug.log': 'Hello log',
  'node_modules/pkg/index.js': 'Hello dependency',
  'README.md': '# Demo\nSay hello.\n',
  'crlf.txt': 'one\r\ntwo\r\nthree\r\n',
  'bom.txt': '\uFEFFwith bom\n',
  'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
  'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
  'long.txt': Array.from({ length: 2000 }, (_, i) => `line ${i + 1}`).join('\n') + '\n',
});
after(() => removeWorkspace(root));
const host = new NodeHost(root);

describe('read_file', () => {
  test('reads a whole small file with a header', async () => {
    const result = await callTool(host, 'read_file', { path: 'src/app.ts' });
    assert.equal(result.ok, true);
    assert.equal(result.output, 'src/app.ts (3 lines)\nexport function add(a: number, b: number) {\n  return a + b;\n}');
  });

  test('reads a line range, and says where to read on', async () => {
    const result = await callTool(host, 'read_file', { path: 'long.txt', start_line: 10, end_line: 12 });
    assert.equal(result.output, 'long.txt lines 10-12 of 2000\nline 10\nline 11\nline 12');
    const capped = await callTool(host, 'read_file', { path: 'long.txt' });
    assert.match(capped.output, /^long\.txt lines 1-600 of 2000\n/);
    assert.match(capped.output, /\[… 1400 more lines; read on with start_line 601\]$/);
  });

  test('CRLF and BOM files read as plain lines', async () => {
    assert.equal((await callTool(host, 'read_file', { path: 'crlf.txt' })).output, 'crlf.txt (3 lines)\none\ntwo\nthree');
    assert.equal((await callTool(host, 'read_file', { path: 'bom.txt' })).output, 'bom.txt (1 lines)\nwith bom');
  });

  test('a binary file is named as such, never dumped', async () => {
    const result = await callTool(host, 'read_file', { path: 'image.png' });
    assert.equal(result.ok, false);
    assert.match(result.output, /image\.png is a binary file \(12 bytes\)/);
  });

  test('a file that is not UTF-8 is refused rather than shown with replacement characters', async () => {
    const result = await callTool(host, 'read_file', { path: 'latin1.txt' });
    assert.equal(result.ok, false);
    assert.match(result.output, /not UTF-8/);
  });

  test('a missing file or a folder gets an error that says what to do', async () => {
    assert.match((await callTool(host, 'read_file', { path: 'nope.ts' })).output, /does not exist.*list_files or search/);
    assert.match((await callTool(host, 'read_file', { path: 'src' })).output, /is a directory/);
  });

  test('a 50 MB file is read by window in bounded memory', async () => {
    const big = path.join(root, 'big.txt');
    const line = 'x'.repeat(99) + '\n';
    const fd = fs.openSync(big, 'w');
    const block = line.repeat(10_000);
    for (let i = 0; i < 50; i++) fs.writeSync(fd, block);
    fs.closeSync(fd);
    const result = await callTool(host, 'read_file', { path: 'big.txt', start_line: 499_999 });
    assert.equal(result.ok, true);
    assert.equal(result.output, `big.txt lines 499999-500000 of 500000\n${'x'.repeat(99)}\n${'x'.repeat(99)}`);
    const head = await callTool(host, 'read_file', { path: 'big.txt' });
    assert.ok(head.output.length <= 12_100, `output is capped (${head.output.length})`);
    fs.rmSync(big);
  });

  test('a path outside the workspace is refused', async () => {
    const result = await callTool(host, 'read_file', { path: '../../etc/passwd' });
    assert.equal(result.ok, false);
    assert.match(result.output, /outside the workspace/);
  });
});

describe('list_files', () => {
  test('lists the root, folders marked, ignored entries and node_modules left out', async () => {
    const result = await callTool(host, 'list_files', {});
    assert.equal(
      result.output
        .split('\n')
        .filter((l) => !l.startsWith('big'))
        .join('\n'),
      ['.gitignore', 'README.md', 'bom.txt', 'crlf.txt', 'image.png', 'latin1.txt', 'long.txt', 'src/'].join('\n'),
    );
  });

  test('recursive listing honours nested .gitignore files', async () => {
    const result = await callTool(host, 'list_files', { path: 'src', recursive: true });
    assert.equal(result.output, 'src/app.ts\nsrc/util/.gitignore\nsrc/util/strings.ts');
  });

  test('long listings are capped and say how much was left out', async () => {
    const result = await callTool(host, 'list_files', { recursive: true }, { limits: { maxListEntries: 3 } });
    assert.equal(result.output.split('\n').length, 4);
    assert.match(result.output, /\[… \d+ more not shown; list a subfolder or use search\]/);
  });
});

async function searchCases(name: string, host: NodeHost) {
  describe(`search (${name})`, () => {
    test('finds text with smart case, skipping ignored files', async () => {
      const result = await callTool(host, 'search', { query: 'hello' });
      assert.equal(result.output, 'README.md:2: Say hello.\nsrc/util/strings.ts:1: export const greeting = "Hello";');
    });

    test('capitals make it case-sensitive; regex and glob narrow it', async () => {
      assert.equal((await callTool(host, 'search', { query: 'Say' })).output, 'README.md:2: Say hello.');
      assert.equal((await callTool(host, 'search', { query: 'a \\+ b', regex: true })).output, 'src/app.ts:2:   return a + b;');
      assert.equal((await callTool(host, 'search', { query: 'hello', glob: '*.md' })).output, 'README.md:2: Say hello.');
      assert.equal((await callTool(host, 'search', { query: 'return', path: 'src/app.ts' })).output, 'src/app.ts:2:   return a + b;');
    });

    test('no match, too many matches, and a bad regex', async () => {
      assert.equal((await callTool(host, 'search', { query: 'zebra' })).output, 'No matches.');
      const many = await callTool(host, 'search', { query: 'line', path: 'long.txt' }, { limits: { maxSearchMatches: 5 } });
      assert.equal(many.output.split('\n').length, 6);
      assert.match(many.output, /more than 5 matches/);
      const bad = await callTool(host, 'search', { query: '(unclosed', regex: true });
      assert.equal(bad.ok, false);
      assert.match(bad.output, /regular expression is not valid/);
    });
  });
}

void searchCases('built-in', new NodeHost(root, { ripgrep: null }));
const rg = process.env.PATH?.split(path.delimiter)
  .map((d) => path.join(d, 'rg'))
  .find((f) => fs.existsSync(f));
if (rg) void searchCases('ripgrep', new NodeHost(root, { ripgrep: rg }));
else test('search (ripgrep)', (t) => t.skip('rg is not on the PATH; .ci/run installs it'));

test('findRipgrep looks on the PATH', async () => {
  assert.equal(await findRipgrep(''), undefined);
  assert.equal(await findRipgrep(process.env.PATH), rg);
});

describe('review fixes', () => {
  test('search never reads through a symlink that leaves the workspace', async () => {
    const outside = makeWorkspace({ 'creds.txt': 'TOPSECRET=hunter2\n' });
    const ws = makeWorkspace({ 'src/a.txt': 'nothing here\n' });
    fs.symlinkSync(path.join(outside, 'creds.txt'), path.join(ws, 'src/link.txt'));
    try {
      const result = await callTool(new NodeHost(ws, { ripgrep: null }), 'search', { query: 'TOPSECRET' });
      assert.equal(result.output, 'No matches.');
    } finally {
      removeWorkspace(outside);
      removeWorkspace(ws);
    }
  });

  test('a binary file larger than the read limit is still named as binary', async () => {
    const ws = makeWorkspace({ 'big.bin': Buffer.concat([Buffer.from([0, 1, 2, 3]), Buffer.alloc(3 * 1024 * 1024, 7)]) });
    try {
      const result = await callTool(new NodeHost(ws), 'read_file', { path: 'big.bin' });
      assert.equal(result.ok, false);
      assert.match(result.output, /binary file/);
    } finally {
      removeWorkspace(ws);
    }
  });

  test('with reads set to ask and no one to ask, a read is denied and nothing is shown', async () => {
    const result = await callTool(host, 'read_file', { path: 'README.md' }, { policy: { read: 'ask', edit: 'ask', execute: 'ask' } });
    assert.equal(result.ok, false);
    assert.match(result.output, /no one can approve/);
    assert.doesNotMatch(result.output, /Say hello/);
  });
});

describe('ignore rules as git and ripgrep apply them', () => {
  const ws = makeWorkspace({
    '.gitignore': '*.log\nvendor/\n',
    'logs/.gitignore': '!keep.log\n',
    'logs/keep.log': 'needle\n',
    'logs/drop.log': 'needle\n',
    'vendor/.gitignore': '!lib.js\n',
    'vendor/lib.js': 'needle\n',
    '.ignore': 'notes.txt\n',
    '.rgignore': '!notes.txt\nscratch.txt\n',
    'notes.txt': 'needle\n',
    'scratch.txt': 'needle\n',
    'src/a.ts': 'needle\n',
  });
  after(() => removeWorkspace(ws));
  const expected = ['logs/keep.log', 'notes.txt', 'src/a.ts'];

  test('a deeper .gitignore re-includes (!keep.log), an ignored folder stays ignored, .ignore and .rgignore count (the later wins)', async () => {
    const listed = (await callTool(new NodeHost(ws), 'list_files', { recursive: true })).output.split('\n').filter((l) => !l.endsWith('ignore'));
    assert.deepEqual(listed, expected);
  });

  for (const [engine, ripgrep] of [
    ['built-in', null],
    ['ripgrep', rg],
  ] as const) {
    test(`search (${engine}) finds the same files`, { skip: ripgrep === undefined && 'rg is not on the PATH; .ci/run installs it' }, async () => {
      const found = (await callTool(new NodeHost(ws, { ripgrep: ripgrep ?? null }), 'search', { query: 'needle' })).output;
      assert.deepEqual([...new Set(found.split('\n').map((l) => l.split(':')[0]))].sort(), expected);
    });
  }
});

describe('search is bounded in time and stops with the task', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 1500; i++) files[`many/f${i}.txt`] = `line ${i}\nneedle ${i}\n`;
  const ws = makeWorkspace(files);
  after(() => removeWorkspace(ws));

  for (const [engine, ripgrep] of [
    ['built-in', null],
    ['ripgrep', rg],
  ] as const) {
    test(`(${engine}) past its time limit it returns what it found, marked as partial; after Stop it says so`, {
      skip: ripgrep === undefined && 'rg is not on the PATH; .ci/run installs it',
    }, async () => {
      const host = new NodeHost(ws, { ripgrep: ripgrep ?? null });
      const slow = await callTool(host, 'search', { query: 'needle' }, { limits: { searchTimeoutS: 0.001, maxSearchMatches: 5000 } });
      assert.equal(slow.ok, true);
      assert.match(slow.output, /The search stopped after 0\.001 s before it was through; narrow it with path or glob\./);
      const stopped = new AbortController();
      stopped.abort();
      const cancelled = await callTool(host, 'search', { query: 'needle' }, { signal: stopped.signal });
      assert.equal(cancelled.ok, false);
      assert.match(cancelled.output, /cancelled/);
    });
  }
});
