/**
 * Applies a restore plan: the plan (with every path's current state, i.e. its undo) is written
 * durably first, then each path is put back, then the record is marked done. A restore cut off
 * half-way (the process killed) is finished by `recoverRestores` on the next start. Nothing is
 * deleted that the plan did not see the task create, a folder only when empty, never `.git`.
 */
import * as l10n from '@vscode/l10n';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isInside, realpathOfNearestExisting } from '../host/pathSafety';
import { writeFileInside } from '../host/safeFiles';
import { hashBytes } from './blobStore';
import { isGitPath, readEntry } from './entryState';
import type { RestorePlan } from './restorePlan';
import type { WorkspaceCheckpoints } from './store';
import { sameState, type EntryState, type RestoreOp, type RestoreRecord } from './types';

export interface RestoreWriter {
  /** Writes a whole file; `check` throws when what is there is not what the plan saw. */
  writeFile(rel: string, bytes: Buffer, mode: number, check: (existing: Buffer | undefined) => void): Promise<void>;
}

export interface ApplyOptions {
  /** Called before each path; a long restore shows progress. */
  onProgress?: (done: number, total: number, rel: string) => void;
  /** How files are written (VS Code: through open editors); default: straight to disk. */
  writer?: RestoreWriter;
}

export function diskWriter(root: string): RestoreWriter {
  return {
    writeFile: (rel, bytes, mode, check) => writeFileInside(root, { rel, text: bytes, mode, check }),
  };
}

/** Folders are made before what goes in them, files next, and emptied folders removed last, deepest first. */
function ordered(ops: RestoreOp[]): RestoreOp[] {
  const depth = (p: string) => p.split('/').length;
  const phase = (o: RestoreOp) => (o.to.kind === 'dir' ? 0 : o.to.kind === 'absent' ? 2 : 1);
  return [...ops].sort(
    (a, b) => phase(a) - phase(b) || (phase(a) === 2 ? depth(b.path) - depth(a.path) : depth(a.path) - depth(b.path)) || a.path.localeCompare(b.path),
  );
}

export async function applyRestore(store: WorkspaceCheckpoints, plan: RestorePlan, options: ApplyOptions = {}): Promise<RestoreRecord> {
  const at = store.nextAt();
  const record: RestoreRecord = {
    version: 1,
    id: `${new Date(at)
      .toISOString()
      .replace(/[-:.TZ]/g, '')
      .slice(0, 14)}-${randomBytes(3).toString('hex')}`,
    at,
    time: new Date(at).toISOString(),
    kind: plan.kind,
    ...(plan.task ? { task: plan.task } : {}),
    ...(plan.step !== undefined ? { step: plan.step } : {}),
    ...(plan.undoes ? { undoes: plan.undoes } : {}),
    status: 'applying',
    ops: ordered(plan.ops.map(({ path: p, from, to }) => ({ path: p, from, to }))),
    kept: [...plan.kept],
  };
  await store.saveRestore(record);
  await finish(store, record, false, options);
  return record;
}

/** Finishes restores a crash cut off; returns them. */
export async function recoverRestores(store: WorkspaceCheckpoints, options: ApplyOptions = {}): Promise<RestoreRecord[]> {
  const pending = (await store.restores()).filter((r) => r.status === 'applying');
  for (const record of pending) await finish(store, record, true, options);
  return pending;
}

async function finish(store: WorkspaceCheckpoints, record: RestoreRecord, resuming: boolean, options: ApplyOptions): Promise<void> {
  const writer = options.writer ?? diskWriter(store.root);
  const applied: RestoreOp[] = [];
  for (const [i, op] of record.ops.entries()) {
    options.onProgress?.(i, record.ops.length, op.path);
    const problem = await applyOp(store, op, writer, resuming);
    if (problem) record.kept.push({ path: op.path, reason: problem });
    else applied.push(op);
  }
  record.ops = applied;
  record.status = 'done';
  if (record.undoes) {
    const undone = (await store.restores()).find((r) => r.id === record.undoes);
    if (undone) await store.saveRestore({ ...undone, undone: true });
  }
  await store.saveRestore(record);
}

/** Puts one path in its planned state; returns why not when it leaves it alone. */
async function applyOp(store: WorkspaceCheckpoints, op: RestoreOp, writer: RestoreWriter, resuming: boolean): Promise<string | undefined> {
  const root = store.root;
  if (isGitPath(op.path)) return l10n.t('inside .git, which checkpoints never touch');
  const abs = path.join(root, ...op.path.split('/'));
  if (!isInside(root, abs) || !isInside(root, await realpathOfNearestExisting(path.dirname(abs)))) return l10n.t('its folder now leads outside the workspace');
  const now = await readEntry(root, op.path, store.blobs, store.settings.maxFileBytes);
  if (!now.state) return now.skip?.reason ?? l10n.t('cannot be read');
  if (sameState(now.state, op.to)) return undefined;
  // Only what the plan saw is replaced: a change made while the restore was being confirmed is kept.
  if (!sameState(now.state, op.from))
    return resuming ? l10n.t('changed after the restore was cut off; kept as it is') : l10n.t('changed while the restore was being confirmed; kept as it is');
  try {
    await putState(store, op.path, abs, now.state, op.to, writer, op.from);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return l10n.t('a folder that now holds files the task did not make; kept');
    return l10n.t('could not be restored ({0})', (error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
  return undefined;
}

async function putState(
  store: WorkspaceCheckpoints,
  rel: string,
  abs: string,
  now: EntryState,
  to: EntryState,
  writer: RestoreWriter,
  from: EntryState,
): Promise<void> {
  if (to.kind === 'file') {
    if (now.kind === 'symlink') await fs.unlink(abs);
    if (now.kind === 'dir') await fs.rmdir(abs);
    const bytes = await store.blobs.get(to.hash);
    await writer.writeFile(rel, bytes, to.mode, (existing) => {
      const same = from.kind === 'file' ? existing !== undefined && hashBytes(existing) === from.hash : existing === undefined || now.kind !== 'file';
      if (!same) throw new Error(l10n.t('changed while the restore ran'));
    });
    return;
  }
  if (to.kind === 'absent') {
    if (now.kind === 'dir') await fs.rmdir(abs);
    else await fs.unlink(abs);
    return;
  }
  if (now.kind === 'file' || now.kind === 'symlink') await fs.unlink(abs);
  if (to.kind === 'dir') {
    await fs.mkdir(abs, { recursive: true });
    await fs.chmod(abs, to.mode);
    return;
  }
  if (now.kind === 'dir') await fs.rmdir(abs);
  await fs.mkdir(path.dirname(abs), { recursive: true });
  await fs.symlink(to.target, abs);
}
