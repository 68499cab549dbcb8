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

/** What git runs from a hooks folder: when `core.hooksPath` is the workspace root, these names there are protected. */
const HOOK_NAMES = [
  'applypatch-msg',
  'pre-applypatch',
  'post-applypatch',
  'pre-commit',
  'pre-merge-commit',
  'prepare-commit-msg',
  'commit-msg',
  'post-commit',
  'pre-rebase',
  'post-checkout',
  'post-merge',
  'pre-push',
  'pre-receive',
  'update',
  'proc-receive',
  'post-receive',
  'post-update',
  'reference-transaction',
  'push-to-checkout',
  'pre-auto-gc',
  'post-rewrite',
  'sendemail-validate',
  'fsmonitor-watchman',
  'p4-changelist',
  'p4-prepare-changelist',
  'p4-post-changelist',
  'p4-pre-submit',
  'post-index-change',
];

export async function loadProtection(root: string): Promise<ProtectedPaths> {
  const [ignoreText, hooksPath, caseInsensitive] = await Promise.all([
    readSmallFile(path.join(root, '.stepwiseignore')),
    findHooksFolder(root),
    detectCaseInsensitive(root),
  ]);
  const extraFolders =
    hooksPath === undefined
      ? []
      : hooksPath === '.'
        ? HOOK_NAMES
        : [hooksPath, ...(path.posix.basename(hooksPath) === '_' ? [path.posix.dirname(hooksPath)] : [])];
  return new ProtectedPaths(ignoreText ?? '', { extraFolders, ...(caseInsensitive !== undefined ? { caseInsensitive } : {}) });
}

/**
 * The hooks folder git uses for this workspace, from the repository's config files: `.git/config`,
 * or — where `.git` is a file (a linked worktree, a submodule) — the config of the git folder it
 * points to and of that folder's common directory. Read for protection only, never shown.
 */
async function findHooksFolder(root: string): Promise<string | undefined> {
  const dotGit = path.join(root, '.git');
  const stat = await fs.lstat(dotGit).catch(() => undefined);
  const configs: string[] = [];
  if (stat?.isDirectory()) configs.push(path.join(dotGit, 'config'));
  else if (stat?.isFile()) {
    const pointer = /^gitdir:\s*(.+)$/m.exec((await readSmallFile(dotGit)) ?? '')?.[1]?.trim();
    if (pointer) {
      const gitDir = path.resolve(root, pointer);
      const common = (await readSmallFile(path.join(gitDir, 'commondir')))?.trim();
      if (common) configs.push(path.join(path.resolve(gitDir, common), 'config'));
      configs.push(path.join(gitDir, 'config'), path.join(gitDir, 'config.worktree'));
    }
  }
  let found: string | undefined;
  for (const file of configs) {
    const text = await readSmallFile(file);
    const folder = text === undefined ? undefined : hooksFolder(text, root);
    if (folder !== undefined) found = folder; // later files (worktree config) win, as in git
  }
  return found;
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
