/**
 * Which files a run changed, as git sees them: the workspace's changes (staged, unstaged,
 * untracked, not ignored) before and after, each with a fingerprint of its content. A file counts
 * when it appears, disappears, or its content differs — whether the agent's edit or a command it
 * ran changed it — while files already changed before the run and left alone do not. Outside a
 * git repository there is nothing to ask, and the caller falls back to the paths the agent's
 * edits wrote.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Each changed path (relative to the workspace) → a fingerprint of what is there ('' when nothing is). */
export type Snapshot = Map<string, string>;

/** Larger files are told apart by size and time rather than read whole. */
const HASHED_BYTES = 64 * 1024 * 1024;

function git(workspace: string, args: string[]): string | undefined {
  // safe.directory: a container job's checkout belongs to another user, and git would refuse it.
  const result = spawnSync('git', ['-c', 'safe.directory=*', ...args], { cwd: workspace, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return result.status === 0 ? result.stdout : undefined;
}

/** The workspace's changed files now; undefined when the workspace is not in a git repository (or git is missing). */
export function snapshot(workspace: string): Snapshot | undefined {
  // NUL-separated paths from the repository's root, so no name is quoted or split.
  const listed = git(workspace, ['-c', 'core.quotePath=false', 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--', '.']);
  const prefix = git(workspace, ['rev-parse', '--show-prefix'])?.replace(/\n$/, '');
  if (listed === undefined || prefix === undefined) return undefined;
  const files: Snapshot = new Map();
  for (const entry of listed.split('\0')) {
    if (entry.length < 4) continue;
    const fromRoot = entry.slice(3);
    const relative = fromRoot.startsWith(prefix) ? fromRoot.slice(prefix.length) : fromRoot;
    files.set(relative, fingerprint(path.join(workspace, relative)));
  }
  return files;
}

/**
 * A regular file's content hash; a link's target; a folder (a submodule) its commit and state.
 * Nothing else is opened: a link to /dev/zero or a FIFO must not stall the step.
 */
function fingerprint(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return '';
  }
  if (stat.isSymbolicLink()) return `link:${fs.readlinkSync(file)}`;
  if (stat.isDirectory()) return `folder:${git(file, ['rev-parse', 'HEAD'])?.trim()}:${git(file, ['status', '--porcelain'])}`;
  if (!stat.isFile()) return `other:${stat.mode}`;
  if (stat.size > HASHED_BYTES) return `large:${stat.size}:${stat.mtimeMs}`;
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return 'unreadable';
  }
}

/** The paths whose state differs between the two snapshots, sorted. */
export function changedBetween(before: Snapshot, after: Snapshot): string[] {
  const changed = new Set<string>();
  for (const [file, state] of after) if (before.get(file) !== state) changed.add(file);
  // Changed before and now back as committed (or deleted and restored): a change too.
  for (const file of before.keys()) if (!after.has(file)) changed.add(file);
  return [...changed].sort();
}
