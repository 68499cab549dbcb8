/**
 * The webview's DOM-free parts: what it accepts from the extension, which links it may open, and
 * how it labels diffs and numbers. (Sanitising needs a DOM: see test/webview, run in Chromium.)
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { MAX_MESSAGE_CHARS } from '../../src/protocol/messages';
import { newTaskView } from '../../src/protocol/taskReducer';
import { diffLineClasses, formatCompact, toolIcon } from '../../src/webview/format';
import { parseIncoming } from '../../src/webview/incoming';
import { safeLinkTarget } from '../../src/webview/links';

let warnings: unknown[][] = [];
const originalWarn = console.warn;
beforeEach(() => {
  warnings = [];
  console.warn = (...args: unknown[]) => void warnings.push(args);
});
afterEach(() => {
  console.warn = originalWarn;
});

test('a full state with a task is accepted as sent', () => {
  const task = newTaskView('t1', 'Fix it', 50, 1);
  task.items.push({ kind: 'tool', id: 'c1', name: 'read_file', summary: 'a.ts', status: 'ok', output: 'x' });
  const msg = { type: 'state', task, history: [{ id: 't1', goal: 'Fix it', status: 'running', createdAt: 1 }], running: true };
  assert.deepEqual(parseIncoming(JSON.parse(JSON.stringify(msg))), msg);
  assert.equal(warnings.length, 0);
});

test('a state without a task (undefined dropped by JSON, or null) means the start screen', () => {
  for (const msg of [
    { type: 'state', history: [], running: false },
    { type: 'state', task: null, history: [], running: false },
  ]) {
    const parsed = parseIncoming(msg);
    assert.equal(parsed?.type, 'state');
    assert.equal(parsed.type === 'state' ? parsed.task : 'not a state', undefined);
  }
});

test('events are checked in full, not only their type', () => {
  assert.deepEqual(parseIncoming({ type: 'event', taskId: 't1', event: { type: 'message_delta', text: 'hi' } }), {
    type: 'event',
    taskId: 't1',
    event: { type: 'message_delta', text: 'hi' },
  });
  for (const event of [{ type: 'message_delta' }, { type: 'message_delta', text: 5 }, { type: 'unknown' }, { type: 'done', status: 'running', summary: '' }]) {
    assert.equal(parseIncoming({ type: 'event', taskId: 't1', event }), undefined, JSON.stringify(event));
  }
  assert.equal(warnings.length, 4);
});

test('unknown, malformed and oversized messages are dropped with a warning', () => {
  const task = newTaskView('t1', 'g', 50, 1);
  const bad: unknown[] = [
    { type: 'nope' },
    { type: 'history' },
    { type: 'state', task: { ...task, items: [{ kind: 'message', text: 'x' }] }, history: [], running: false },
    { type: 'state', task: { ...task, status: 'exploded' }, history: [], running: false },
    { type: 'state', task: { ...task, items: [{ kind: 'message', text: 'x'.repeat(MAX_MESSAGE_CHARS), streaming: false }] }, history: [], running: false },
    'text',
    undefined,
  ];
  for (const m of bad) assert.equal(parseIncoming(m), undefined);
  assert.equal(warnings.length, bad.length);
});

test('only http(s) and mailto links may be opened', () => {
  assert.equal(safeLinkTarget(' https://example.com/a?b=1 '), 'https://example.com/a?b=1');
  assert.equal(safeLinkTarget('http://127.0.0.1:3000'), 'http://127.0.0.1:3000');
  assert.equal(safeLinkTarget('mailto:a@example.com'), 'mailto:a@example.com');
  for (const href of [
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,x',
    'vbscript:x',
    'file:///etc/passwd',
    'command:workbench.action.terminal.new',
    'vscode://x',
    '//evil.example',
    '/relative',
    'https:evil',
    'https://a\nb',
  ]) {
    assert.equal(safeLinkTarget(href), undefined, href);
  }
});

test('diff lines are classed by kind, headers only before the first hunk', () => {
  const lines = ['--- a/x.sql', '+++ b/x.sql', '@@ -1,2 +1,2 @@', ' keep', '-- old comment', '+-- new comment', '--- removed line that looks like a header'];
  assert.deepEqual(diffLineClasses(lines), ['diff-file', 'diff-file', 'diff-hunk', 'diff-ctx', 'diff-del', 'diff-add', 'diff-del']);
});

test('token counts are short in the header', () => {
  assert.deepEqual([0, 999, 1_234, 18_432, 2_500_000].map(formatCompact), ['0', '999', '1.2k', '18k', '2.5M']);
});

test('browser code imports only itself, src/protocol and npm packages', () => {
  const dir = path.resolve(__dirname, '../../src/webview');
  const offenders = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) =>
      [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)]
        .map((m) => m[1]!)
        .filter((spec) => spec === 'vscode' || spec.startsWith('node:') || (spec.startsWith('..') && !spec.startsWith('../protocol/')))
        .map((spec) => `${f}: ${spec}`),
    );
  assert.deepEqual(offenders, []);
});

test('a tool name from the model picks an icon by own keys only', () => {
  assert.equal(toolIcon('read_file'), 'file');
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) assert.equal(toolIcon(name), 'tools', name);
});
