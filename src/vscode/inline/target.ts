/**
 * What an inline request is about: the selected lines, or with no selection the enclosing
 * function (from the language's document symbols) or else the current line. Files Stepwise must
 * not change (untitled, virtual, read-only, outside the workspace) get a clear refusal.
 */
import * as fs from 'node:fs';
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { WorkspaceRoots } from '../workspaceRoots';

export interface InlineTarget {
  document: vscode.TextDocument;
  /** Whole lines: from the start of the first to the end of the last. */
  range: vscode.Range;
  /** "the selection", "function parse", "line 12" (English: the model reads it). */
  what: string;
  /** Workspace-relative path, as the model sees it. */
  display: string;
  /** The file's real path, to recognise it whatever name a tool call uses. */
  realPath: string;
}

export type TargetResult = { ok: true; target: InlineTarget } | { ok: false; message: string };

const FUNCTION_KINDS = new Set([vscode.SymbolKind.Function, vscode.SymbolKind.Method, vscode.SymbolKind.Constructor]);
/** The symbol provider is a convenience: a slow or absent language server must not hold the request up. */
const SYMBOLS_TIMEOUT_MS = 1500;

export async function resolveTarget(document: vscode.TextDocument, selection: vscode.Range, roots: WorkspaceRoots): Promise<TargetResult> {
  if (document.isUntitled) return { ok: false, message: l10n.t('This untitled file is not saved yet. Save it in your workspace folder, then ask again.') };
  if (document.uri.scheme === 'vscode-notebook-cell')
    return { ok: false, message: l10n.t('Notebook cells are not supported yet; Stepwise changes text files in your workspace.') };
  if (document.uri.scheme !== 'file')
    return { ok: false, message: l10n.t('{0}: documents are read-only views; Stepwise only changes files in your workspace.', document.uri.scheme) };
  const shown = roots.displayOf(document.uri);
  if (shown === undefined)
    return { ok: false, message: l10n.t('{0} is outside the workspace. Stepwise only changes files in the open folders.', document.uri.fsPath) };
  let resolved;
  try {
    resolved = await roots.resolve(shown);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  const realPath = resolved.uri.fsPath;
  if (realPath !== (await realpath(document.uri.fsPath))) {
    return {
      ok: false,
      message: l10n.t('{0} names another file in this multi-root workspace; rename the folder that shadows it, or open the file from its own folder.', shown),
    };
  }
  const display = resolved.display;
  if (await isReadOnly(document.uri)) return { ok: false, message: l10n.t('{0} is read-only. Make it writable, then ask again.', display) };

  if (!selection.isEmpty) {
    const end = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
    // l10n-ignore: read by the model (inlineGoal)
    return { ok: true, target: { document, range: wholeLines(document, selection.start.line, end), what: 'the selection', display, realPath } };
  }
  const fn = await enclosingFunction(document, selection.start);
  if (fn)
    return {
      ok: true,
      target: { document, range: wholeLines(document, fn.range.start.line, fn.range.end.line), what: `function ${fn.name}`, display, realPath },
    };
  const line = selection.start.line;
  return { ok: true, target: { document, range: wholeLines(document, line, line), what: `line ${line + 1}`, display, realPath } };
}

function wholeLines(document: vscode.TextDocument, first: number, last: number): vscode.Range {
  return new vscode.Range(first, 0, last, document.lineAt(last).text.length);
}

async function realpath(file: string): Promise<string> {
  return fs.promises.realpath(file).catch(() => file);
}

async function isReadOnly(uri: vscode.Uri): Promise<boolean> {
  if (vscode.workspace.fs.isWritableFileSystem(uri.scheme) === false) return true;
  const stat = await vscode.workspace.fs.stat(uri).then(
    (s) => s,
    () => undefined,
  );
  if (stat?.permissions !== undefined && (stat.permissions & vscode.FilePermission.Readonly) !== 0) return true;
  try {
    // The permission bits, not access(): running as root must not make a locked file fair game.
    if ((fs.statSync(uri.fsPath).mode & 0o222) === 0) return true;
    fs.accessSync(uri.fsPath, fs.constants.W_OK);
    return false;
  } catch (error) {
    // A file not on disk yet is writable; anything else (EACCES, EROFS) is not.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

async function enclosingFunction(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.DocumentSymbol | undefined> {
  const symbols = await Promise.race([
    Promise.resolve(
      vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>('vscode.executeDocumentSymbolProvider', document.uri),
    ).catch(() => undefined),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), SYMBOLS_TIMEOUT_MS)),
  ]);
  let best: vscode.DocumentSymbol | undefined;
  const visit = (list: readonly vscode.DocumentSymbol[]) => {
    for (const symbol of list) {
      if (!symbol.range?.contains(position)) continue;
      if (FUNCTION_KINDS.has(symbol.kind)) best = symbol;
      visit(symbol.children ?? []);
    }
  };
  visit((symbols ?? []).filter((s): s is vscode.DocumentSymbol => 'children' in s));
  return best;
}
