/**
 * The checkpoint store of one workspace, outside it: task records, restore records (each one its
 * own undo), the scan index, and contents by hash shared by all workspaces. Nothing here uses the
 * user's git. Pruned by age and a size cap, oldest tasks first, never the running task.
 */
import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { BlobStore } from './blobStore';
import { isTaskId } from './port';
import { privateDir, readJson, writePrivateFile } from './privateFiles';
import type { IndexEntry, ScanIndex } from './scanner';
import { CheckpointError, type CheckpointSettings, type EntryState, type RestoreRecord, type TaskRecord } from './types';

export interface StoreUsage {
  bytes: number;
  blobs: number;
}

export class WorkspaceCheckpoints {
  readonly blobs: BlobStore;
  private lastAt = 0;

  private constructor(
    /** The store's top folder (all workspaces). */
    readonly storeDir: string,
    /** This workspace's folder in the store. */
    readonly dir: string,
    readonly root: string,
    readonly settings: CheckpointSettings,
  ) {
    this.blobs = new BlobStore(path.join(storeDir, 'blobs'));
  }

  static folderFor(storeDir: string, root: string): string {
    return path.join(storeDir, 'workspaces', createHash('sha256').update(root).digest('hex').slice(0, 20));
  }

  /** Opens (and with `create`, makes) the store for a workspace; throws CheckpointError when it cannot be written. */
  static async open(storeDir: string, root: string, settings: CheckpointSettings, create = true): Promise<WorkspaceCheckpoints | undefined> {
    const dir = WorkspaceCheckpoints.folderFor(storeDir, root);
    if (
      !create &&
      !(await fs.stat(dir).then(
        () => true,
        () => false,
      ))
    )
      return undefined;
    const store = new WorkspaceCheckpoints(storeDir, dir, root, settings);
    try {
      for (const sub of ['blobs', path.join(dir, 'tasks'), path.join(dir, 'restores')]) await privateDir(path.resolve(storeDir, sub));
      await fs.chmod(storeDir, 0o700).catch(() => {});
      await writePrivateFile(path.join(dir, 'workspace.json'), JSON.stringify({ root }));
    } catch (error) {
      throw new CheckpointError(
        l10n.t('Checkpoints cannot be stored in {0} ({1}).', storeDir, (error as NodeJS.ErrnoException).code ?? (error as Error).message),
      );
    }
    for (const record of [...(await store.tasks()).flatMap((t) => t.steps), ...(await store.restores())]) store.lastAt = Math.max(store.lastAt, record.at);
    return store;
  }

  /** A strictly increasing time stamp: the order of steps and restores in this workspace. */
  nextAt(): number {
    this.lastAt = Math.max(Date.now(), this.lastAt + 1);
    return this.lastAt;
  }

  async tasks(): Promise<TaskRecord[]> {
    const tasks = await this.records<TaskRecord>('tasks', (t) => t.version === 1 && Array.isArray(t.steps));
    return tasks.sort((a, b) => a.started.localeCompare(b.started) || a.id.localeCompare(b.id));
  }

  async task(id: string): Promise<TaskRecord | undefined> {
    if (!isTaskId(id)) return undefined;
    const task = await readJson<TaskRecord>(path.join(this.dir, 'tasks', `${id}.json`));
    return task?.version === 1 ? task : undefined;
  }

  async saveTask(task: TaskRecord): Promise<void> {
    await writePrivateFile(path.join(this.dir, 'tasks', `${task.id}.json`), JSON.stringify(task));
  }

  async restores(): Promise<RestoreRecord[]> {
    const restores = await this.records<RestoreRecord>('restores', (r) => r.version === 1 && Array.isArray(r.ops));
    return restores.sort((a, b) => a.at - b.at);
  }

  /** Every readable record in one of this workspace's folders (a damaged one is skipped). */
  private async records<T>(sub: string, valid: (record: T) => boolean): Promise<T[]> {
    const names = await fs.readdir(path.join(this.dir, sub)).catch(() => [] as string[]);
    const out: T[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const record = await readJson<T>(path.join(this.dir, sub, name));
      if (record && valid(record)) out.push(record);
    }
    return out;
  }

  /** Written durably: a restore's plan must be on disk before its first change. */
  async saveRestore(record: RestoreRecord): Promise<void> {
    await writePrivateFile(path.join(this.dir, 'restores', `${record.id}.json`), JSON.stringify(record), true);
  }

  async loadIndex(): Promise<ScanIndex> {
    const raw = await readJson<Record<string, IndexEntry>>(path.join(this.dir, 'index.json'));
    return new Map(raw && typeof raw === 'object' ? Object.entries(raw) : []);
  }

