/**
 * Walks a workspace folder the way git sees it: `.gitignore` files at every level, `.git` never
 * entered, `node_modules` skipped unless the walk starts inside it. Symlinks are listed but never
 * followed.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ALWAYS_SKIPPED, GitignoreRules, SKIPPED_BY_DEFAULT } from './gitignore';

export interface WalkEntry {
  rel: string;
  isDirectory: boolean;
}

export class FileWalker {
  private readonly rules: GitignoreRules;

  constructor(private readonly root: string) {
    this.rules = new GitignoreRules(root);
  }

  /** Direct children of `dirRel` that are not ignored, sorted. */
  async list(dirRel: string): Promise<WalkEntry[]> {
    let dirents: import('node:fs').Dirent[];
    try {
      dirents = await fs.readdir(path.join(this.root, dirRel), { withFileTypes: true });
    } catch {
      return [];
    }
    const insideDefaultSkipped = dirRel.split('/').some((part) => SKIPPED_BY_DEFAULT.has(part));
    const result: WalkEntry[] = [];
    for (const dirent of dirents) {
      if (ALWAYS_SKIPPED.has(dirent.name)) continue;
      const isDirectory = dirent.isDirectory();
      if (isDirectory && SKIPPED_BY_DEFAULT.has(dirent.name) && !insideDefaultSkipped) continue;
      const rel = dirRel ? `${dirRel}/${dirent.name}` : dirent.name;
      if (await this.rules.ignores(rel, isDirectory)) continue;
      result.push({ rel, isDirectory });
    }
    return result.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  }

  /** Every non-ignored file below `dirRel`, depth-first in sorted order. */
  async *files(dirRel: string): AsyncGenerator<string> {
    for (const entry of await this.list(dirRel)) {
      if (entry.isDirectory) yield* this.files(entry.rel);
      else yield entry.rel;
    }
  }
}
