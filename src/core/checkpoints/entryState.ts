/**
 * The state of one workspace path, read without following a symlink out of the workspace and
 * without blocking on a FIFO; a file's bytes go into the blob store as they are read.
 */
import * as l10n from '@vscode/l10n';
import * as fsSync from 'node:fs';
import { constants, type Stats } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isInside } from '../host/pathSafety';
import type { BlobStore } from './blobStore';
import type { EntryState, SkipNote } from './types';

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

export interface ReadResult {
  state?: EntryState;
  skip?: SkipNote;
}

/** Inside `.git` at any depth: never recorded, never restored. */
export function isGitPath(rel: string): boolean {
  return rel.split('/').includes('.git');
}

export function megabytes(bytes: number): string {
  if (bytes < 100 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${Math.round((bytes / 1024 ** 2) * 10) / 10} MB`;
}

/** Why a non-regular, non-folder entry is left alone. */
export function specialKind(stat: Stats): string | undefined {
  if (stat.isFIFO()) return l10n.t('a named pipe (FIFO)');
  if (stat.isSocket()) return l10n.t('a socket');
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return l10n.t('a device');
  return undefined;
}

/** A symlink's state when it points inside the workspace; a note when it points out. */
export async function linkState(root: string, abs: string, rel: string): Promise<ReadResult> {
  const target = await fs.readlink(abs);
  const resolved = path.resolve(path.dirname(abs), target);
  const real = await fs.realpath(abs).catch(() => resolved);
  if (!isInside(root, resolved) || !isInside(root, real)) {
    return { skip: { path: rel, reason: l10n.t('a symbolic link pointing outside the workspace: not followed, not restored') } };
  }
  return { state: { kind: 'symlink', target } };
}

/**
 * A regular file's state, its bytes stored. A file that cannot be read becomes a note; a store that
 * cannot be written throws (the caller decides whether the step may run without a checkpoint).
 */
export async function fileState(abs: string, rel: string, stat: Stats, blobs: BlobStore, maxFileBytes: number): Promise<ReadResult> {
  const mode = stat.mode & 0o7777;
  if (stat.size > maxFileBytes) {
    return { skip: { path: rel, reason: l10n.t('larger than the {0} checkpoint cap ({1}): not copied', megabytes(maxFileBytes), megabytes(stat.size)) } };
  }
  let bytes: Buffer;
  try {
    if (stat.size <= SMALL_READ) {
      bytes = readSmall(abs);
      if (bytes.length > maxFileBytes) return { skip: { path: rel, reason: overCap(maxFileBytes) } };
      return { state: { kind: 'file', hash: await blobs.put(bytes), mode, size: bytes.length } };
    }
    const handle = await fs.open(abs, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    try {
      if (!(await handle.stat()).isFile()) return { skip: { path: rel, reason: l10n.t('changed into something other than a file while it was read') } };
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { state: { kind: 'absent' } };
    return { skip: { path: rel, reason: l10n.t('cannot be read ({0})', code ?? (error as Error).message) } };
  }
  if (bytes.length > maxFileBytes) return { skip: { path: rel, reason: overCap(maxFileBytes) } };
  return { state: { kind: 'file', hash: await blobs.put(bytes), mode, size: bytes.length } };
}

function overCap(maxFileBytes: number): string {
  return l10n.t('larger than the {0} checkpoint cap: not copied', megabytes(maxFileBytes));
}

/** Small files are read synchronously: across thousands of them the thread pool costs more than the reads. */
const SMALL_READ = 64 * 1024;

function readSmall(abs: string): Buffer {
  const fd = fsSync.openSync(abs, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  try {
    if (!fsSync.fstatSync(fd).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EINVAL' }); // l10n-ignore: never shown (its code is)
    return fsSync.readFileSync(fd);
  } finally {
    fsSync.closeSync(fd);
  }
}

/** Reads one workspace-relative path (forward slashes) as it is now. */
export async function readEntry(root: string, rel: string, blobs: BlobStore, maxFileBytes: number): Promise<ReadResult> {
  if (isGitPath(rel)) return { skip: { path: rel, reason: l10n.t('inside .git, which checkpoints never touch') } };
  const abs = path.join(root, ...rel.split('/'));
  if (!isInside(root, abs) || abs === root) return { skip: { path: rel, reason: l10n.t('not a path inside the workspace') } };
  // A parent folder that is a symlink out of the workspace is not followed.
  const parent = await fs.realpath(path.dirname(abs)).catch(() => undefined);
  if (parent !== undefined && !isInside(root, parent)) {
    return { skip: { path: rel, reason: l10n.t('inside a folder that links outside the workspace: not followed') } };
  }
  let stat: Stats;
  try {
    stat = await fs.lstat(abs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { state: { kind: 'absent' } };
    throw error;
  }
  if (stat.isSymbolicLink()) return linkState(root, abs, rel);
  if (stat.isDirectory()) return { state: { kind: 'dir', mode: stat.mode & 0o7777 } };
  const special = specialKind(stat);
  if (special) return { skip: { path: rel, reason: l10n.t('{0}: not copied', special) } };
  return fileState(abs, rel, stat, blobs, maxFileBytes);
}
