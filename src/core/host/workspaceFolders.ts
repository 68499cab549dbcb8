/**
 * Paths in a workspace of several folders (VS Code's multi-root). Every path Stepwise shows starts
 * with its folder's name (`app/src/main.ts`, `docs/guide.md`), the first folder's too; a path
 * without a folder's name is read in the first folder, where commands run.
 *
 * A first segment that names a folder and is also an entry of the first folder (`docs/guide.md`
 * with a folder `docs` and an `app/docs/`) could mean either: the one that exists is taken, and
 * when both or neither exist the path is refused naming both, so that an edit never lands in the
 * other folder by a coincidence of names. So that what Stepwise shows always reads back as the
 * same file, a folder whose name is also an entry of the first folder is shown by absolute paths.
 */
// l10n-ignore-file: host errors and notes are tool results for the model
import { lstatSync } from 'node:fs';
import * as path from 'node:path';
import { PathError } from './host';
import { isInside } from './pathSafety';

export interface Folder {
  name: string;
  /** The folder's real path on disk. */
  root: string;
}

/** Which folder a requested path is in, and the path within it (not yet checked: path safety does that). */
export interface FolderPath {
  index: number;
  rel: string;
}

export function pickFolder(folders: readonly Folder[], requested: string, exists: (absolute: string) => boolean = entryExists): FolderPath {
  if (folders.length <= 1) return { index: 0, rel: requested };
  if (path.isAbsolute(requested)) return folderOfDisplay(folders, requested);
  const normalized = requested.replace(/\\/g, '/').replace(/^(\.\/+)+/, '');
  const [head = '', ...rest] = normalized.split('/');
  const named = folders.flatMap((f, i) => (f.name === head ? [i] : []));
  if (named.length === 0) return { index: 0, rel: normalized };
  if (named.length > 1)
    throw new PathError(`Several workspace folders are named "${head}", so "${requested}" could be in any of them: give the absolute path.`);
  const prefixed = { index: named[0]!, rel: rest.join('/') };
  const first = folders[0]!;
  if (!exists(path.join(first.root, head))) return prefixed;
  const prefixedExists = exists(path.join(folders[prefixed.index]!.root, prefixed.rel));
  const inFirstExists = exists(path.join(first.root, normalized));
  if (prefixedExists !== inFirstExists) return prefixedExists ? prefixed : { index: 0, rel: normalized };
  const inFirst = displayPath(folders, 0, normalized, exists);
  const inOther = displayPath(folders, prefixed.index, prefixed.rel, exists);
  throw new PathError(
    `"${requested}" is ambiguous in this workspace of several folders: it could be "${inFirst}" (in the first folder, ${first.name}) ` +
      `or "${inOther}" (in the folder ${folders[prefixed.index]!.name}). Write the one you mean.`,
  );
}

/** The folder of a path Stepwise showed (displayIn): never ambiguous, so it is read without looking at the disk. */
export function folderOfDisplay(folders: readonly { name: string; root?: string }[], display: string): FolderPath {
  if (folders.length <= 1) return { index: 0, rel: display };
  if (path.isAbsolute(display)) {
    const index = folderOfAbsolute(folders, display);
    const root = folders[index]!.root;
    // Outside every folder: left absolute, for path safety to refuse.
    return { index, rel: root && isInside(root, display) ? path.relative(root, display).split(path.sep).join('/') : display };
  }
  const [head = '', ...rest] = display.replace(/\\/g, '/').split('/');
  const index = folders.findIndex((f) => f.name === head);
  return index < 0 ? { index: 0, rel: display } : { index, rel: rest.join('/') };
}

/** What the model and the user see: with several folders, prefixed with the folder's name (or absolute, above). */
export function displayPath(folders: readonly Folder[], index: number, rel: string, exists: (absolute: string) => boolean = entryExists): string {
  return displayIn(folders, index, exists)(rel);
}

/** Turns paths relative to folder `index` into display paths (the clash is checked once, for a whole listing). */
export function displayIn(folders: readonly Folder[], index: number, exists: (absolute: string) => boolean = entryExists): (rel: string) => string {
  if (folders.length <= 1) return (rel) => rel;
  const { name, root } = folders[index]!;
  if (exists(path.join(folders[0]!.root, name))) return (rel) => path.join(root, rel);
  return (rel) => (rel ? `${name}/${rel}` : name);
}

/** The folder holding an absolute path: the deepest, since folders may be nested (the first when none). */
function folderOfAbsolute(folders: readonly { root?: string }[], absolute: string): number {
  let best = 0;
  let depth = -1;
  for (const [i, f] of folders.entries()) {
    if (f.root !== undefined && isInside(f.root, absolute) && f.root.length > depth) {
      best = i;
      depth = f.root.length;
    }
  }
  return best;
}

function entryExists(absolute: string): boolean {
  try {
    lstatSync(absolute);
    return true;
  } catch {
    return false;
  }
}
