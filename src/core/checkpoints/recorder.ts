/**
 * The checkpoints of one running task. A file tool's step records the files it names; a command
 * or task records a scan of the workspace before and after and keeps the paths that differ. The
 * task record is saved before the step runs (a crash still leaves the state before it) and after.
 */
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isInside } from '../host/pathSafety';
import type { CheckpointPort, CheckpointScope, StepInfo } from './port';
import { readEntry } from './entryState';
import { changedPaths, scanWorkspace, type Scan } from './scanner';
import type { WorkspaceCheckpoints } from './store';
import { CheckpointError, sameState, type SkipNote, type StepRecord, type TaskRecord } from './types';

/** Notes kept per step: a workspace full of sockets must not make a huge record. */
const MAX_NOTES = 30;

export class TaskCheckpoints implements CheckpointPort {
  private readonly open = new Map<number, { record: StepRecord; baseline?: Scan }>();

  private constructor(
    private readonly store: WorkspaceCheckpoints,
    readonly record: TaskRecord,
  ) {}

  get taskId(): string {
    return this.record.id;
  }

  static start(store: WorkspaceCheckpoints, id: string, goal: string): TaskCheckpoints {
    return new TaskCheckpoints(store, { version: 1, id, goal: goal.slice(0, 500), started: new Date().toISOString(), steps: [] });
  }

  async before(info: StepInfo, scope: CheckpointScope): Promise<SkipNote[]> {
    return this.guard(async () => {
      let step = this.open.get(info.step);
      if (!step) {
        const at = this.store.nextAt();
        const record: StepRecord = {
          step: info.step,
          tool: info.tool,
          toolCallId: info.toolCallId,
          at,
          time: new Date(at).toISOString(),
          scope: scope.kind,
          before: {},
          after: {},
          skipped: [],
        };
        step = { record };
        this.open.set(info.step, step);
        this.record.steps.push(record);
      }
      const notes: SkipNote[] = [];
      if (scope.kind === 'workspace') {
        step.record.scope = 'workspace';
        step.baseline ??= await this.scan();
        notes.push(...step.baseline.skipped);
      } else {
        for (const rel of withMissingParents(this.store.root, scope.paths)) {
          if (rel in step.record.before) continue;
          const read = await readEntry(this.store.root, rel, this.store.blobs, this.store.settings.maxFileBytes);
          if (read.state) step.record.before[rel] = read.state;
          if (read.skip) notes.push(read.skip);
        }
      }
      addNotes(step.record, notes);
      await this.store.saveTask(this.record);
      return notes.slice(0, MAX_NOTES);
    });
  }

  async after(stepNo: number): Promise<string[] | undefined> {
    const step = this.open.get(stepNo);
    if (!step) return undefined;
    this.open.delete(stepNo);
    return this.guard(async () => {
      const { record, baseline } = step;
      if (baseline) {
        const now = await this.scan();
        for (const rel of changedPaths(baseline.entries, now.entries)) {
          // A change the file tools already recorded keeps its earlier before-state.
          record.before[rel] ??= baseline.entries.get(rel) ?? { kind: 'absent' };
          record.after[rel] = now.entries.get(rel) ?? { kind: 'absent' };
        }
        addNotes(
          record,
          now.skipped.filter((n) => !baseline.skipped.some((b) => b.path === n.path)),
        );
      }
      for (const rel of Object.keys(record.before)) {
        if (rel in record.after) continue;
        const read = await readEntry(this.store.root, rel, this.store.blobs, this.store.settings.maxFileBytes);
        if (read.state) record.after[rel] = read.state;
        if (read.skip) addNotes(record, [read.skip]);
      }
      // A file step that changed nothing (refused, failed) leaves nothing to restore.
      for (const rel of Object.keys(record.before)) {
        if (sameState(record.before[rel], record.after[rel])) {
          delete record.before[rel];
          delete record.after[rel];
        }
      }
      await this.store.saveTask(this.record);
      return Object.keys(record.after);
    });
  }

  private async scan(): Promise<Scan> {
    const index = await this.store.loadIndex();
    const storeDir = fs.realpathSync(this.store.storeDir);
    const scan = await scanWorkspace(this.store.root, {
      blobs: this.store.blobs,
      maxFileBytes: this.store.settings.maxFileBytes,
      exclude: this.store.settings.exclude,
      index,
      // A workspace that holds the store (the home folder) must not copy the store into itself.
      skipDirs: isInside(this.store.root, storeDir) ? [storeDir] : [],
    });
    await this.store.saveIndex(scan.index);
    return scan;
  }

  private async guard<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (error instanceof CheckpointError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw new CheckpointError(l10n.t('The checkpoint could not be stored in {0} ({1}).', this.store.storeDir, code ?? (error as Error).message));
    }
  }
}

/** The paths and, for a file whose folder does not exist yet, each missing folder (so a restore removes it again). */
function withMissingParents(root: string, paths: string[]): string[] {
  const out: string[] = [];
  for (const rel of paths) {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (!out.includes(parent) && !fs.existsSync(path.join(root, ...parent.split('/')))) out.push(parent);
    }
    out.push(rel);
  }
  return out;
}

function addNotes(record: StepRecord, notes: SkipNote[]): void {
  for (const note of notes) {
    if (record.skipped.length >= MAX_NOTES) return;
    if (!record.skipped.some((n) => n.path === note.path)) record.skipped.push(note);
  }
}

/** A port that cannot store anything: the first changing step asks (or stops) instead of running unrecorded. */
export class UnavailableCheckpoints implements CheckpointPort {
  constructor(
    readonly taskId: string,
    private readonly reason: string,
  ) {}

  async before(): Promise<SkipNote[]> {
    throw new CheckpointError(this.reason);
  }

  async after(): Promise<undefined> {
    return undefined;
  }
}
