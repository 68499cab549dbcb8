/** The process runner's output and the command lines built for each platform's shell. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runProcess, windowsKillArgs } from '../../src/core/host/processRunner';
import { quoteForShell } from '../../src/core/host/taskCommandLines';
import { makeWorkspace, removeWorkspace } from '../support/workspace';

const limits = { headChars: 10_000, tailChars: 10_000 };

test('a character split across two output chunks is decoded whole (stdout and stderr each)', {
  skip: process.platform === 'win32' && 'uses printf in sh',
}, async () => {
  const root = makeWorkspace({});
  try {
    const chunks: string[] = [];
    // é is C3 A9: the two bytes arrive in separate writes, with a pause between them.
    const result = await runProcess(
      { command: "printf '\\303'; sleep 0.2; printf '\\251 ok\\n'; printf '\\342\\202' >&2; sleep 0.2; printf '\\254\\n' >&2", shell: true, cwd: root },
      { timeoutMs: 10_000, signal: new AbortController().signal, onOutput: (c) => chunks.push(c) },
      limits,
    );
    assert.equal(result.exitCode, 0);
    assert.match(result.output, /é ok/);
    assert.match(result.output, /€/);
    assert.doesNotMatch(chunks.join(''), /\ufffd/, 'no replacement character reached the UI');
  } finally {
    removeWorkspace(root);
  }
});

test('command lines for cmd.exe on Windows (untested there: the strings are checked here)', () => {
  assert.deepEqual(windowsKillArgs(4242), ['/PID', '4242', '/T', '/F']);
  assert.equal(quoteForShell('build', 'win32'), 'build');
  assert.equal(quoteForShell('C:\\src\\app.ts', 'win32'), 'C:\\src\\app.ts');
  assert.equal(quoteForShell('a b', 'win32'), '"a b"');
  assert.equal(quoteForShell('say "hi" & del x', 'win32'), '"say ""hi"" & del x"');
  assert.equal(quoteForShell('%PATH%', 'win32'), '""^%"PATH"^%""');
  assert.equal(quoteForShell("it's", 'linux'), "'it'\\''s'");
});
