/**
 * NodeHost: the Host port over a plain folder, for the CLI, tests and benchmarks.
 * Writes are atomic (temporary file + rename, mode kept) and refused when the file changed since
 * the agent read it; commands run non-interactively in their own process group.
 */
// l10n-ignore-file: host errors and notes are tool results for the model
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { FileWalker } from './fileWalker';
import {
  HostError,
  StaleFileError,
  type CommandResult,
  type FileStat,
  type Host,
  type LineWindow,
  type ListOptions,
  type ListResult,
  type ReadOutcome,
  type RunOptions,
  type SearchOptions,
  type SearchResult,
  type TaskDescription,
} from './host';
import { readLineWindow } from './lineWindow';
import { resolveInWorkspace } from './pathSafety';
import { openRegularFile, writeFileInside } from './safeFiles';
import { runProcess, type ProcessLimits } from './processRunner';
import { resolveTask, taskLinesOf } from './taskDefinitions';
import { findRipgrep, searchWithJs, searchWithRipgrep, type SearchRequest } from './textSearch';

export interface NodeHostOptions {
  /** Path to ripgrep; `null` forces the built-in search; undefined looks on the PATH. */
  ripgrep?: string | null;
  /** Output kept from a command (head and tail); the tool caps it again for the model. */
  processOutput?: ProcessLimits;
}

/** A file's version for the stale check: a hash of its content (the same for its text in VS Code). */
export function contentVersion(content: Uint8Array | string): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 32);
}

export class NodeHost implements Host {
  readonly root: string;
  readonly name: string;
  private readonly walker: FileWalker;
  private ripgrep: Promise<string | undefined> | undefined;

  constructor(
    workspace: string,
    private readonly options: NodeHostOptions = {},
  ) {
    this.root = realpathSync(path.resolve(workspace));
    this.name = path.basename(this.root);
    this.walker = new FileWalker(this.root);
  }

  async resolve(requested: string): Promise<string> {
    return (await resolveInWorkspace(this.root, requested)).rel;
  }

  private async real(requested: string): Promise<{ real: string; rel: string }> {
    return resolveInWorkspace(this.root, requested);
  }

