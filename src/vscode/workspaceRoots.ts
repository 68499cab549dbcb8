/**
 * Paths in a (multi-root) workspace: relative to the first folder, or prefixed with another
 * folder's name. Each is checked by the core's path safety against its own folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PathError } from '../core/host/host';
import { resolveInWorkspace } from '../core/host/pathSafety';

export interface WorkspacePath {
  folder: vscode.WorkspaceFolder;
  /** The folder's real path on disk. */
  root: string;
  /** Real absolute path of the file. */
  real: string;
  /** Relative to its folder. */
  rel: string;
  /** What the model and the user see: prefixed with the folder's name when not the first. */
  display: string;
  uri: vscode.Uri;
}

export class WorkspaceRoots {
  private readonly realRoots = new Map<string, string>();

  folders(): readonly vscode.WorkspaceFolder[] {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) throw new PathError('No folder is open. Open a folder in VS Code first.');
    return folders;
  }

  get name(): string {
    return vscode.workspace.name ?? this.folders()[0]?.name ?? 'workspace';
  }

  async resolve(requested: string): Promise<WorkspacePath> {
    const folders = this.folders();
    const normalized = requested.replace(/\\/g, '/').replace(/^\.\/+/, '');
    const [first, ...rest] = normalized.split('/');
    const named = folders.length > 1 && !path.isAbsolute(requested) ? folders.find((f, i) => i > 0 && f.name === first) : undefined;
    const folder = named ?? this.folderForAbsolute(requested, folders) ?? folders[0]!;
    const root = this.realRoot(folder);
    const { real, rel } = await resolveInWorkspace(root, named ? rest.join('/') : requested);
    const index = folders.indexOf(folder);
    const display = index === 0 ? rel : rel ? `${folder.name}/${rel}` : folder.name;
    return { folder, root, real, rel, display, uri: vscode.Uri.file(real) };
  }

  /** The display path of a file URI, or undefined when it is outside every folder. */
  displayOf(uri: vscode.Uri): string | undefined {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return undefined;
    const rel = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
    return folders.indexOf(folder) === 0 ? rel : `${folder.name}/${rel}`;
  }

  private folderForAbsolute(requested: string, folders: readonly vscode.WorkspaceFolder[]): vscode.WorkspaceFolder | undefined {
    if (!path.isAbsolute(requested)) return undefined;
    return folders.find((f) => {
      const rel = path.relative(this.realRoot(f), requested);
      return !rel.startsWith('..') && !path.isAbsolute(rel);
    });
  }

  private realRoot(folder: vscode.WorkspaceFolder): string {
    let root = this.realRoots.get(folder.uri.toString());
    if (!root) {
      root = fs.realpathSync(folder.uri.fsPath);
      this.realRoots.set(folder.uri.toString(), root);
    }
    return root;
  }
}
