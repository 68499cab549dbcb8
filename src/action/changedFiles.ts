/**
 * Which files a run changed, as git sees them: the workspace's changes (staged, unstaged,
 * untracked, not ignored) before and after, each with a hash of its content. A file counts when
 * it appears, disappears, or its content differs — whether the agent's edit or a command it ran
 * changed it — while files already changed before the run and left alone do not. Outside a git
 * repository there is nothing to ask, and the caller falls back to the paths the agent's edits wrote.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Each changed path (relative to the workspace) → a hash of its content, or '' when it is gone. */
export type Snapshot = Map<string, string>;

function git(workspace: string, args: string[]): string | undefined {
  const result = spawnSync('git', args, { cwd: workspace, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return result.status === 0 ? result.stdout : undefined;
}

/** The workspace's changed files now; undefined when the workspace is not in a git repository (or git is missing). */
export function snapshot(workspace: string): Snapshot | undefined {
  // Paths relative to the workspace, NUL-separated, so no name is quoted or split.
  const listed = git(workspace, ['-c', 'core.quotePath=false', 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--', '.']);
  const prefix = git(workspace, ['rev-parse', '--show-prefix']);
  if (listed === undefined || prefix === undefined) return undefined;
  const files: Snapshot = new Map();
  for (const entry of listed.split('\0')) {
    if (entry.length < 4) continue;
    const fromRoot = entry.slice(3);
    const relative = fromRoot.startsWith(prefix.trim()) ? fromRoot.slice(prefix.trim().length) : fromRoot;
    files.set(relative, contentHash(path.join(workspace, relative)));
  }
  return files;
}

function contentHash(file: string): string {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return '';
  }
}

/** The paths whose state differs between the two snapshots, sorted. */
export function changedBetween(before: Snapshot, after: Snapshot): string[] {
  const changed = new Set<string>();
  for (const [file, hash] of after) if (before.get(file) !== hash) changed.add(file);
  // Changed before and now back as committed (or deleted and restored): a change too.
  for (const file of before.keys()) if (!after.has(file)) changed.add(file);
  return [...changed].sort();
}
