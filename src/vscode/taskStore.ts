/**
 * Task history, per workspace, in the extension's storage folder: one JSON file per task plus an
 * index, each written atomically (temporary file + rename), so a crash or reload never leaves a
 * half-written task. Saves while a task streams are coalesced. A save never rejects: storage that
 * is full or read-only is reported through `onError` (the task goes on; its history is incomplete).
 */
import { writePrivateFile } from '../core/checkpoints/privateFiles';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { TaskSummary, TaskView } from '../protocol/messages';
import { markInterrupted } from '../protocol/taskReducer';

const SAVE_DELAY_MS = 400;
const MAX_TASKS = 200;

export class TaskStore {
  private readonly dir: string;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private index: TaskSummary[] | undefined;
  /** Writes run one after another: the index is read-modify-written. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    storageDir: string,
    private readonly onError: (error: Error) => void = () => {},
  ) {
    this.dir = path.join(storageDir, 'tasks');
  }

  async list(): Promise<TaskSummary[]> {
    if (!this.index) {
      const text = await fs.readFile(path.join(this.dir, 'index.json'), 'utf8').catch(() => '[]');
      try {
        this.index = (JSON.parse(text) as TaskSummary[]).filter((t) => typeof t?.id === 'string');
      } catch {
        this.index = [];
      }
    }
    return this.index;
  }

  async load(id: string): Promise<TaskView | undefined> {
    if (!/^[\w-]+$/.test(id)) return undefined;
    try {
      return JSON.parse(await fs.readFile(path.join(this.dir, `${id}.json`), 'utf8')) as TaskView;
    } catch {
      return undefined;
    }
  }

  /** Saves soon (coalescing bursts of events), or now with `immediately`. */
  save(task: TaskView, immediately = false): Promise<void> {
    const pending = this.timers.get(task.id);
    if (pending) clearTimeout(pending);
    if (immediately) {
      this.timers.delete(task.id);
      return this.write(task);
    }
    this.timers.set(
      task.id,
      setTimeout(() => {
        this.timers.delete(task.id);
        void this.write(task);
      }, SAVE_DELAY_MS),
    );
    return Promise.resolve();
  }

  /** After a reload: tasks recorded as running were interrupted; mark them so, never re-run them. */
  async recoverInterrupted(): Promise<void> {
    for (const summary of await this.list()) {
      if (summary.status !== 'running') continue;
      const task = await this.load(summary.id);
      if (task) await this.write(markInterrupted(task));
      else summary.status = 'interrupted';
    }
  }

  private write(task: TaskView): Promise<void> {
    const snapshot = JSON.stringify(task);
    const next = this.queue
      .then(() => this.writeNow(task, snapshot))
      .catch((error: unknown) => this.onError(error instanceof Error ? error : new Error(String(error))));
    this.queue = next;
    return next;
  }

  private async writeNow(task: TaskView, snapshot: string): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await atomicWrite(path.join(this.dir, `${task.id}.json`), snapshot);
    const index = (await this.list()).filter((t) => t.id !== task.id);
    index.unshift({ id: task.id, goal: task.goal, status: task.status, createdAt: task.createdAt });
    this.index = index.sort((a, b) => b.createdAt - a.createdAt).slice(0, MAX_TASKS);
    await atomicWrite(path.join(this.dir, 'index.json'), JSON.stringify(this.index));
  }
}

/** Written whole (a temporary file, then rename), readable by the user only. */
const atomicWrite = (file: string, text: string): Promise<void> => writePrivateFile(file, text);
