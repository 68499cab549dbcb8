/**
 * The .vsix holds every file the extension's bundles load at run time (a file left out of
 * .vscodeignore works in a checkout and fails for every installed user), and no source maps; its
 * manifest has what the Marketplace shows and where the extension runs.
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
  assert.ok(
    ['runtime.js', 'pdf.js', 'embedded.js', 'tree-sitter-bash.wasm'].every((f) => named.includes(f)),
    named.join(', '),
  );
  for (const file of named) assert.ok(shipped.has(`dist/${file}`), `dist/${file} is loaded by the extension but not in the .vsix`);
  assert.deepEqual(
    [...shipped].filter((f) => f.endsWith('.map') || f.startsWith('src/')),
    [],
  );
});

test('the manifest: a 128×128 PNG icon that ships, a banner, Marketplace categories, and it runs where the files are', async () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  // Remote SSH, containers, WSL, Codespaces: the extension host beside the workspace, never the UI side.
  assert.deepEqual(manifest.extensionKind, ['workspace']);
  const png = fs.readFileSync(path.join(root, manifest.icon));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'IHDR width and height');
  assert.match(manifest.galleryBanner.color, /^#[0-9a-f]{6}$/i);
  assert.ok(['dark', 'light'].includes(manifest.galleryBanner.theme));
  const known = [
    'AI',
    'Chat',
    'Programming Languages',
    'Snippets',
    'Linters',
    'Themes',
    'Debuggers',
    'Formatters',
    'Keymaps',
    'SCM Providers',
    'Other',
    'Extension Packs',
    'Language Packs',
    'Data Science',
    'Machine Learning',
    'Visualization',
    'Notebooks',
    'Education',
    'Testing',
  ];
  for (const category of manifest.categories) assert.ok(known.includes(category), category);
  assert.ok(manifest.keywords.length <= 30, 'the Marketplace takes at most 30 keywords');
  const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
  const { stdout } = await promisify(execFile)(vsce, ['ls', '--no-dependencies'], { cwd: root, maxBuffer: 8 * 1024 * 1024 });
  const shipped = stdout.split('\n').map((l) => l.trim());
  assert.ok(shipped.includes(manifest.icon), `${manifest.icon} ships`);
  assert.ok(!shipped.some((f) => f.endsWith('.svg') && f.includes('icon')), "the icon's source does not");
  assert.ok(fs.existsSync(path.join(root, 'SECURITY.md')));
});

test("the README's screenshots: each a PNG in the repository, light and dark, the dark one at the repository's address; none in the .vsix", async () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const raw = `${manifest.repository.url}/raw/HEAD/`;
  const pictures = [...readme.matchAll(/<picture>\s*<source media="\(prefers-color-scheme: dark\)" srcset="([^"]+)">\s*<img src="([^"]+)" alt="([^"]+)"/g)];
  assert.deepEqual(
    pictures.map((p) => p[2]),
    ['docs/screenshots/panel-light.png', 'docs/screenshots/approval-light.png', 'docs/screenshots/inline-review-light.png'],
  );
  for (const [, dark, light] of pictures) {
    // vsce makes the <img> absolute for the Marketplace but leaves srcset as written.
    assert.equal(dark, `${raw}${light!.replace('-light.png', '-dark.png')}`);
    for (const file of [light!, dark!.slice(raw.length)]) {
      const png = fs.readFileSync(path.join(root, file));
      assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', file);
      assert.ok(png.readUInt32BE(16) >= 1000, `${file} is a full window`);
    }
    assert.ok(!fs.readFileSync(path.join(root, light!)).equals(fs.readFileSync(path.join(root, dark!.slice(raw.length)))), `${light}: two themes, two shots`);
  }
  const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
  const { stdout } = await promisify(execFile)(vsce, ['ls', '--no-dependencies'], { cwd: root, maxBuffer: 8 * 1024 * 1024 });
  assert.equal(stdout.includes('docs/'), false, 'the screenshots stay out of the .vsix');
});
