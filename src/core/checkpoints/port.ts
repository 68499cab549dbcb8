/** What the agent loop needs from checkpoints: a record before a step changes anything, and after it. */
import type { SkipNote } from './types';

export type CheckpointScope = { kind: 'files'; paths: string[] } | { kind: 'workspace' };

export interface StepInfo {
  /** The task's tool-call number. */
  step: number;
  tool: string;
  toolCallId: string;
}

export interface CheckpointPort {
  readonly taskId: string;
  /** Records what the step may change; throws CheckpointError when it cannot. Returns what it could not cover. */
  before(step: StepInfo, scope: CheckpointScope): Promise<SkipNote[]>;
  /** Records what the step changed, and returns those paths (undefined when they could not be told). */
  after(step: number): Promise<string[] | undefined>;
}

/** A task id that sorts by time and is safe as a file name: 20261130-032617-4f2a. */
export function newTaskId(now = new Date(), random = Math.random): string {
  const iso = now.toISOString();
  const hex = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}-${hex}`;
}

export function isTaskId(value: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/.test(value);
}
