/**
 * Builds a workspace's ProtectedPaths from what is on disk when a task starts: its
 * `.stepwiseignore`, the `core.hooksPath` folder named in `.git/config` (a `.husky/` is as
 * dangerous as `.git/hooks`), and whether the file system ignores case.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ProtectedPaths } from '../protectedPaths';
import { isInside, toPosix } from './pathSafety';

const MAX_CONFIG_BYTES = 1024 * 1024;

export async function loadProtection(root: string): Promise<ProtectedPaths> {
  const [ignoreText, hooksPath, caseInsensitive] = await Promise.all([
    readSmallFile(path.join(root, '.stepwiseignore')),
    readSmallFile(path.join(root, '.git', 'config')).then((text) => (text ? hooksFolder(text, root) : undefined)),
    detectCaseInsensitive(root),
  ]);
  const extraFolders = hooksPath ? [hooksPath, ...(path.posix.basename(hooksPath) === '_' ? [path.posix.dirname(hooksPath)] : [])] : [];
  return new ProtectedPaths(ignoreText ?? '', { extraFolders: extraFolders.filter((f) => f !== '.'), ...(caseInsensitive !== undefined ? { caseInsensitive } : {}) });
}

/** A regular file's text, or undefined (missing, special, too large). Never follows into a FIFO. */
async function readSmallFile(file: string): Promise<string | undefined> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile() || stat.size > MAX_CONFIG_BYTES) return undefined;
  return fs.readFile(file, 'utf8').catch(() => undefined);
}

/**
 * The workspace-relative folder `core.hooksPath` names in a git config, when it lies inside the
 * workspace (husky sets `.husky/_`, whose scripts run `.husky/<hook>`: its parent is protected too).
 */
export function hooksFolder(configText: string, root: string): string | undefined {
  let section = '';
  let value: string | undefined;
  for (const raw of configText.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"[^"]*")?\s*\]/.exec(line);
    if (header) {
      section = (header[1] ?? '').toLowerCase();
      continue;
    }
    if (section !== 'core') continue;
    const entry = /^hookspath\s*=\s*(.*)$/i.exec(line);
    if (entry) value = unquote(entry[1] ?? ''); // the last one wins, as in git
  }
  if (!value || value.startsWith('~')) return undefined;
  const absolute = path.resolve(root, value);
  if (!isInside(root, absolute)) return undefined;
  return toPosix(path.relative(root, absolute)) || '.';
}

function unquote(text: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (c === '\\' && i + 1 < text.length) out += text[++i];
    else if ((c === '#' || c === ';') && !quoted) break;
    else out += c;
  }
  return out.trim();
}

/** Whether the folder's file system ignores case: the root under another case is the same folder. */
async function detectCaseInsensitive(root: string): Promise<boolean | undefined> {
  const base = path.basename(root);
  const flipped = [...base].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
  if (flipped === base) return undefined;
  const [a, b] = await Promise.all([fs.stat(root).catch(() => undefined), fs.stat(path.join(path.dirname(root), flipped)).catch(() => undefined)]);
  if (!a) return undefined;
  return b !== undefined && a.ino === b.ino && a.dev === b.dev;
}
