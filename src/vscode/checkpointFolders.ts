/**
 * Checkpoints cover the first folder of a multi-root workspace (its store is keyed by that folder).
 * The loop names paths as they are shown (src/core/host/workspaceFolders.ts): those in the first
 * folder are recorded relative to it, the others are named in the step's notes.
 */
import * as fs from 'node:fs';
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { CheckpointPort, CheckpointScope, StepInfo } from '../core/checkpoints/port';
import type { TaskCheckpoints } from '../core/checkpoints/recorder';
import { displayIn, type Folder, folderOfDisplay } from '../core/host/workspaceFolders';

const notCovered = () => l10n.t('in another folder of a multi-root workspace: checkpoints cover the first folder only');

export function workspaceFolders(): Folder[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => ({ name: f.name, root: fs.realpathSync(f.uri.fsPath) }));
}

export function firstFolderOnly(port: TaskCheckpoints, folders: readonly Folder[]): CheckpointPort {
  if (folders.length <= 1) return port;
  const show = displayIn(folders, 0);
  // The other folders' paths a step names: changed as far as the loop can tell, never recorded.
  let outside: string[] = [];
  return {
    taskId: port.taskId,
    before: async (info: StepInfo, scope: CheckpointScope) => {
      outside = [];
      if (scope.kind === 'workspace') return port.before(info, scope);
      const inFirst: string[] = [];
      for (const p of scope.paths) {
        const { index, rel } = folderOfDisplay(folders, p);
        if (index === 0) inFirst.push(rel);
        else outside.push(p);
      }
      const notes = await port.before(info, { kind: 'files', paths: inFirst });
      return [...notes.map((n) => ({ ...n, path: show(n.path) })), ...outside.map((p) => ({ path: p, reason: notCovered() }))];
    },
    after: async (step) => {
      const changed = await port.after(step);
      return changed && [...changed.map(show), ...outside];
    },
  };
}
