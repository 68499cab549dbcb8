/** Helpers for tests inside the extension host: the scripted model, settings, waiting. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StepwiseApi } from '../../../src/extension';
import { startScriptedServer, type Script, type ScriptedServer } from '../../support/scriptedServer';

export const EXTENSION_ID = 'stepwise-dev.stepwise';

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need an open folder');
  return folder.uri.fsPath;
}

export function file(rel: string): string {
  return path.join(workspaceRoot(), rel);
}

export function readDisk(rel: string): string {
  return fs.readFileSync(file(rel), 'utf8');
}

export async function api(): Promise<StepwiseApi> {
  const extension = vscode.extensions.getExtension<StepwiseApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  return extension.isActive ? extension.exports : extension.activate();
}

/** User-level settings (the only level Stepwise reads its security-sensitive settings from). */
export async function configure(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('stepwise');
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Global);
}

/** A scripted model server, configured as the base URL; closed by the returned function. */
export async function scriptedModel(script: Script): Promise<ScriptedServer> {
  const server = await startScriptedServer(script);
  // Plan first is covered by the sidebar tests; these scripts go straight to their steps.
  await configure({ baseUrl: server.url, model: 'scripted-model', planFirst: false });
  return server;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Like waitFor, for a condition that must be asked asynchronously. */
export async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The tool results the model was sent in the last recorded request. */
export function lastToolMessages(server: ScriptedServer): string[] {
  const body = server.chatRequests().at(-1)?.body;
  return (body?.messages ?? []).filter((m: any) => m.role === 'tool').map((m: any) => m.content);
}

/** Puts a file back as it was, in the editor buffer (if open, then saved) and on disk. */
export async function restore(rel: string, content: string): Promise<void> {
  const uri = vscode.Uri.file(file(rel));
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (document) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), content);
    await vscode.workspace.applyEdit(edit);
    await document.save();
  }
  fs.writeFileSync(file(rel), content);
}

/** After a test: whatever task still runs is stopped, and its model server closed. */
export async function endGoal(server: ScriptedServer | undefined): Promise<void> {
  await vscode.commands.executeCommand('stepwise.stop');
  await server?.close();
}
