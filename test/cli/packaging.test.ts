/**
 * The .vsix holds every file the extension's bundles load at run time (a file left out of
 * .vscodeignore works in a checkout and fails for every installed user), and no source maps.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const root = path.join(__dirname, '..', '..');

test('vsce ls lists each dist/ file the extension bundles name, and no maps', async () => {
  const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
  const { stdout } = await promisify(execFile)(vsce, ['ls', '--no-dependencies'], { cwd: root, maxBuffer: 8 * 1024 * 1024 });
  const shipped = new Set(stdout.split('\n').map((l) => l.trim()));
  const bundles = ['extension.js', 'runtime.js'].map((f) => fs.readFileSync(path.join(root, 'dist', f), 'utf8'));
  const named = fs
    .readdirSync(path.join(root, 'dist'))
    .filter((f) => !f.endsWith('.map') && bundles.some((b) => b.includes(`"${f}"`) || b.includes(`"./${f}"`)));
  assert.ok(named.includes('runtime.js') && named.includes('pdf.js') && named.includes('tree-sitter-bash.wasm'), named.join(', '));
  for (const file of named) assert.ok(shipped.has(`dist/${file}`), `dist/${file} is loaded by the extension but not in the .vsix`);
  assert.deepEqual(
    [...shipped].filter((f) => f.endsWith('.map') || f.startsWith('src/')),
    [],
  );
});
