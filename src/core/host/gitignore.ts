/**
 * .gitignore rules at every level, as git applies them, with the `ignore` package (the matcher
 * eslint and others use). Rules are loaded lazily per folder and cached.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Never listed or searched, whatever the rules say. */
export const ALWAYS_SKIPPED = new Set(['.git']);
/** Skipped unless the walk starts inside one. */
export const SKIPPED_BY_DEFAULT = new Set(['node_modules']);

export class GitignoreRules {
  private readonly cache = new Map<string, Promise<Ignore | undefined>>();

  constructor(private readonly root: string) {}

  /** Whether a workspace-relative path (forward slashes) is ignored by any .gitignore above it. */
  async ignores(rel: string, isDirectory: boolean): Promise<boolean> {
    const parts = rel.split('/');
    if (parts.some((p) => ALWAYS_SKIPPED.has(p))) return true;
    for (let depth = 0; depth < parts.length; depth++) {
      const base = parts.slice(0, depth).join('/');
      const rules = await this.rulesIn(base);
      if (!rules) continue;
      const local = parts.slice(depth).join('/');
      if (rules.ignores(isDirectory ? `${local}/` : local)) return true;
      // A parent folder being ignored ignores everything in it.
      for (let i = depth + 1; i < parts.length; i++) {
        if (rules.ignores(`${parts.slice(depth, i).join('/')}/`)) return true;
      }
    }
    return false;
  }

  private rulesIn(dirRel: string): Promise<Ignore | undefined> {
    let rules = this.cache.get(dirRel);
    if (!rules) {
      rules = fs
        .readFile(path.join(this.root, dirRel, '.gitignore'), 'utf8')
        .then((text) => ignore().add(text), () => undefined);
      this.cache.set(dirRel, rules);
    }
    return rules;
  }
}
