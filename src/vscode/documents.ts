/**
 * Files through the editor: reads see what the user sees (an open, unsaved buffer included);
 * each write is one WorkspaceEdit (one Ctrl+Z), refused when the text changed since it was read.
 * A document that was dirty before the agent touched it is never saved; a clean one is saved.
 */
// l10n-ignore-file: its errors are tool results, read by the model
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { HostError, StaleFileError, type ReadOutcome } from '../core/host/host';
import { contentVersion, decodeUtf8, looksBinary, readHead } from '../core/host/nodeHost';
import { openRegularFile, readRegularFile } from '../core/host/safeFiles';
import type { WorkspacePath } from './workspaceRoots';

/** The same version the CLI gives the file's bytes (src/core/host/nodeHost.ts). */
export const textVersion = (text: string): string => contentVersion(text);

function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
}

/**
 * A clean open document whose file changed on disk (a formatter, git) before VS Code reloaded it:
 * its buffer is stale. Returns the disk text in that case.
 */
async function newerOnDisk(document: vscode.TextDocument, target: WorkspacePath): Promise<string | undefined> {
  if (document.isDirty) return undefined;
  // A regular file only: something swapped in under the open document (a FIFO) must not hang the read.
  const bytes = await readRegularFile(target.root, target.real, target.display).catch(() => undefined);
  const disk = bytes && decodeUtf8(bytes)?.replace(/^\uFEFF/, '');
  if (disk === undefined) return undefined;
  // VS Code gives a file with mixed or lone-CR line endings one ending when it opens it: the same
  // text with other endings is what the editor holds, not a newer file.
  const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  return disk.replace(/\r\n|\r|\n/g, eol) !== document.getText() ? disk : undefined;
}

export async function readThroughEditor(target: WorkspacePath, maxBytes: number): Promise<ReadOutcome> {
  const open = openDocument(target.uri);
  if (open) {
    const text = (await newerOnDisk(open, target)) ?? open.getText();
    return { kind: 'text', path: target.display, text, version: textVersion(text) };
  }
  // Only regular files (a FIFO would hang the read), checked through what was really opened.
  const handle = await openRegularFile(target.root, target.real, target.display);
  let bytes: Buffer;
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) {
      const binary = looksBinary(await readHead(handle));
      return { kind: binary ? 'binary' : 'too_large', path: target.display, size };
    }
    bytes = await handle.readFile();
  } finally {
    await handle.close();
  }
  if (looksBinary(bytes)) return { kind: 'binary', path: target.display, size: bytes.length };
  if (decodeUtf8(bytes) === undefined) return { kind: 'not_utf8', path: target.display, size: bytes.length };
  const document = await vscode.workspace.openTextDocument(target.uri);
  const text = document.getText();
  return { kind: 'text', path: target.display, text, version: textVersion(text) };
}

/** The smallest range that turns `before` into `after`: undo and the user's cursor stay sensible. */
function changedRange(document: vscode.TextDocument, before: string, after: string): { range: vscode.Range; text: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  // Never split a CRLF pair or a surrogate pair.
  while (start > 0 && /[\r\uD800-\uDBFF]/.test(before[start - 1] ?? '')) start--;
  while (end > 0 && /[\n\uDC00-\uDFFF]/.test(before[before.length - end] ?? '')) end--;
  return {
    range: new vscode.Range(document.positionAt(start), document.positionAt(before.length - end)),
    text: after.slice(start, after.length - end),
  };
}

export async function writeThroughEditor(target: WorkspacePath, text: string, expectedVersion: string | null | undefined): Promise<void> {
  const exists = await fs.stat(target.real).then(
    (s) => s.isFile(),
    () => false,
  );
  const edit = new vscode.WorkspaceEdit();
  if (!exists) {
    if (typeof expectedVersion === 'string') throw new StaleFileError(`${target.display} was deleted since it was read.`);
    edit.createFile(target.uri, { contents: Buffer.from(text, 'utf8') });
    if (!(await vscode.workspace.applyEdit(edit))) throw new HostError(`VS Code could not create ${target.display}.`);
    return;
  }
  if (expectedVersion === null) throw new StaleFileError(`${target.display} already exists; read it and edit it instead.`);
  const document = await vscode.workspace.openTextDocument(target.uri);
  const current = document.getText();
  const version = document.version;
  if (typeof expectedVersion === 'string' && textVersion(current) !== expectedVersion) {
    throw new StaleFileError(`${target.display} changed since it was read (the user may be editing it); read it again and redo the edit on its current text.`);
  }
  if (await newerOnDisk(document, target)) {
    throw new StaleFileError(`${target.display} changed on disk and the editor has not caught up yet; read it again and redo the edit.`);
  }
  // Typing during the disk check above would make the range below wrong: check again, without awaiting.
  if (document.version !== version) {
    throw new StaleFileError(`${target.display} changed since it was read (the user may be editing it); read it again and redo the edit on its current text.`);
  }
  const wasDirty = document.isDirty;
  const change = changedRange(document, current, text);
  edit.replace(target.uri, change.range, change.text);
  if (!(await vscode.workspace.applyEdit(edit))) throw new HostError(`VS Code could not apply the edit to ${target.display}.`);
  if (!wasDirty && !(await document.save())) throw new HostError(`The edit to ${target.display} was applied but could not be saved.`);
}
