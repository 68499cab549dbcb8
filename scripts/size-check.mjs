// Keeps the code in pieces a reader can hold: no source file over 300 lines, no function over 60
// (functions found by tree-sitter's TypeScript grammar, nested ones counted on their own too).
// `--top N` lists the N longest functions instead of checking.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import treeSitter from '@vscode/tree-sitter-wasm';

const { Language, Parser } = treeSitter;

const MAX_FILE = 300;
const MAX_FUNCTION = 60;
const FUNCTIONS = new Set(['function_declaration', 'generator_function_declaration', 'method_definition', 'arrow_function', 'function_expression']);

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wasm = path.join(repo, 'node_modules/@vscode/tree-sitter-wasm/wasm');
await Parser.init({ locateFile: (file) => path.join(wasm, file) });
const parsers = {};
for (const [ext, grammar] of [
  ['.ts', 'tree-sitter-typescript.wasm'],
  ['.tsx', 'tree-sitter-tsx.wasm'],
]) {
  parsers[ext] = new Parser();
  parsers[ext].setLanguage(await Language.load(path.join(wasm, grammar)));
}

function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** A function's name as a reader would look for it: its own, its variable's, its property's or its method's. */
function nameOf(node) {
  const own = node.childForFieldName('name');
  if (own) return own.text;
  const parent = node.parent;
  const named = parent && (parent.childForFieldName('name') ?? parent.childForFieldName('key') ?? parent.childForFieldName('left'));
  return named ? named.text : `<${node.type}>`;
}

const functions = [];
const files = [];
for (const file of sourceFiles(path.join(repo, 'src'))) {
  const text = fs.readFileSync(file, 'utf8');
  const rel = path.relative(repo, file);
  files.push({ rel, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) });
  const tree = parsers[path.extname(file)].parse(text);
  const stack = [tree.rootNode];
  while (stack.length) {
    const node = stack.pop();
    if (FUNCTIONS.has(node.type)) {
      functions.push({ where: `${rel}:${node.startPosition.row + 1}`, name: nameOf(node), lines: node.endPosition.row - node.startPosition.row + 1 });
    }
    for (let i = node.namedChildCount - 1; i >= 0; i--) stack.push(node.namedChild(i));
  }
  tree.delete();
}
functions.sort((a, b) => b.lines - a.lines);

const top = process.argv.indexOf('--top');
if (top >= 0) {
  for (const f of functions.slice(0, Number(process.argv[top + 1] ?? 20))) console.log(`${f.lines}\t${f.where} ${f.name}`);
  process.exit(0);
}
const longFiles = files.filter((f) => f.lines > MAX_FILE);
const longFunctions = functions.filter((f) => f.lines > MAX_FUNCTION);
for (const f of longFiles) console.error(`${f.rel}: ${f.lines} lines (at most ${MAX_FILE}): split it by what its parts hold.`);
for (const f of longFunctions) console.error(`${f.where} ${f.name}: ${f.lines} lines (at most ${MAX_FUNCTION}): split it into named steps.`);
if (longFiles.length || longFunctions.length) process.exit(1);
console.log(
  `size-check: ${files.length} files (longest ${Math.max(...files.map((f) => f.lines))} lines), ${functions.length} functions (longest ${functions[0]?.lines ?? 0} lines)`,
);
