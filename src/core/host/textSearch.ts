/**
 * Workspace text search: ripgrep when it is available (fast, .gitignore-aware), otherwise a
 * JavaScript scan over the same files list_files sees. Both return the same capped shape.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { FileWalker } from './fileWalker';
import { HostError, type SearchMatch, type SearchResult } from './host';
import { isInside } from './pathSafety';

export interface SearchRequest {
  /** Absolute workspace root (a realpath). */
  root: string;
  /** Workspace-relative folder or file to search ('' for the root). */
  target: string;
  targetIsFile: boolean;
  query: string;
  regex: boolean;
  glob?: string;
  maxMatches: number;
}

const MAX_LINE_CHARS = 300;
const MAX_SCANNED_FILE_BYTES = 2 * 1024 * 1024;

function clip(line: string): string {
  const trimmed = line.replace(/\r?\n$/, '');
  return trimmed.length > MAX_LINE_CHARS ? `${trimmed.slice(0, MAX_LINE_CHARS)}…` : trimmed;
}

/** Smart case, as in ripgrep: case-insensitive unless the query has an upper-case letter. */
function caseInsensitive(query: string): boolean {
  return query === query.toLowerCase();
}

export function buildMatcher(query: string, regex: boolean): RegExp {
  const source = regex ? query : query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  try {
    return new RegExp(source, caseInsensitive(query) ? 'i' : '');
  } catch (error) {
    throw new HostError(`The regular expression is not valid (${(error as Error).message}). Fix it, or set regex to false for a plain-text search.`);
  }
}

export async function searchWithJs(request: SearchRequest): Promise<SearchResult> {
  const matcher = buildMatcher(request.query, request.regex);
  const globMatch = request.glob ? picomatch(request.glob, { basename: true, dot: true }) : undefined;
  const matches: SearchMatch[] = [];
  const walker = new FileWalker(request.root);
  const files = request.targetIsFile ? single(request.target) : walker.files(request.target);
  for await (const rel of files) {
    if (globMatch && !globMatch(rel)) continue;
    const text = await readTextForSearch(request.root, path.join(request.root, rel));
    if (text === undefined) continue;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (!matcher.test(line)) continue;
      if (matches.length === request.maxMatches) return { matches, truncated: true, engine: 'builtin' };
      matches.push({ path: rel, line: i + 1, text: clip(line) });
    }
  }
  return { matches, truncated: false, engine: 'builtin' };
}

async function* single(rel: string): AsyncGenerator<string> {
  yield rel;
}

async function readTextForSearch(root: string, file: string): Promise<string | undefined> {
  // A symlink may point anywhere: only read what really lies inside the workspace.
  const real = await fs.realpath(file).catch(() => undefined);
  if (!real || !isInside(root, real)) return undefined;
  const stat = await fs.stat(real).catch(() => undefined);
  if (!stat?.isFile() || stat.size > MAX_SCANNED_FILE_BYTES) return undefined;
  const bytes = await fs.readFile(real);
  if (bytes.subarray(0, 8192).includes(0)) return undefined;
  return bytes.toString('utf8');
}

/** Finds `rg` on the PATH, or undefined. */
export async function findRipgrep(envPath = process.env.PATH ?? ''): Promise<string | undefined> {
  const names = process.platform === 'win32' ? ['rg.exe'] : ['rg'];
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      const ok = await fs.access(candidate, fs.constants.X_OK).then(() => true, () => false);
      if (ok) return candidate;
    }
  }
  return undefined;
}

export function searchWithRipgrep(rg: string, request: SearchRequest): Promise<SearchResult> {
  buildMatcher(request.query, request.regex); // same validation message as the fallback
  const args = ['--json', '--hidden', '--no-require-git', '--smart-case', '--glob', '!.git'];
  const inNodeModules = request.target.split('/').includes('node_modules');
  if (!inNodeModules) args.push('--glob', '!node_modules');
  if (!request.regex) args.push('--fixed-strings');
  if (request.glob) args.push('--glob', request.glob);
  args.push('--', request.query, request.target || '.');

  return new Promise((resolve, reject) => {
    const child = spawn(rg, args, { cwd: request.root, stdio: ['ignore', 'pipe', 'pipe'] });
    const matches: SearchMatch[] = [];
    let truncated = false;
    let pending = '';
    let stderr = '';
    const onLine = (line: string) => {
      if (!line || truncated) return;
      const event = JSON.parse(line) as RgEvent;
      if (event.type !== 'match') return;
      const file = event.data.path.text;
      const text = event.data.lines.text;
      if (file === undefined || text === undefined) return; // not UTF-8: skip
      if (matches.length === request.maxMatches) {
        truncated = true;
        child.kill();
        return;
      }
      const rel = path.posix.normalize(file.split(path.sep).join('/')).replace(/^\.\//, '');
      matches.push({ path: rel, line: event.data.line_number, text: clip(text) });
    };
    child.stdout.setEncoding('utf8').on('data', (data: string) => {
      pending += data;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(onLine);
    });
    child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
    child.on('error', reject);
    child.on('close', (code) => {
      onLine(pending);
      if (code === 2 && !truncated && matches.length === 0) {
        reject(new HostError(`Search failed: ${stderr.trim().split('\n')[0] ?? 'ripgrep error'}`));
        return;
      }
      resolve({ matches, truncated, engine: 'ripgrep' });
    });
  });
}

interface RgEvent {
  type: string;
  data: { path: { text?: string }; lines: { text?: string }; line_number: number };
}
