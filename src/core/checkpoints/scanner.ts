/**
 * A whole-workspace scan for steps whose changes are not known in advance (commands, tasks).
 * Fast when warm: a file whose size, mtime, ctime and inode match the cached index keeps its hash
 * and is not read; only new or changed files are read, hashed and stored. `.git` (at any depth),
 * the excluded folders and the store itself are left out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore from 'ignore';
import { isInside } from '../host/pathSafety';
import type { BlobStore } from './blobStore';
import { fileState, linkState, specialKind, type ReadResult } from './entryState';
import { sameState, type EntryState, type SkipNote } from './types';

export interface IndexEntry {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  hash: string;
  /** Modified within the clock's resolution of the scan: read again next time. */
  racy?: boolean;
}

export type ScanIndex = Map<string, IndexEntry>;

export interface ScanOptions {
  blobs: BlobStore;
  maxFileBytes: number;
  exclude: string[];
  index: ScanIndex;
  /** Folders never scanned (e.g. the store, when it lies inside the workspace). */
  skipDirs?: string[];
  signal?: AbortSignal;
}

export interface Scan {
  entries: Map<string, EntryState>;
  skipped: SkipNote[];
  index: ScanIndex;
  files: number;
  /** Files read and hashed (not trusted from the index). */
  hashed: number;
}

const RACY_MS = 2000;
const YIELD_EVERY = 2000;

export async function scanWorkspace(root: string, options: ScanOptions): Promise<Scan> {
  const excluded = ignore().add(options.exclude);
  const skipDirs = (options.skipDirs ?? []).filter((d) => isInside(root, d));
  const entries = new Map<string, EntryState>();
  const skipped: SkipNote[] = [];
  const index: ScanIndex = new Map();
  const started = Date.now();
  let files = 0;
  let hashed = 0;
  let visited = 0;
  const stack: string[] = [''];
  while (stack.length) {
    const dirRel = stack.pop()!;
    const dirAbs = dirRel ? path.join(root, dirRel) : root;
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(dirAbs, { withFileTypes: true });
    } catch (error) {
      skipped.push({ path: dirRel || '.', reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    for (const dirent of names) {
      if (++visited % YIELD_EVERY === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        if (options.signal?.aborted) throw new Error('The scan was cancelled.');
      }
      const rel = dirRel ? `${dirRel}/${dirent.name}` : dirent.name;
      const abs = path.join(dirAbs, dirent.name);
      if (dirent.name === '.git') continue;
      let stat: fs.Stats;
      try {
        stat = fs.lstatSync(abs);
      } catch {
        continue; // gone while scanning
      }
      if (stat.isDirectory()) {
        if (excluded.ignores(`${rel}/`) || skipDirs.includes(abs)) continue;
        entries.set(rel, { kind: 'dir', mode: stat.mode & 0o7777 });
        stack.push(rel);
        continue;
      }
      if (excluded.ignores(rel)) continue;
      if (stat.isSymbolicLink()) {
        const link: ReadResult = await linkState(root, abs, rel).catch(() => ({ skip: { path: rel, reason: 'an unreadable symbolic link' } }));
        if (link.state) entries.set(rel, link.state);
        if (link.skip) skipped.push(link.skip);
        continue;
      }
      const special = specialKind(stat);
      if (special || !stat.isFile()) {
        skipped.push({ path: rel, reason: `${special ?? 'not a regular file'}: not copied` });
        continue;
      }
      files++;
      const mode = stat.mode & 0o7777;
      const known = options.index.get(rel);
      if (known && !known.racy && known.size === stat.size && known.mtimeMs === stat.mtimeMs && known.ctimeMs === stat.ctimeMs && known.ino === stat.ino) {
        entries.set(rel, { kind: 'file', hash: known.hash, mode, size: stat.size });
        index.set(rel, known);
        continue;
      }
      hashed++;
      const read = await fileState(abs, rel, stat, options.blobs, options.maxFileBytes);
      if (read.skip) skipped.push(read.skip);
      if (read.state?.kind === 'file') {
        entries.set(rel, read.state);
        index.set(rel, {
          size: stat.size,
          mtimeMs: stat.mtimeMs,
          ctimeMs: stat.ctimeMs,
          ino: stat.ino,
          hash: read.state.hash,
          ...(Math.max(stat.mtimeMs, stat.ctimeMs) >= started - RACY_MS ? { racy: true } : {}),
        });
      }
    }
  }
  return { entries, skipped, index, files, hashed };
}

/** Paths whose state differs between two scans (created, deleted, changed content or mode). */
export function changedPaths(before: Map<string, EntryState>, after: Map<string, EntryState>): string[] {
  const out: string[] = [];
  for (const [rel, state] of before) {
    const now = after.get(rel);
    if (!sameState(now, state)) out.push(rel);
  }
  for (const rel of after.keys()) if (!before.has(rel)) out.push(rel);
  return out.sort();
}
