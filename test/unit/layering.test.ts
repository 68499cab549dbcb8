import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const src = path.resolve(__dirname, '../../src');

function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full) : /\.tsx?$/.test(e.name) ? [full] : [];
  });
}

test('src/core, src/protocol and src/webview never import vscode', () => {
  const offenders = ['core', 'protocol', 'webview']
    .flatMap((d) => files(path.join(src, d)))
    .filter((f) => /from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\)/.test(fs.readFileSync(f, 'utf8')));
  assert.deepEqual(
    offenders.map((f) => path.relative(src, f)),
    [],
  );
});

test('src/core never reaches into src/vscode or the CLI', () => {
  const offenders = files(path.join(src, 'core')).filter((f) => /from\s+['"][./]*\/(vscode|cli)\//.test(fs.readFileSync(f, 'utf8')));
  assert.deepEqual(
    offenders.map((f) => path.relative(src, f)),
    [],
  );
});
