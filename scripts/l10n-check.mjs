// The interface's words stay translatable (part of `npm run lint`):
//  1. l10n/bundle.l10n.json is what @vscode/l10n-dev exports from the sources now;
//  2. every phrase in it, and every key of package.nls.json, has a zh-cn entry (none extra), with
//     the same {0} placeholders;
//  3. every user-visible manifest field is a %key%;
//  4. in the translated parts of the code (TRANSLATED below), no user-visible English literal is
//     left outside l10n.t(): prose (two or more words with a capital or punctuation) anywhere, and
//     any word in a label position (text, label, title, placeholder, aria-label). A line may opt
//     out with `// l10n-ignore: reason` on it or above it, a file of text meant for the model with
//     `// l10n-ignore-file: reason`; the other parts are counted as still to translate.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import treeSitter from '@vscode/tree-sitter-wasm';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TRANSLATED = ['src/webview', 'src/cli', 'src/action', 'src/action.ts', 'src/protocol', 'src/vscode', 'src/core', 'src/extension.ts'];
const PENDING = [];
const LABELS = new Set(['text', 'label', 'title', 'placeholder', 'aria-label', 'ariaLabel']);
const problems = [];
const read = (p) => JSON.parse(fs.readFileSync(path.join(repo, p), 'utf8'));
const placeholders = (s) =>
  [...s.matchAll(/\{(\d+)\}/g)]
    .map((m) => m[1])
    .sort()
    .join(',');

// 1. The English bundle is current.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-l10n-'));
execFileSync(process.execPath, [path.join(repo, 'node_modules/@vscode/l10n-dev/dist/cli.js'), 'export', '-o', tmp, path.join(repo, 'src')], {
  stdio: 'ignore',
});
const exported = JSON.parse(fs.readFileSync(path.join(tmp, 'bundle.l10n.json'), 'utf8'));
fs.rmSync(tmp, { recursive: true, force: true });
const english = read('l10n/bundle.l10n.json');
if (JSON.stringify(exported) !== JSON.stringify(english)) problems.push('l10n/bundle.l10n.json is out of date: run `npm run l10n`.');

// 2. Every phrase has its Chinese, with the same placeholders.
function sameKeys(en, zh, what) {
  for (const key of Object.keys(en)) {
    const text = typeof en[key] === 'string' ? en[key] : en[key].message;
    if (!(key in zh) || !String(zh[key]).trim()) problems.push(`${what}: no zh-cn entry for ${JSON.stringify(key)}`);
    else if (placeholders(text) !== placeholders(String(zh[key]))) problems.push(`${what}: placeholders differ for ${JSON.stringify(key)}`);
  }
  for (const key of Object.keys(zh)) if (!(key in en)) problems.push(`${what}: zh-cn has ${JSON.stringify(key)}, which English no longer has`);
}
sameKeys(english, read('l10n/bundle.l10n.zh-cn.json'), 'l10n bundle');
const nls = read('package.nls.json');
sameKeys(nls, read('package.nls.zh-cn.json'), 'package.nls');

// 3. The manifest's words are all keys.
const manifest = read('package.json');
(function walk(node, at) {
  if (typeof node === 'string') {
    const key = /^%(.+)%$/.exec(node)?.[1];
    if (key && !(key in nls)) problems.push(`package.json ${at}: %${key}% is not in package.nls.json`);
    const visible = /\.(title|description|markdownDescription|name|patternErrorMessage|enumDescriptions\.\d+|altText)$/.test(at);
    if (visible && !key && node !== 'Stepwise') problems.push(`package.json ${at}: "${node.slice(0, 60)}" is not a %key%`);
  } else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, `${at}.${k}`);
})({ contributes: manifest.contributes, description: manifest.description }, '');

// 4. No English left outside l10n.t() in the translated parts.
const { Language, Parser } = treeSitter;
const wasm = path.join(repo, 'node_modules/@vscode/tree-sitter-wasm/wasm');
await Parser.init({ locateFile: (file) => path.join(wasm, file) });
const parser = new Parser();
parser.setLanguage(await Language.load(path.join(wasm, 'tree-sitter-typescript.wasm')));

