import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyHunks, lineHunks, splitKeepingEndings } from '../../src/core/review/hunks';

test('splitting keeps every byte, including a missing final newline and CRLF', () => {
  for (const text of ['', 'a', 'a\n', 'a\r\nb\r\n', 'a\nb', '\n\n', '\uFEFFx\r\ny']) {
    assert.equal(splitKeepingEndings(text).join(''), text);
  }
});

test('hunks: a replacement, an insertion and a deletion, each on its own', () => {
  const before = 'one\ntwo\nthree\nfour\nfive\nsix\n';
  const after = 'one\nTWO\nthree\nfour\ninserted\nfive\n';
  const hunks = lineHunks(before, after);
  assert.deepEqual(hunks, [
    { start: 1, removed: ['two\n'], added: ['TWO\n'] },
    { start: 4, removed: [], added: ['inserted\n'] },
    { start: 5, removed: ['six\n'], added: [] },
  ]);
  assert.equal(applyHunks(before, hunks, [true, true, true]), after);
  assert.equal(applyHunks(before, hunks, [false, false, false]), before);
  assert.equal(applyHunks(before, hunks, [true, false, false]), 'one\nTWO\nthree\nfour\nfive\nsix\n');
  assert.equal(applyHunks(before, hunks, [false, true, true]), 'one\ntwo\nthree\nfour\ninserted\nfive\n');
});

test('every subset of hunks rebuilds exactly, with CRLF endings and no final newline', () => {
  const before = 'a\r\nb\r\nc\r\nd\r\ne';
  const after = 'a\r\nB\r\nc\r\nd\r\nE\r\nf';
  const hunks = lineHunks(before, after);
  assert.equal(hunks.length, 2);
  assert.equal(applyHunks(before, hunks, [true, true]), after);
  assert.equal(applyHunks(before, hunks, [false, false]), before);
  assert.equal(applyHunks(before, hunks, [true, false]), 'a\r\nB\r\nc\r\nd\r\ne');
  assert.equal(applyHunks(before, hunks, [false, true]), 'a\r\nb\r\nc\r\nd\r\nE\r\nf');
});

test('a new file and an emptied file are one hunk each', () => {
  assert.deepEqual(lineHunks('', 'x\ny\n'), [{ start: 0, removed: [], added: ['x\n', 'y\n'] }]);
  assert.deepEqual(lineHunks('x\n', ''), [{ start: 0, removed: ['x\n'], added: [] }]);
  assert.deepEqual(lineHunks('same\n', 'same\n'), []);
});

test('an edit approved in part writes what the user kept and tells the model what was rejected', async () => {
  const { makeWorkspace, read, removeWorkspace } = await import('../support/workspace');
  const { NodeHost } = await import('../../src/core/host/nodeHost');
  const { callTool } = await import('../support/callTool');
  const { policyFromLevel } = await import('../../src/core/approval');
  const root = makeWorkspace({ 'a.txt': 'one\ntwo\nthree\nfour\n' });
  try {
    const result = await callTool(
      new NodeHost(root),
      'edit_file',
      {
        path: 'a.txt',
        edits: [
          { search: 'one', replace: 'ONE' },
          { search: 'four', replace: 'FOUR' },
        ],
      },
      {
        policy: policyFromLevel('reads'),
        approver: async (request) => {
          const hunks = lineHunks('one\ntwo\nthree\nfour\n', request.proposedContent!);
          return { decision: 'approve', revisedContent: applyHunks('one\ntwo\nthree\nfour\n', hunks, [true, false]) };
        },
      },
    );
    assert.equal(result.ok, true, result.output);
    assert.equal(read(root, 'a.txt'), 'ONE\ntwo\nthree\nfour\n');
    assert.match(result.output, /accepted only part of this change/);
    assert.match(result.output, /-FOUR\n\+four/);
  } finally {
    removeWorkspace(root);
  }
});

test('the inline goal carries the request, the code, the problems in range and the scope', async () => {
  const { inlineGoal, inlineTitle } = await import('../../src/core/agent/inlineGoal');
  const task = {
    request: 'handle empty input',
    path: 'src/math.ts',
    startLine: 3,
    endLine: 5,
    what: 'function sum',
    code: 'function sum(xs) {\n  return xs.reduce((a, b) => a + b);\n}\n',
    languageId: 'typescript',
    problems: [{ line: 4, severity: 'error' as const, message: 'Reduce of empty array', source: 'ts' }],
  };
  const goal = inlineGoal(task);
  assert.match(goal, /^handle empty input\n/);
  assert.match(goal, /function sum in src\/math\.ts \(lines 3-5\)/);
  assert.match(goal, /```typescript\nfunction sum\(xs\) \{\n  return xs\.reduce\(\(a, b\) => a \+ b\);\n\}\n```/);
  assert.match(goal, /- line 4 error \(ts\): Reduce of empty array/);
  assert.match(goal, /Change src\/math\.ts only/);
  assert.equal(inlineTitle(task), 'src/math.ts:3-5: handle empty input');
  const huge = inlineGoal({ ...task, code: 'x'.repeat(20_000), problems: [] });
  assert.ok(huge.length < 13_000);
  assert.match(huge, /read_file src\/math\.ts for the rest/);
  assert.doesNotMatch(huge, /Problems reported/);
  assert.doesNotMatch(goal, /exact text selected/);
  assert.match(inlineGoal({ ...task, request: 'rename this', selectedText: 'xs' }), /The exact text selected in it: "xs"/);
});
