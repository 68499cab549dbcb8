/**
 * What a restore would do, worked out before anything is written: for every path a step ≥ N of
 * the task changed, its state before the first of those steps. A path whose state now is not the
 * one the agent left (the user, or another task, changed it since) is kept unless the user includes
 * it; a path the task did not create is never deleted.
 */
import * as l10n from '@vscode/l10n';
import { readEntry } from './entryState';
import type { WorkspaceCheckpoints } from './store';
import { sameState, type EntryState, type RestoreOp, type RestoreRecord, type SkipNote, type TaskRecord } from './types';

export interface PlannedOp extends RestoreOp {
  /** Changed since outside the task's steps: applied only because the user included it. */
  changedOutside?: boolean;
}

export interface RestorePlan {
  kind: 'restore' | 'undo';
  task?: string;
  step?: number;
  undoes?: string;
  ops: PlannedOp[];
  /** Changed outside the task's steps since, and not included: left as they are. */
  changedOutside: string[];
  /** Not covered (too large, a socket, a link out) or otherwise left alone, and why. */
  kept: SkipNote[];
}

export type OpKind = 'create' | 'change' | 'delete' | 'mode';

export function opKind(op: RestoreOp): OpKind {
  if (op.to.kind === 'absent') return 'delete';
  if (op.from.kind === 'absent') return 'create';
  if (op.from.kind === 'file' && op.to.kind === 'file' && op.from.hash === op.to.hash) return 'mode';
  return 'change';
}

/** The state each path was last left in by this task's steps or by a restore (latest wins). */
function expectedStates(tasks: TaskRecord[], restores: RestoreRecord[]): Map<string, EntryState> {
  const events: { at: number; states: Record<string, EntryState> }[] = [];
  for (const task of tasks) for (const step of task.steps) events.push({ at: step.at, states: step.after });
  for (const r of restores) if (r.status === 'done') events.push({ at: r.at, states: Object.fromEntries(r.ops.map((o) => [o.path, o.to])) });
  events.sort((a, b) => a.at - b.at);
  const out = new Map<string, EntryState>();
  for (const e of events) for (const [p, s] of Object.entries(e.states)) out.set(p, s);
  return out;
}

async function planTargets(
  store: WorkspaceCheckpoints,
  targets: Map<string, EntryState>,
  expected: Map<string, EntryState>,
  includeChanged: boolean,
  kept: SkipNote[],
): Promise<{ ops: PlannedOp[]; changedOutside: string[] }> {
  const ops: PlannedOp[] = [];
  const changedOutside: string[] = [];
  for (const [rel, to] of [...targets].sort(([a], [b]) => a.localeCompare(b))) {
    const now = await readEntry(store.root, rel, store.blobs, store.settings.maxFileBytes);
    if (!now.state) {
      kept.push(now.skip ?? { path: rel, reason: l10n.t('cannot be read') });
      continue;
    }
    if (sameState(now.state, to)) continue;
    const want = expected.get(rel);
    const outside = want !== undefined && !sameState(now.state, want);
    if (outside && !includeChanged) {
      changedOutside.push(rel);
      continue;
    }
    ops.push({ path: rel, from: now.state, to, ...(outside ? { changedOutside: true } : {}) });
  }
  return { ops, changedOutside };
}

/** Restore the workspace to the state right before step `step` of `task`. */
export async function planRestore(store: WorkspaceCheckpoints, task: TaskRecord, step: number, includeChanged: boolean): Promise<RestorePlan> {
  const targets = new Map<string, EntryState>();
  const kept: SkipNote[] = [];
  const later = task.steps.filter((s) => s.step >= step).sort((a, b) => a.step - b.step || a.at - b.at);
  for (const s of later) {
    for (const [rel, state] of Object.entries(s.before)) if (!targets.has(rel)) targets.set(rel, state);
    for (const note of s.skipped) if (!kept.some((k) => k.path === note.path)) kept.push(note);
  }
  const expected = expectedStates([task], await store.restores());
  const { ops, changedOutside } = await planTargets(store, targets, expected, includeChanged, kept);
  return { kind: 'restore', task: task.id, step, ops, changedOutside, kept };
}

/** The last restore (or undo) not yet taken back. */
export async function lastRestore(store: WorkspaceCheckpoints): Promise<RestoreRecord | undefined> {
  return (await store.restores()).filter((r) => r.status === 'done' && !r.undone).at(-1);
}

/** Takes `record` back: every path it changed goes back to its state before it. */
export async function planUndo(store: WorkspaceCheckpoints, record: RestoreRecord, includeChanged: boolean): Promise<RestorePlan> {
  const targets = new Map(record.ops.map((o) => [o.path, o.from] as const));
  const kept: SkipNote[] = [];
  const expected = expectedStates([], await store.restores());
  const { ops, changedOutside } = await planTargets(store, targets, expected, includeChanged, kept);
  return { kind: 'undo', undoes: record.id, ...(record.task ? { task: record.task } : {}), ops, changedOutside, kept };
}