function files(rel) {
  const full = path.join(repo, rel);
  if (fs.statSync(full).isFile()) return [full];
  return fs
    .readdirSync(full, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(rel, e.name)) : e.name.endsWith('.ts') ? [path.join(full, e.name)] : []));
}

const isProse = (text) => {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => /[A-Za-z]{2,}/.test(w));
  if (words.length < 2) return false;
  if (words.every((w) => /^[a-z][a-z0-9-]*$/.test(w))) return /[a-z]{3,} [a-z]{3,}/.test(text) && !text.includes('-');
  return /[A-Z]/.test(text) || /[.,;:?!…'’]/.test(text);
};

/** Whether a literal is inside l10n.t(…), a console call, an import, a `case`, a comparison or a property key. */
function exempt(node) {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'call_expression') {
      const callee = n.childForFieldName('function')?.text ?? '';
      if (/(^|\.)l10n\.t$/.test(callee) || /^console\./.test(callee) || callee === 'require') return true;
    }
    if (
      ['import_statement', 'export_statement', 'switch_case', 'type_annotation', 'literal_type', 'predefined_type'].includes(n.type) &&
      n.type !== 'export_statement'
    )
      return true;
    if (n.type === 'binary_expression' && /^(===|!==|==|!=)$/.test(n.childForFieldName('operator')?.text ?? '')) return true;
    if (n.type === 'pair' && n.childForFieldName('key')?.startIndex === node.startIndex) return true;
    // Class names and data attributes are not words for people.
    if (n.type === 'pair' && /^['"]?(class|className|data-[\w-]+|role)['"]?$/.test(n.childForFieldName('key')?.text ?? '')) return true;
    if (n.type === 'statement_block' || n.type === 'program') break;
  }
  return false;
}

function labelPosition(node) {
  const pair = node.parent?.type === 'pair' ? node.parent : undefined;
  const key = pair?.childForFieldName('key')?.text.replace(/['"]/g, '');
  return key !== undefined && LABELS.has(key) && pair.childForFieldName('value')?.startIndex === node.startIndex;
}

function scan(file) {
  const source = fs.readFileSync(file, 'utf8');
  // A whole file of text for the model (prompts, tool descriptions and results) stays English.
  if (/^\/\/ l10n-ignore-file: \S/m.test(source)) return [];
  const lines = source.split('\n');
  const found = [];
  const visit = (node) => {
    if (node.type === 'string' || node.type === 'template_string') {
      const text = node.children
        .filter((c) => c.type === 'string_fragment')
        .map((c) => c.text)
        .join(' ');
      const ignored = /l10n-ignore/.test(lines[node.startPosition.row] ?? '') || /l10n-ignore/.test(lines[node.startPosition.row - 1] ?? '');
      const visible = isProse(text) || (labelPosition(node) && /[A-Za-z]{2,}/.test(text) && text !== 'Stepwise');
      if (visible && !ignored && !exempt(node)) found.push(`${path.relative(repo, file)}:${node.startPosition.row + 1}: ${node.text.slice(0, 90)}`);
      return;
    }
    if (node.type === 'comment') return;
    for (const child of node.children) visit(child);
  };
  visit(parser.parse(source).rootNode);
  return found;
}

for (const dir of TRANSLATED) for (const file of files(dir)) problems.push(...scan(file).map((f) => `not translatable: ${f}`));
const pending = PENDING.flatMap((dir) => files(dir).flatMap(scan));
if (process.argv.includes('--pending')) for (const p of pending) console.log(`pending: ${p}`);

if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(`l10n-check: ${problems.length} problem(s).`);
  process.exit(1);
}
const left = PENDING.length ? `; ${pending.length} literals in ${PENDING.join(', ')} still to translate (--pending lists them)` : '';
console.log(
  `l10n-check: ${Object.keys(english).length} phrases and ${Object.keys(nls).length} manifest keys, all in zh-cn; ${TRANSLATED.join(', ')} have no English left outside l10n.t()${left}.`,
);
