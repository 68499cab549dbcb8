/**
 * The bash grammar, loaded once and only when a command is first checked. Runtime and grammar come
 * from the same package (@vscode/tree-sitter-wasm, what VS Code itself ships), so their ABI
 * versions match. The bundles carry both `.wasm` files next to them (scripts/build.mjs); from
 * source, they are found in the package.
 */
// l10n-ignore-file: its error becomes a command-check reason, also given to the model
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Tree } from '@vscode/tree-sitter-wasm';

const RUNTIME_WASM = 'tree-sitter.wasm';
const BASH_WASM = 'tree-sitter-bash.wasm';

export interface ShellParser {
  parse(text: string): Tree;
}

let loading: Promise<ShellParser> | undefined;

/** The parser, loaded on first use; a failed load is tried again next time. */
export function loadShellParser(): Promise<ShellParser> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(): Promise<ShellParser> {
  const dir = wasmFolder();
  await Parser.init({ locateFile: (file) => path.join(dir, file) });
  const bash = await Language.load(path.join(dir, BASH_WASM));
  const parser = new Parser();
  parser.setLanguage(bash);
  return {
    parse(text) {
      const tree = parser.parse(text);
      if (!tree) throw new Error('The shell parser returned no tree.');
      return tree;
    },
  };
}

function wasmFolder(): string {
  // Bundled: dist/ holds the files. From source (tests, tsx): the package does.
  if (fs.existsSync(path.join(__dirname, BASH_WASM))) return __dirname;
  return path.dirname(require.resolve('@vscode/tree-sitter-wasm/wasm/' + RUNTIME_WASM));
}
