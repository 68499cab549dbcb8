/**
 * Checkpoints in VS Code: recorded for the first workspace folder in the extension's global
 * storage, restored after a modal shows every path. Open documents are restored through a
 * WorkspaceEdit (one undo per file, then saved); an open document with unsaved changes counts as
 * changed by the user and is kept unless the user includes it. The core does the rest (plan
 * first, then apply; undo of a restore; a restore cut off finished on the next start).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { newTaskId, type CheckpointPort } from '../core/checkpoints/port';
import { TaskCheckpoints, UnavailableCheckpoints } from '../core/checkpoints/recorder';
import { applyRestore, recoverRestores, type RestoreWriter } from '../core/checkpoints/restoreApply';
import { lastRestore, opKind, planRestore, planUndo, type RestorePlan } from '../core/checkpoints/restorePlan';
import { WorkspaceCheckpoints } from '../core/checkpoints/store';
import { firstFolderOnly, workspaceFolders } from './checkpointFolders';
import type { CheckpointSettings, RestoreOp, RestoreRecord, SkipNote } from '../core/checkpoints/types';

export const CHECKPOINT_SCHEME = 'stepwise-checkpoint';

export interface RestoreOptions {
  /** Skip the confirmation (the API, for scripts and tests); default: ask in a modal. */
  yes?: boolean;
  /** Restore files changed outside the task too (with a modal, the user picks this). */
  includeChanged?: boolean;
}

export interface RestoreOutcome {
  restored: string[];
  kept: SkipNote[];
  changedOutside: string[];
}

export class VsCodeCheckpoints implements vscode.TextDocumentContentProvider {
  constructor(
    private readonly storeDir: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  private root(): string | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? fs.realpathSync(folder.uri.fsPath) : undefined;
  }

  private async store(settings: CheckpointSettings, create: boolean): Promise<WorkspaceCheckpoints | undefined> {
    const root = this.root();
    if (!root) return undefined;
    const store = await WorkspaceCheckpoints.open(this.storeDir, root, settings, create);
    // l10n-ignore: log line
    if (store) for (const r of await recoverRestores(store)) this.log.warn(`Finished a restore that was cut off (${r.ops.length} paths).`);
    return store;
  }

  /** The port for one task; paths in other folders of a multi-root workspace are not covered (and said so). */
  async startTask(goal: string, settings: CheckpointSettings): Promise<CheckpointPort> {
    const id = newTaskId();
    try {
      const store = (await this.store(settings, true))!;
      const pruned = await store.prune().catch(() => undefined);
      // l10n-ignore: log line
      if (pruned?.removedTasks) this.log.info(`Removed the checkpoints of ${pruned.removedTasks} old task(s) to stay within stepwise.checkpoints limits.`);
      return firstFolderOnly(TaskCheckpoints.start(store, id, goal), workspaceFolders());
    } catch (error) {
      return new UnavailableCheckpoints(id, (error as Error).message);
    }
  }

  /** Restores the first folder to right before `step` of `task`, after showing the list (unless `yes`). */
  async restore(task: string, step: number, settings: CheckpointSettings, options: RestoreOptions = {}): Promise<RestoreOutcome | undefined> {
    const store = await this.store(settings, false);
    const record = store && (await store.task(task));
    if (!store || !record) {
      void vscode.window.showWarningMessage(l10n.t('Stepwise: the checkpoints of this task are no longer stored (removed by age or the size limit).'));
      return undefined;
    }
    return this.confirmAndApply(store, (include) => planRestore(store, record, step, include), l10n.t('Restore to right before step {0}?', step), options);
  }

  async undoRestore(settings: CheckpointSettings, options: RestoreOptions = {}): Promise<RestoreOutcome | undefined> {
    const store = await this.store(settings, false);
    const last = store && (await lastRestore(store));
    if (!store || !last) {
      void vscode.window.showInformationMessage(l10n.t('Stepwise: there is no restore to undo.'));
      return undefined;
    }
    return this.confirmAndApply(store, (include) => planUndo(store, last, include), l10n.t('Undo the last restore?'), options);
  }

  /** A quick pick of the recent tasks' checkpoints (newest first). */
  async pick(settings: CheckpointSettings): Promise<{ task: string; step: number } | undefined> {
    const store = await this.store(settings, false);
    const tasks = store
      ? (await store.tasks())
          .filter((t) => t.steps.length)
          .slice(-5)
          .reverse()
      : [];
    if (!tasks.length) {
      void vscode.window.showInformationMessage(l10n.t('Stepwise: no checkpoints yet. Each task records one before every step that may change files.'));
      return undefined;
    }
    const items = tasks.flatMap((t) =>
      t.steps.map((s) => ({
        label: l10n.t('Before step {0}: {1}', s.step, s.tool),
        description: Object.keys(s.after).length ? Object.keys(s.after).slice(0, 3).join(', ') : Object.keys(s.before).join(', '),
        detail: `${t.goal.slice(0, 80)} · ${s.time.slice(0, 16).replace('T', ' ')}`,
        target: { task: t.id, step: s.step },
      })),
    );
    const options = { title: l10n.t('Stepwise: Restore to Checkpoint'), placeHolder: l10n.t('The files go back to right before the step you pick') };
    return (await vscode.window.showQuickPick(items, options))?.target;
  }

  /** Whether the last restore of this workspace can be taken back. */
  async canUndo(settings: CheckpointSettings): Promise<boolean> {
    const store = await this.store(settings, false).catch(() => undefined);
    return Boolean(store && (await lastRestore(store)));
  }