  async saveIndex(index: ScanIndex): Promise<void> {
    await writePrivateFile(path.join(this.dir, 'index.json'), JSON.stringify(Object.fromEntries(index)));
  }

  async usage(): Promise<StoreUsage> {
    const blobs = await this.blobs.list();
    let bytes = 0;
    for (const size of blobs.values()) bytes += size;
    return { bytes, blobs: blobs.size };
  }

  /**
   * Drops tasks and restores older than the age limit, then the oldest ones while the store is over
   * its cap (never `keep`), and contents nothing refers to any more. Returns the bytes freed.
   */
  async prune(keep?: string): Promise<{ removedTasks: number; freedBytes: number }> {
    const workspaces = await allWorkspaces(this.storeDir);
    const cutoff = Date.now() - this.settings.maxAgeDays * 86_400_000;
    const { records, removedTasks: expired } = await dropExpired(workspaces, keep, cutoff);
    let removedTasks = expired;
    const stored = await this.blobs.list();
    let total = [...stored.values()].reduce((a, b) => a + b, 0);
    const before = total;
    const collect = async (withIndex: boolean) => {
      const keepSet = await referencedHashes(records, withIndex ? workspaces : []);
      for (const [hash, size] of stored) {
        if (keepSet.has(hash)) continue;
        await this.blobs.remove(hash);
        stored.delete(hash);
        total -= size;
      }
    };
    await collect(true);
    if (total > this.settings.maxStorageBytes) {
      // The scan index only makes the next checkpoint faster: it goes before any task does.
      for (const ws of workspaces) await fs.rm(path.join(ws, 'index.json'), { force: true });
      await collect(false);
      records.sort((a, b) => a.at - b.at);
      while (total > this.settings.maxStorageBytes && records.length && records[0]!.at !== Infinity) {
        const oldest = records.shift()!;
        await fs.rm(oldest.file, { force: true });
        if (oldest.file.includes(`${path.sep}tasks${path.sep}`)) removedTasks++;
        await collect(false);
      }
    }
    return { removedTasks, freedBytes: before - total };
  }
}

async function allWorkspaces(storeDir: string): Promise<string[]> {
  const dir = path.join(storeDir, 'workspaces');
  return (await fs.readdir(dir).catch(() => [] as string[])).map((name) => path.join(dir, name));
}

/** A task or restore record prune may drop: `at` is Infinity for one it must keep. */
interface PruneRecord {
  file: string;
  at: number;
  refs: EntryState[];
}

/**
 * Reads every workspace's task and restore records and deletes those older than `cutoff` (never
 * `keep`, nor a restore still applying). Returns the records left and how many tasks went.
 */
async function dropExpired(workspaces: string[], keep: string | undefined, cutoff: number): Promise<{ records: PruneRecord[]; removedTasks: number }> {
  let removedTasks = 0;
  const records: PruneRecord[] = [];
  for (const ws of workspaces) {
    for (const sub of ['tasks', 'restores']) {
      for (const name of await fs.readdir(path.join(ws, sub)).catch(() => [] as string[])) {
        if (!name.endsWith('.json')) continue;
        const file = path.join(ws, sub, name);
        const record = await readJson<TaskRecord & RestoreRecord>(file);
        if (!record) continue;
        const at = sub === 'tasks' ? Date.parse(record.started) : record.at;
        const refs = refsOf(sub, record);
        if (record.id !== keep && at < cutoff && record.status !== 'applying') {
          await fs.rm(file, { force: true });
          if (sub === 'tasks') removedTasks++;
          continue;
        }
        records.push({ file, at: record.id === keep || record.status === 'applying' ? Infinity : at, refs });
      }
    }
  }
  return { records, removedTasks };
}

/** The contents a record refers to: its steps' before and after states, or its operations' from and to. */
function refsOf(sub: string, record: TaskRecord & RestoreRecord): EntryState[] {
  return sub === 'tasks'
    ? (record.steps ?? []).flatMap((s) => [...Object.values(s.before), ...Object.values(s.after)])
    : (record.ops ?? []).flatMap((o) => [o.from, o.to]);
}

/** The hashes still in use: by the records kept and by the scan indexes of `indexed` workspaces. */
async function referencedHashes(records: PruneRecord[], indexed: string[]): Promise<Set<string>> {
  const set = new Set<string>();
  for (const r of records) for (const s of r.refs) if (s.kind === 'file') set.add(s.hash);
  for (const ws of indexed) for (const e of Object.values((await readJson<Record<string, IndexEntry>>(path.join(ws, 'index.json'))) ?? {})) set.add(e.hash);
  return set;
}
