/**
 * Workspace text search: ripgrep when it is available (fast, .gitignore-aware), otherwise a
 * JavaScript scan over the same files list_files sees. Both return the same capped shape, and both
 * match in linear time: ripgrep's own engine, and RE2 (re2js) in JavaScript, so a pattern such as
 * `^(a+)+$` cannot hang an auto-approved search. ripgrep is only ever taken from outside the
 * workspace (a repository's `node_modules/.bin/rg` must not run) and reads no config file.
 */
// l10n-ignore-file: host errors and notes are tool results for the model
import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { RE2JS } from 're2js';
import { FileWalker } from './fileWalker';
import { HostError, type SearchMatch, type SearchResult } from './host';
import { isInside } from './pathSafety';
import { readRegularFile } from './safeFiles';

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
  signal?: AbortSignal;
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

export interface LineMatcher {
  test(line: string): boolean;
}

/** A linear-time matcher for one line (RE2 syntax, as ripgrep's: no look-around or back-references). */
export function buildMatcher(query: string, regex: boolean): LineMatcher {
  const source = regex ? query : RE2JS.quote(query);
  try {
    return RE2JS.compile(source, caseInsensitive(query) ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    throw new HostError(
      `The regular expression is not valid (${(error as Error).message}). Look-around and back-references are not supported. Fix it, or set regex to false for a plain-text search.`,
    );
  }
}

export async function searchWithJs(request: SearchRequest): Promise<SearchResult> {
  const matcher = buildMatcher(request.query, request.regex);
  const globMatch = request.glob ? picomatch(request.glob, { basename: true, dot: true }) : undefined;
  const matches: SearchMatch[] = [];
  const walker = new FileWalker(request.root);
  const files = request.targetIsFile ? single(request.target) : walker.files(request.target);
  for await (const rel of files) {
    if (request.signal?.aborted) return { matches, truncated: false, engine: 'builtin', stopped: true };
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
  // Regular files only, checked again on open (a FIFO swapped in would hang the read).
  const bytes = await readRegularFile(root, real, file).catch(() => undefined);
  if (!bytes || bytes.subarray(0, 8192).includes(0)) return undefined;
  return bytes.toString('utf8');
}

/**
 * Finds `rg` on the PATH as an absolute path outside every folder in `workspaces`: relative PATH
 * entries (`.`, `node_modules/.bin`) and folders inside a workspace are skipped, so a repository
 * cannot put its own `rg` in the way. Undefined when there is none.
 */
export async function findRipgrep(envPath = process.env.PATH ?? '', workspaces: readonly string[] = []): Promise<string | undefined> {
  const names = process.platform === 'win32' ? ['rg.exe'] : ['rg'];
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    for (const name of names) {
      const candidate = await fs.realpath(path.join(dir, name)).catch(() => undefined);
      if (!candidate || workspaces.some((root) => isInside(root, candidate))) continue;
      const ok = await fs.access(candidate, fs.constants.X_OK).then(
        () => true,
        () => false,
      );
      if (ok) return candidate;
    }
  }
  return undefined;
}

function ripgrepArgs(request: SearchRequest): string[] {
  // --no-config: a RIPGREP_CONFIG_PATH could add --pre, which runs a program on every file.
  const args = ['--no-config', '--json', '--hidden', '--no-require-git', '--smart-case', '--glob', '!.git'];
  const inNodeModules = request.target.split('/').includes('node_modules');
  if (!inNodeModules) args.push('--glob', '!node_modules');
  if (!request.regex) args.push('--fixed-strings');
  if (request.glob) args.push('--glob', request.glob);
  args.push('--', request.query, request.target || '.');
  return args;
}

/** Calls onLine with each complete line; the rest waits for more. flush() gives the last one. */
function lineSplitter(onLine: (line: string) => void): { push(data: string): void; flush(): void } {
  // Lines are gathered chunk by chunk and joined once: a 10 MB minified line stays linear.
  let parts: string[] = [];
  return {
    push(data) {
      const nl = data.lastIndexOf('\n');
      if (nl === -1) {
        parts.push(data);
        return;
      }
      parts.push(data.slice(0, nl));
      const lines = parts.join('').split('\n');
      parts = [data.slice(nl + 1)];
      lines.forEach(onLine);
    },
    flush: () => onLine(parts.join('')),
  };
}

export function searchWithRipgrep(rg: string, request: SearchRequest): Promise<SearchResult> {
  buildMatcher(request.query, request.regex); // same validation message as the fallback
  return new Promise((resolve, reject) => {
    const child = spawn(rg, ripgrepArgs(request), { cwd: request.root, stdio: ['ignore', 'pipe', 'pipe'] });
    const matches: SearchMatch[] = [];
    let truncated = false;
    let stopped = false;
    const onAbort = () => {
      stopped = true;
      child.kill();
    };
    if (request.signal?.aborted) onAbort();
    else request.signal?.addEventListener('abort', onAbort, { once: true });
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
    const lines = lineSplitter(onLine);
    child.stdout.setEncoding('utf8').on('data', (data: string) => lines.push(data));
    child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
    child.on('error', reject);
    child.on('close', (code) => {
      request.signal?.removeEventListener('abort', onAbort);
      if (stopped) return resolve({ matches, truncated: false, engine: 'ripgrep', stopped: true });
      lines.flush();
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
