/**
 * A whole-workspace scan for steps whose changes are not known in advance (commands, tasks).
 * Fast when warm: a file whose size, mtime, ctime and inode match the cached index keeps its hash
 * and is not read; only new or changed files are read, hashed and stored. `.git` (at any depth),
 * the excluded folders and the store itself are left out.
 */
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
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

/**
 * One scan in progress: what it has found so far and the folders still to read. Made once per scan,
 * so the per-entry steps below share it instead of allocating anything of their own.
 */
interface Scanning extends Scan {
  root: string;
  options: ScanOptions;
  excluded: Ignore;
  /** Folders to leave out, inside this root. */
  skipDirs: string[];
  /** When the scan began: a file modified this close to it is marked racy. */
  started: number;
  /** Workspace-relative folders still to read ('' is the root). */
  pending: string[];
}

export async function scanWorkspace(root: string, options: ScanOptions): Promise<Scan> {
  const scan = startScan(root, options);
  let visited = 0;
  while (scan.pending.length) {
    const dirRel = scan.pending.pop()!;
    const dirAbs = dirRel ? path.join(root, dirRel) : root;
    for (const dirent of readFolder(scan, dirRel, dirAbs)) {
      if (++visited % YIELD_EVERY === 0) await breathe(options.signal);
      if (dirent.name === '.git') continue;
      const rel = dirRel ? `${dirRel}/${dirent.name}` : dirent.name;
      const abs = path.join(dirAbs, dirent.name);
      let stat: fs.Stats;
      try {
        stat = fs.lstatSync(abs);
      } catch {
        continue; // gone while scanning
      }
      if (stat.isDirectory()) {
        addFolder(scan, rel, abs, stat);
        continue;
      }
      if (scan.excluded.ignores(rel)) continue;
      if (stat.isSymbolicLink()) {
        await addLink(scan, rel, abs);
        continue;
      }
      if (notCopied(scan, rel, stat)) continue;
      scan.files++;
      // Only a file the index cannot vouch for is read (and awaited): a warm scan stays synchronous here.
      if (!addIndexed(scan, rel, stat)) await addHashed(scan, rel, abs, stat);
    }
  }
  const { entries, skipped, index, files, hashed } = scan;
  return { entries, skipped, index, files, hashed };
}

function startScan(root: string, options: ScanOptions): Scanning {
  return {
    root,
    options,
    excluded: ignore().add(options.exclude),
    skipDirs: (options.skipDirs ?? []).filter((d) => isInside(root, d)),
    started: Date.now(),
    pending: [''],
    entries: new Map(),
    skipped: [],
    index: new Map(),
    files: 0,
    hashed: 0,
  };
}

/** A folder's entries; an unreadable folder is noted as skipped and scanned as empty. */
function readFolder(scan: Scanning, dirRel: string, dirAbs: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dirAbs, { withFileTypes: true });
  } catch (error) {
    scan.skipped.push({ path: dirRel || '.', reason: l10n.t('cannot be read ({0})', (error as NodeJS.ErrnoException).code ?? 'error') });
    return [];
  }
}

/** Lets other work run on a large tree, and stops there when the scan is cancelled. */
async function breathe(signal: AbortSignal | undefined): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (signal?.aborted) throw new Error(l10n.t('The scan was cancelled.'));
}

/** Records a folder and queues it to be read, unless it is excluded or one of the skipped folders. */
function addFolder(scan: Scanning, rel: string, abs: string, stat: fs.Stats): void {
  if (scan.excluded.ignores(`${rel}/`) || scan.skipDirs.includes(abs)) return;
  scan.entries.set(rel, { kind: 'dir', mode: stat.mode & 0o7777 });
  scan.pending.push(rel);
}

async function addLink(scan: Scanning, rel: string, abs: string): Promise<void> {
  const link: ReadResult = await linkState(scan.root, abs, rel).catch(() => ({ skip: { path: rel, reason: l10n.t('an unreadable symbolic link') } }));
  if (link.state) scan.entries.set(rel, link.state);
  if (link.skip) scan.skipped.push(link.skip);
}

/** True for what is not a regular file (a socket, a device, …): noted as skipped, not copied. */
function notCopied(scan: Scanning, rel: string, stat: fs.Stats): boolean {
  const special = specialKind(stat);
  if (!special && stat.isFile()) return false;
  scan.skipped.push({ path: rel, reason: l10n.t('{0}: not copied', special ?? l10n.t('not a regular file')) });
  return true;
}

/** Takes a file's hash from the index when its size, times and inode still match; false when it must be read. */
function addIndexed(scan: Scanning, rel: string, stat: fs.Stats): boolean {
  const known = scan.options.index.get(rel);
  if (!known || known.racy || known.size !== stat.size || known.mtimeMs !== stat.mtimeMs || known.ctimeMs !== stat.ctimeMs || known.ino !== stat.ino) {
    return false;
  }
  scan.entries.set(rel, { kind: 'file', hash: known.hash, mode: stat.mode & 0o7777, size: stat.size });
  scan.index.set(rel, known);
  return true;
}

/** Reads, hashes and stores a new or changed file, and indexes it for the next scan. */
async function addHashed(scan: Scanning, rel: string, abs: string, stat: fs.Stats): Promise<void> {
  scan.hashed++;
  const read = await fileState(abs, rel, stat, scan.options.blobs, scan.options.maxFileBytes);
  if (read.skip) scan.skipped.push(read.skip);
  if (read.state?.kind !== 'file') return;
  scan.entries.set(rel, read.state);
  scan.index.set(rel, {
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    ctimeMs: stat.ctimeMs,
    ino: stat.ino,
    hash: read.state.hash,
    ...(Math.max(stat.mtimeMs, stat.ctimeMs) >= scan.started - RACY_MS ? { racy: true } : {}),
  });
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