  /** Opens a multi-file diff: each path the task changed from `step` on, as it was then → as it is now. */
  async viewChanges(task: string, step: number, settings: CheckpointSettings): Promise<void> {
    const store = await this.store(settings, false);
    const record = store && (await store.task(task));
    if (!store || !record) {
      void vscode.window.showWarningMessage(l10n.t('Stepwise: the checkpoints of this task are no longer stored.'));
      return;
    }
    const plan = await planRestore(store, record, step, true);
    const root = vscode.workspace.workspaceFolders![0]!.uri;
    const resources = plan.ops.map((op) => {
      const current = vscode.Uri.joinPath(root, op.path);
      const then = vscode.Uri.from({ scheme: CHECKPOINT_SCHEME, path: `/${op.path}`, query: op.to.kind === 'file' ? op.to.hash : '' });
      return [current, then, current] as const;
    });
    if (!resources.length) {
      void vscode.window.showInformationMessage(l10n.t('Stepwise: nothing changed since step {0} (or it was all restored).', step));
      return;
    }
    await vscode.commands.executeCommand('vscode.changes', l10n.t('Changes since step {0}', step), resources);
  }

  /** The checkpoint's content of a file, for the diff (the blob named in the query). */
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    if (!/^[0-9a-f]{64}$/.test(uri.query)) return '';
    const root = this.root();
    if (!root) return '';
    const store = await WorkspaceCheckpoints.open(this.storeDir, root, { maxStorageBytes: 0, maxAgeDays: 1, maxFileBytes: 0, exclude: [] }, false);
    return store ? (await store.blobs.get(uri.query)).toString('utf8') : '';
  }

  private async confirmAndApply(
    store: WorkspaceCheckpoints,
    plan: (include: boolean) => Promise<RestorePlan>,
    question: string,
    options: RestoreOptions,
  ): Promise<RestoreOutcome | undefined> {
    let include = options.includeChanged ?? false;
    let current = withDirtyDocuments(await plan(true), store.root);
    if (!include) current = dropChanged(current);
    if (!options.yes) {
      const full = withDirtyDocuments(await plan(true), store.root);
      const changed = full.ops.filter((o) => o.changedOutside).map((o) => o.path);
      if (!current.ops.length && !changed.length) {
        void vscode.window.showInformationMessage(l10n.t('Stepwise: the files are already in that state; nothing to restore.'));
        return undefined;
      }
      const lines = current.ops.map((o) => `${opLabel(o)}: ${o.path}`);
      if (changed.length) lines.push('', l10n.t('Changed by you (or unsaved) since — kept unless you include them:'), ...changed);
      for (const k of current.kept) lines.push(l10n.t('Not restored: {0} — {1}', k.path, k.reason));
      const withMine = l10n.t('Restore Including My Changes');
      const buttons = current.ops.length ? [l10n.t('Restore')] : [];
      if (changed.length) buttons.push(withMine);
      const pick = await vscode.window.showWarningMessage(question, { modal: true, detail: lines.join('\n') }, ...buttons);
      if (!pick) return undefined;
      include = pick === withMine;
      current = include ? full : current;
    }
    if (!current.ops.length) return { restored: [], kept: current.kept, changedOutside: current.changedOutside };
    const record = await applyRestore(store, current, { writer: editorWriter(store.root) });
    // l10n-ignore: log line
    this.log.info(`Restored ${record.ops.length} path(s)${record.kept.length ? `; kept ${record.kept.map((k) => k.path).join(', ')}` : ''}.`);
    return outcomeOf(record, current);
  }
}

/** What a restore does to a path, in the modal's list. */
function opLabel(op: RestoreOp): string {
  const kind = opKind(op);
  return kind === 'delete' ? l10n.t('delete') : kind === 'create' ? l10n.t('create') : kind === 'mode' ? l10n.t('mode') : l10n.t('change');
}

function outcomeOf(record: RestoreRecord, plan: RestorePlan): RestoreOutcome {
  return { restored: record.ops.map((o) => o.path), kept: record.kept, changedOutside: plan.changedOutside };
}

/** Open documents with unsaved changes count as changed by the user: flagged like a change on disk. */
function withDirtyDocuments(plan: RestorePlan, root: string): RestorePlan {
  const dirty = new Set(
    vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file').map((d) => path.relative(root, d.uri.fsPath).split(path.sep).join('/')),
  );
  return { ...plan, ops: plan.ops.map((o) => (dirty.has(o.path) ? { ...o, changedOutside: true } : o)) };
}

function dropChanged(plan: RestorePlan): RestorePlan {
  const kept = plan.ops.filter((o) => o.changedOutside).map((o) => o.path);
  return { ...plan, ops: plan.ops.filter((o) => !o.changedOutside), changedOutside: [...plan.changedOutside, ...kept] };
}

/** Open text documents are restored through the editor (undoable), then saved; the rest on disk. */
function editorWriter(root: string): RestoreWriter {
  const disk = async (rel: string, bytes: Buffer, mode: number, check: (existing: Buffer | undefined) => void) => {
    const { writeFileInside } = await import('../core/host/safeFiles');
    await writeFileInside(root, { rel, text: bytes, mode, check });
  };
  return {
    async writeFile(rel, bytes, mode, check) {
      const uri = vscode.Uri.file(path.join(root, ...rel.split('/')));
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const text = bytes.toString('utf8');
      if (!doc || Buffer.from(text, 'utf8').compare(bytes) !== 0) return disk(rel, bytes, mode, check);
      check(await fs.promises.readFile(uri.fsPath).catch(() => undefined));
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
      if (!(await vscode.workspace.applyEdit(edit)) || !(await doc.save())) return disk(rel, bytes, mode, () => undefined);
      await fs.promises.chmod(uri.fsPath, mode);
    },
  };
}
