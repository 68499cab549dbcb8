/** File contents stored once by SHA-256, so fifty versions of a file cost fifty distinct contents, not fifty workspaces. */
import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import * as fsSync from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { privateDir, writePrivateFile } from './privateFiles';

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Contents up to this size are written in place (see putSmall). */
const SMALL = 64 * 1024;

export class BlobStore {
  private readonly known = new Set<string>();
  private readonly dirs = new Set<string>();
  /** Bytes written by this process (for the "storage used" line of a task). */
  written = 0;

  constructor(readonly dir: string) {}

  private pathOf(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`Not a content hash: ${hash}`); // l10n-ignore: a programming error, never a stored hash
    return path.join(this.dir, hash.slice(0, 2), hash.slice(2));
  }

  async put(bytes: Uint8Array): Promise<string> {
    const hash = hashBytes(bytes);
    if (this.known.has(hash)) return hash;
    if (bytes.length <= SMALL) return this.putSmall(hash, bytes);
    const file = this.pathOf(hash);
    const exists = await fs.stat(file).then(
      (s) => s.size === bytes.length,
      () => false,
    );
    if (!exists) {
      const sub = path.dirname(file);
      if (!this.dirs.has(sub)) {
        await privateDir(sub);
        this.dirs.add(sub);
      }
      await writePrivateFile(file, bytes);
      this.written += bytes.length;
    }
    this.known.add(hash);
    return hash;
  }

  /**
   * A small content is written in place, synchronously: a cold checkpoint of 10,000 small files is
   * mostly file creation, and a temporary name plus a rename and the thread pool would double it.
   * A copy cut short by a crash has the wrong size, and is written again the next time it is needed.
   */
  private putSmall(hash: string, bytes: Uint8Array): string {
    const file = this.pathOf(hash);
    const sub = path.dirname(file);
    if (!this.dirs.has(sub)) {
      fsSync.mkdirSync(sub, { recursive: true, mode: 0o700 });
      this.dirs.add(sub);
    }
    try {
      fsSync.writeFileSync(file, bytes, { mode: 0o600, flag: 'wx' });
      this.written += bytes.length;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (fsSync.statSync(file).size !== bytes.length) {
        fsSync.rmSync(file, { force: true });
        fsSync.writeFileSync(file, bytes, { mode: 0o600, flag: 'wx' });
      }
    }
    this.known.add(hash);
    return hash;
  }

  async get(hash: string): Promise<Buffer> {
    const bytes = await fs.readFile(this.pathOf(hash));
    if (hashBytes(bytes) !== hash) throw new Error(l10n.t('The stored copy {0} is damaged.', hash.slice(0, 12)));
    return bytes;
  }

  async has(hash: string): Promise<boolean> {
    return fs.stat(this.pathOf(hash)).then(
      () => true,
      () => false,
    );
  }

  /** Every stored hash with its size. */
  async list(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const subs = await fs.readdir(this.dir).catch(() => [] as string[]);
    for (const sub of subs) {
      if (!/^[0-9a-f]{2}$/.test(sub)) continue;
      for (const name of await fs.readdir(path.join(this.dir, sub)).catch(() => [] as string[])) {
        if (!/^[0-9a-f]{62}$/.test(name)) continue;
        const stat = await fs.stat(path.join(this.dir, sub, name)).catch(() => undefined);
        if (stat) out.set(sub + name, stat.size);
      }
    }
    return out;
  }

  async remove(hash: string): Promise<void> {
    this.known.delete(hash);
    await fs.rm(this.pathOf(hash), { force: true });
  }
}
