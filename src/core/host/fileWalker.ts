/**
 * Walks a workspace folder the way git sees it: `.gitignore` files at every level (with the
 * `ignore` package, the matcher eslint and others use), `.git` never entered, `node_modules`
 * skipped unless the walk starts inside it. Symlinks are listed but never followed.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

interface IgnoreLayer {
  /** Folder of the .gitignore, workspace-relative with forward slashes ('' for the root). */
  base: string;
  rules: Ignore;
}

const ALWAYS_SKIPPED = new Set(['.git']);
const SKIPPED_BY_DEFAULT = new Set(['node_modules']);

export interface WalkEntry {
  rel: string;
  isDirectory: boolean;
}

export class FileWalker {
  constructor(private readonly root: string) {}

  /** Direct children of `startRel` (not ignored), directories first-class, sorted. */
  async list(startRel: string): Promise<WalkEntry[]> {
    const layers = await this.layersFor(startRel);
    return this.children(startRel, layers);
  }

  /** Every non-ignored file below `startRel`, depth-first in sorted order. */
  async *files(startRel: string): AsyncGenerator<string> {
    const layers = await this.layersFor(startRel);
    yield* this.walk(startRel, layers, true);
  }

  private async *walk(dirRel: string, layers: IgnoreLayer[], isStart: boolean): AsyncGenerator<string> {
    const here = await this.withLayer(dirRel, layers, isStart);
    for (const entry of await this.children(dirRel, here)) {
      if (entry.isDirectory) yield* this.walk(entry.rel, here, false);
      else yield entry.rel;
    }
  }

  private async children(dirRel: string, layers: IgnoreLayer[]): Promise<WalkEntry[]> {
    let dirents: import('node:fs').Dirent[];
    try {
      dirents = await fs.readdir(path.join(this.root, dirRel), { withFileTypes: true });
    } catch {
      return [];
    }
    const insideDefaultSkipped = dirRel.split('/').some((part) => SKIPPED_BY_DEFAULT.has(part));
    const result: WalkEntry[] = [];
    for (const dirent of dirents) {
      const name = dirent.name;
      if (ALWAYS_SKIPPED.has(name)) continue;
      const isDirectory = dirent.isDirectory();
      if (isDirectory && SKIPPED_BY_DEFAULT.has(name) && !insideDefaultSkipped) continue;
      const rel = dirRel ? `${dirRel}/${name}` : name;
      if (isIgnored(rel, isDirectory, layers)) continue;
      result.push({ rel, isDirectory });
    }
    return result.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  }

  /** The .gitignore layers from the root down to (and including) `startRel`. */
  private async layersFor(startRel: string): Promise<IgnoreLayer[]> {
    let layers: IgnoreLayer[] = [];
    const parts = startRel ? startRel.split('/') : [];
    for (let i = 0; i < parts.length; i++) {
      layers = await this.withLayer(parts.slice(0, i).join('/'), layers, false);
    }
    return this.withLayer(startRel, layers, false);
  }

  private async withLayer(dirRel: string, layers: IgnoreLayer[], alreadyLoaded: boolean): Promise<IgnoreLayer[]> {
    if (alreadyLoaded) return layers;
    const text = await fs.readFile(path.join(this.root, dirRel, '.gitignore'), 'utf8').catch(() => undefined);
    if (text === undefined) return layers;
    return [...layers, { base: dirRel, rules: ignore().add(text) }];
  }
}

function isIgnored(rel: string, isDirectory: boolean, layers: IgnoreLayer[]): boolean {
  for (const layer of layers) {
    const local = layer.base ? rel.slice(layer.base.length + 1) : rel;
    if (!local) continue;
    if (layer.rules.ignores(isDirectory ? `${local}/` : local)) return true;
  }
  return false;
}
