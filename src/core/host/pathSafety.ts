/**
 * Path safety, in one place: every path the model names is resolved, realpath'd (for a file that
 * does not exist yet, through its nearest existing ancestor) and checked to stay inside the
 * workspace, separator-aware. Anything else is refused with a message the model can act on.
 */
// l10n-ignore-file: host errors and notes are tool results for the model
import { lstatSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { PathError } from './host';

export interface ResolvedPath {
  /** Absolute, symlinks resolved: the file that would really be touched. */
  real: string;
  /** Workspace-relative with forward slashes ('' for the root), from the real path. */
  rel: string;
}

export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..' + path.sep) && rel !== '..' && !path.isAbsolute(rel));
}

export function toPosix(rel: string): string {
  return rel.split(path.sep).join('/');
}

/** Resolves `requested` against the workspace `root` (itself already a realpath). */
export async function resolveInWorkspace(root: string, requested: string): Promise<ResolvedPath> {
  if (typeof requested !== 'string' || requested.includes('\0')) {
    throw new PathError('The path is not valid.');
  }
  const trimmed = requested.trim() === '' ? '.' : requested.trim();
  const lexical = path.resolve(root, trimmed);
  if (!isInside(root, lexical)) {
    throw new PathError(`"${requested}" is outside the workspace. Use a path relative to the workspace root, e.g. "src/index.ts".`);
  }
  const real = await realpathOfNearestExisting(lexical);
  if (!isInside(root, real)) {
    throw new PathError(`"${requested}" leads outside the workspace through a symbolic link; it cannot be used.`);
  }
  return { real, rel: toPosix(path.relative(root, real)) };
}

/** realpath of the path itself, or of its nearest existing ancestor with the rest appended. */
export async function realpathOfNearestExisting(absolute: string): Promise<string> {
  const rest: string[] = [];
  let current = absolute;
  for (;;) {
    // Found without an exception per missing level (most paths a command names do not exist): an
    // lstat that returns undefined for "no such entry" takes microseconds; a thrown error takes tens.
    const entry = lstatQuiet(current);
    if (entry) {
      try {
        const real = await fs.realpath(current);
        return rest.length ? path.join(real, ...rest.reverse()) : real;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
        // A dangling symlink must not be followed later by a write: refuse it outright.
        if (entry.isSymbolicLink()) throw new PathError(`"${path.basename(current)}" is a broken symbolic link; it cannot be used.`);
      }
    }
    const parent = path.dirname(current);
    if (parent === current) return absolute;
    rest.push(path.basename(current));
    current = parent;
  }
}

function lstatQuiet(file: string): import('node:fs').Stats | undefined {
  try {
    return lstatSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined; // ENOTDIR and the like: treated as missing, as before
  }
}
