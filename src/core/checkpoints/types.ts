/**
 * What a checkpoint records. A path's state is its bytes (by hash) and mode, a folder, a symlink
 * inside the workspace, or nothing. A step records the state of every path it changed, before and
 * after; restoring to step N puts back, for every path a step ≥ N changed, its state before the
 * first of those steps.
 */

export type EntryState =
  | { kind: 'file'; hash: string; mode: number; size: number }
  | { kind: 'dir'; mode: number }
  | { kind: 'symlink'; target: string }
  | { kind: 'absent' };

/** A path a checkpoint does not cover, and why (shown to the user, never silent). */
export interface SkipNote {
  path: string;
  reason: string;
}

export interface StepRecord {
  /** The task's tool-call number (the `step` of the `checkpoint` event). */
  step: number;
  tool: string;
  toolCallId: string;
  /** Order among the workspace's steps and restores (ms since the epoch, strictly increasing). */
  at: number;
  time: string;
  /** `files`: the paths the tool names; `workspace`: a scan before and after (commands, tasks). */
  scope: 'files' | 'workspace';
  before: Record<string, EntryState>;
  after: Record<string, EntryState>;
  skipped: SkipNote[];
}

export interface TaskRecord {
  version: 1;
  id: string;
  goal: string;
  started: string;
  steps: StepRecord[];
}

export interface RestoreOp {
  path: string;
  /** The state before the restore: what an undo puts back. */
  from: EntryState;
  to: EntryState;
}

/** A restore is written (status `applying`) before its first change: a crash leaves a plan to finish. */
export interface RestoreRecord {
  version: 1;
  id: string;
  at: number;
  time: string;
  kind: 'restore' | 'undo';
  task?: string;
  step?: number;
  /** For an undo: the restore it took back. */
  undoes?: string;
  status: 'applying' | 'done';
  ops: RestoreOp[];
  /** Paths left as they were (changed outside the task, not empty, not covered) and why. */
  kept: SkipNote[];
  undone?: boolean;
}

export interface CheckpointSettings {
  /** Contents kept for all workspaces together; the oldest tasks go first beyond it. */
  maxStorageBytes: number;
  maxAgeDays: number;
  /** Files larger than this are not copied (and said so). */
  maxFileBytes: number;
  /** Folders and files a command scan leaves out (gitignore patterns); `.git` always is. */
  exclude: string[];
}

export const DEFAULT_EXCLUDE = [
  'node_modules/',
  '.venv/',
  'venv/',
  '__pycache__/',
  '.mypy_cache/',
  '.pytest_cache/',
  '.tox/',
  'target/',
  'dist/',
  'build/',
  '.next/',
  '.nuxt/',
  '.gradle/',
  '.terraform/',
  '.turbo/',
  'coverage/',
];

export const DEFAULT_CHECKPOINT_SETTINGS: CheckpointSettings = {
  maxStorageBytes: 2 * 1024 ** 3,
  maxAgeDays: 30,
  maxFileBytes: 16 * 1024 ** 2,
  exclude: DEFAULT_EXCLUDE,
};

export function sameState(a: EntryState | undefined, b: EntryState | undefined): boolean {
  const x = a ?? { kind: 'absent' };
  const y = b ?? { kind: 'absent' };
  if (x.kind !== y.kind) return false;
  if (x.kind === 'file' && y.kind === 'file') return x.hash === y.hash && x.mode === y.mode;
  if (x.kind === 'dir' && y.kind === 'dir') return x.mode === y.mode;
  if (x.kind === 'symlink' && y.kind === 'symlink') return x.target === y.target;
  return true;
}

/** Cannot record a checkpoint (store unwritable, disk full): the step does not run unless the user says so. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}
