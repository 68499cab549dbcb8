/**
 * Paths in a (multi-root) workspace: which folder a path is in is decided by the core
 * (src/core/host/workspaceFolders.ts); each is then checked by the core's path safety against
 * its own folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FolderProtections } from '../core/approval';
import { PathError } from '../core/host/host';
import { loadProtection } from '../core/host/workspaceProtection';
import { realpathOfNearestExisting, resolveInWorkspace } from '../core/host/pathSafety';
import { displayIn, displayPath, type Folder, pickFolder } from '../core/host/workspaceFolders';

export interface WorkspacePath {
  folder: vscode.WorkspaceFolder;
  /** The folder's real path on disk. */
  root: string;
  /** Real absolute path of the file. */
  real: string;
  /** Relative to its folder. */
  rel: string;
  /** What the model and the user see: with several folders, prefixed with the folder's name. */
  display: string;
  /** Turns a path relative to the folder into a display path ('' with one folder). */
  show: (rel: string) => string;
  uri: vscode.Uri;
}

export class WorkspaceRoots {
  private readonly realRoots = new Map<string, string>();

  folders(): readonly vscode.WorkspaceFolder[] {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) throw new PathError('No folder is open. Open a folder in VS Code first.'); // l10n-ignore: also read by the model
    return folders;
  }

  get name(): string {
    return vscode.workspace.name ?? this.folders()[0]?.name ?? 'workspace';
  }

  /** The folders' names when there are several (the first is where commands run). */
  folderNames(): string[] | undefined {
    const folders = vscode.workspace.workspaceFolders ?? [];
    return folders.length > 1 ? folders.map((f) => f.name) : undefined;
  }

  /** A path as the model or the user wrote it; an ambiguous one is refused (PathError) naming both readings. */
  async resolve(requested: string): Promise<WorkspacePath> {
    const folders = this.folders();
    const absolute = typeof requested === 'string' && path.isAbsolute(requested) && !requested.includes('\0');
    const picked = pickFolder(this.described(folders), absolute ? await realpathOfNearestExisting(requested) : requested);
    return this.within(folders, picked.index, picked.rel);
  }

  /** A path relative to the first folder, where commands run (a command's file arguments). */
  async resolveInFirst(requested: string): Promise<WorkspacePath> {
    return this.within(this.folders(), 0, requested);
  }

  /** The file a URI names; PathError when it is outside every folder. */
  resolveUri(uri: vscode.Uri): Promise<WorkspacePath> {
    return this.resolve(uri.fsPath);
  }

  /** The display path of a file URI, or undefined when it is outside every folder. */
  displayOf(uri: vscode.Uri): string | undefined {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return undefined;
    const rel = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
    return displayPath(this.described(folders), folders.indexOf(folder), rel);
  }

  /** Each folder's own .stepwiseignore and hooks folder, for its paths. */
  async protection(): Promise<FolderProtections> {
    return new FolderProtections(
      await Promise.all((await this.folderPaths()).map(async (f) => ({ name: f.folder.name, root: f.root, protection: await loadProtection(f.root) }))),
    );
  }

  /** Each folder as a whole, for the callers that go through every folder. */
  folderPaths(): Promise<WorkspacePath[]> {
    const folders = this.folders();
    return Promise.all(folders.map((_, i) => this.within(folders, i, '')));
  }

  private async within(folders: readonly vscode.WorkspaceFolder[], index: number, requested: string): Promise<WorkspacePath> {
    const folder = folders[index]!;
    const root = this.realRoot(folder);
    const { real, rel } = await resolveInWorkspace(root, requested);
    const described = this.described(folders);
    const show = displayIn(described, index);
    return { folder, root, real, rel, display: show(rel), show, uri: vscode.Uri.file(real) };
  }

  private described(folders: readonly vscode.WorkspaceFolder[]): Folder[] {
    return folders.map((f) => ({ name: f.name, root: this.realRoot(f) }));
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
