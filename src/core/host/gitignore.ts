/**
 * Ignore rules at every level, as git (and ripgrep) apply them, with the `ignore` package: in each
 * folder `.gitignore`, then `.ignore`, then `.rgignore` (a later file wins, as in ripgrep); a deeper
 * folder's rules win over a shallower one's (`!keep.log` in `logs/.gitignore` re-includes what the
 * root ignores); and nothing inside an ignored folder can be re-included. Loaded lazily, cached.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Never listed or searched, whatever the rules say. */
export const ALWAYS_SKIPPED = new Set(['.git']);
/** Skipped unless the walk starts inside one. */
export const SKIPPED_BY_DEFAULT = new Set(['node_modules']);

const RULE_FILES = ['.gitignore', '.ignore', '.rgignore'];

export class GitignoreRules {
  private readonly cache = new Map<string, Promise<Ignore | undefined>>();

  constructor(private readonly root: string) {}

  /** Whether a workspace-relative path (forward slashes) is ignored by the rules above it. */
  async ignores(rel: string, isDirectory: boolean): Promise<boolean> {
    const parts = rel.split('/');
    if (parts.some((p) => ALWAYS_SKIPPED.has(p))) return true;
    // A file in an ignored folder cannot be re-included.
    for (let i = 1; i < parts.length; i++) {
      if (await this.ownVerdict(parts.slice(0, i), true)) return true;
    }
    return this.ownVerdict(parts, isDirectory);
  }

  /** The path's own verdict: the deepest folder whose rules say anything about it decides. */
  private async ownVerdict(parts: string[], isDirectory: boolean): Promise<boolean> {
    for (let depth = parts.length - 1; depth >= 0; depth--) {
      const rules = await this.rulesIn(parts.slice(0, depth).join('/'));
      if (!rules) continue;
      const local = parts.slice(depth).join('/');
      const result = rules.test(isDirectory ? `${local}/` : local);
      if (result.ignored) return true;
      if (result.unignored) return false;
    }
    return false;
  }

  private rulesIn(dirRel: string): Promise<Ignore | undefined> {
    let rules = this.cache.get(dirRel);
    if (!rules) {
      rules = Promise.all(RULE_FILES.map((name) => fs.readFile(path.join(this.root, dirRel, name), 'utf8').catch(() => undefined))).then((texts) => {
        const present = texts.filter((t): t is string => t !== undefined);
        return present.length ? ignore().add(present.join('\n')) : undefined;
      });
      this.cache.set(dirRel, rules);
    }
    return rules;
  }
}