  async stat(requested: string): Promise<FileStat | undefined> {
    const { real } = await this.real(requested);
    const stat = await fs.stat(real).catch(() => undefined);
    if (!stat) return undefined;
    return { type: stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other', size: stat.size };
  }

  async readFile(requested: string, maxBytes: number): Promise<ReadOutcome> {
    const { real, rel } = await this.real(requested);
    const handle = await openRegularFile(this.root, real, requested);
    try {
      const { size } = await handle.stat();
      if (size > maxBytes) {
        const head = await readHead(handle);
        return looksBinary(head) ? { kind: 'binary', path: rel, size } : { kind: 'too_large', path: rel, size };
      }
      const bytes = await handle.readFile();
      if (looksBinary(bytes)) return { kind: 'binary', path: rel, size: bytes.length };
      const text = decodeUtf8(bytes);
      if (text === undefined) return { kind: 'not_utf8', path: rel, size: bytes.length };
      return { kind: 'text', path: rel, text, version: contentVersion(bytes) };
    } finally {
      await handle.close();
    }
  }

  /** Lines startLine..endLine of a file too large to read whole (see lineWindow.ts). */
  async readLines(requested: string, startLine: number, endLine: number, signal?: AbortSignal): Promise<LineWindow> {
    const { real, rel } = await this.real(requested);
    const handle = await openRegularFile(this.root, real, requested);
    try {
      return await readLineWindow(handle, rel, startLine, endLine, signal);
    } finally {
      await handle.close();
    }
  }

  async writeFile(requested: string, text: string, expectedVersion?: string | null): Promise<void> {
    const { rel } = await this.real(requested);
    await writeFileInside(this.root, {
      rel,
      text,
      check: (existing) => {
        if (expectedVersion === null && existing) {
          throw new StaleFileError(`${rel} already exists; read it and use edit_file, or write_file to replace it.`);
        }
        if (typeof expectedVersion === 'string' && (!existing || contentVersion(existing) !== expectedVersion)) {
          throw new StaleFileError(`${rel} changed since it was read; read it again and redo the edit on its current text.`);
        }
      },
    });
  }

  async listFiles(requested: string, options: ListOptions): Promise<ListResult> {
    const { real, rel } = await this.real(requested);
    const stat = await fs.stat(real).catch(() => undefined);
    if (!stat) throw new HostError(`${rel || '.'} does not exist.`);
    if (!stat.isDirectory()) return { entries: [rel], omitted: 0 };
    const entries: string[] = [];
    let omitted = 0;
    if (!options.recursive) {
      for (const entry of await this.walker.list(rel)) {
        if (entries.length < options.limit) entries.push(entry.isDirectory ? `${entry.rel}/` : entry.rel);
        else omitted++;
      }
      return { entries, omitted };
    }
    for await (const file of this.walker.files(rel)) {
      if (entries.length < options.limit) entries.push(file);
      else if (++omitted >= options.limit * 20) break; // enough to say "many more"
    }
    return { entries, omitted };
  }

  async search(options: SearchOptions): Promise<SearchResult> {
    const target = options.path ? await this.real(options.path) : { real: this.root, rel: '' };
    const stat = await fs.stat(target.real).catch(() => undefined);
    if (!stat) throw new HostError(`${target.rel} does not exist.`);
    if (!stat.isFile() && !stat.isDirectory()) throw new HostError(`${target.rel} is not a regular file or a folder; Stepwise searches only those.`);
    const request: SearchRequest = {
      root: this.root,
      target: target.rel,
      targetIsFile: stat.isFile(),
      query: options.query,
      regex: options.regex,
      glob: options.glob,
      maxMatches: options.maxMatches,
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const rg = await this.findRipgrep();
    return rg ? searchWithRipgrep(rg, request) : searchWithJs(request);
  }

  runCommand(command: string, options: RunOptions): Promise<CommandResult> {
    return runProcess({ command, shell: true, cwd: this.root }, options, this.processLimits());
  }

  async describeTask(name: string): Promise<TaskDescription> {
    const task = await resolveTask(this.root, name);
    return { text: task.description, commands: taskLinesOf(task) };
  }

  async runTask(name: string, options: RunOptions): Promise<CommandResult> {
    const task = await resolveTask(this.root, name);
    const deadline = Date.now() + options.timeoutMs;
    const outputs: string[] = [];
    let result: CommandResult | undefined;
    // Dependencies first, in order; the first that fails (or times out, or is stopped) ends the task.
    for (const step of task.steps) {
      if (task.steps.length > 1) outputs.push(`▶ ${step.title}`);
      result = await runProcess(step.spec, { ...options, timeoutMs: Math.max(1, deadline - Date.now()) }, this.processLimits());
      outputs.push(result.output.trimEnd());
      if (result.exitCode !== 0) break;
    }
    const last = result ?? { exitCode: null, output: '', timedOut: false, cancelled: options.signal.aborted };
    return { ...last, output: outputs.filter(Boolean).join('\n'), note: `Ran ${task.description.split('\n')[0]}` };
  }

  async getDiagnostics(): Promise<string> {
    throw new HostError(
      'Diagnostics come from VS Code language services and are not available in this headless run. ' +
        'Run the project\'s own checker instead (a task such as "lint" or "typecheck", or a command like `npx tsc --noEmit`).',
    );
  }

  private processLimits(): ProcessLimits {
    return this.options.processOutput ?? { headChars: 8_000, tailChars: 12_000 };
  }

  private findRipgrep(): Promise<string | undefined> {
    if (this.options.ripgrep === null) return Promise.resolve(undefined);
    if (this.options.ripgrep) return Promise.resolve(this.options.ripgrep);
    this.ripgrep ??= findRipgrep(process.env.PATH, [this.root]);
    return this.ripgrep;
  }
}

/** The first 8 KB of an open file: enough to tell binary from text without reading it all. */
export async function readHead(handle: fs.FileHandle): Promise<Uint8Array> {
  const buffer = Buffer.alloc(8192);
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
  return buffer.subarray(0, bytesRead);
}

export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

/** Strict UTF-8: undefined for anything else, so that nothing is ever written back with U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
