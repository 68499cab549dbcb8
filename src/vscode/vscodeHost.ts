/**
 * VsCodeHost: the Host port over VS Code. Files go through the editor (documents.ts), paths
 * through the workspace folders (workspaceRoots.ts), search through VS Code's own ripgrep,
 * tasks through the tasks API (taskRunner.ts), problems through the language services.
 */
import * as fs from 'node:fs/promises';
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import {
  HostError,
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
} from '../core/host/host';
import { NodeHost } from '../core/host/nodeHost';
import { runProcess, type ProcessLimits } from '../core/host/processRunner';
import { findRipgrep, searchWithJs, searchWithRipgrep } from '../core/host/textSearch';
import type { CommandTerminal } from './commandTerminal';
import { errorsOf, formatDiagnostic, newErrors, settle } from './diagnostics';
import { readThroughEditor, writeThroughEditor } from './documents';
import { vscodeRipgrep } from './ripgrepPath';
import { describeVsCodeTask } from './taskDescription';
import { runVsCodeTask } from './taskRunner';
import { type WorkspacePath, WorkspaceRoots } from './workspaceRoots';

const PROCESS_LIMITS: ProcessLimits = { headChars: 8_000, tailChars: 12_000 };

export class VsCodeHost implements Host {
  private readonly roots = new WorkspaceRoots();
  private readonly errorsBeforeWrite = new Map<string, vscode.Diagnostic[]>();
  private ripgrep: Promise<string | undefined> | undefined;

  constructor(private readonly terminal: CommandTerminal) {}

  get name(): string {
    return this.roots.name;
  }

  get folders(): readonly string[] | undefined {
    return this.roots.folderNames();
  }

  async resolve(requested: string): Promise<string> {
    return (await this.roots.resolve(requested)).display;
  }

  async resolveCommandPath(requested: string): Promise<string> {
    return (await this.roots.resolveInFirst(requested)).display;
  }

  async stat(requested: string): Promise<FileStat | undefined> {
    const target = await this.roots.resolve(requested);
    const stat = await fs.stat(target.real).catch(() => undefined);
    if (!stat) return undefined;
    return { type: stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other', size: stat.size };
  }

  async readFile(requested: string, maxBytes: number): Promise<ReadOutcome> {
    return readThroughEditor(await this.roots.resolve(requested), maxBytes);
  }

  async readLines(requested: string, startLine: number, endLine: number, signal?: AbortSignal): Promise<LineWindow> {
    // Too large for an editor buffer: stream it from disk like the headless host does.
    const target = await this.roots.resolve(requested);
    const window = await new NodeHost(target.root).readLines(target.rel, startLine, endLine, signal);
    return { ...window, path: target.display };
  }

  async writeFile(requested: string, text: string, expectedVersion?: string | null): Promise<void> {
    const target = await this.roots.resolve(requested);
    this.errorsBeforeWrite.set(target.uri.toString(), errorsOf(target.uri));
    await writeThroughEditor(target, text, expectedVersion);
  }

  async newProblems(requested: string): Promise<string[]> {
    const target = await this.roots.resolve(requested);
    await settle(target.uri);
    const before = this.errorsBeforeWrite.get(target.uri.toString()) ?? [];
    return newErrors(before, errorsOf(target.uri)).map((d) => formatDiagnostic(target.display, d));
  }

  async listFiles(requested: string, options: ListOptions): Promise<ListResult> {
    // Listing walks the folder itself: workspace.findFiles does not honour .gitignore.
    const target = await this.roots.resolve(requested);
    const stat = await fs.stat(target.real).catch(() => undefined);
    if (!stat) throw new HostError(`${target.display || '.'} does not exist.`); // l10n-ignore: a tool error, read by the model
    // Entries are relative to the folder; with several folders they carry the folder's name.
    const result = await new NodeHost(target.root, { ripgrep: null }).listFiles(target.rel, options);
    return { entries: result.entries.map(target.show), omitted: result.omitted };
  }

  async search(options: SearchOptions): Promise<SearchResult> {
    // Without a path, every folder of a multi-root workspace is searched, first folder first.
    if (!options.path && this.roots.folders().length > 1) return this.searchAllFolders(options);
    return this.searchIn(await this.roots.resolve(options.path ?? ''), options);
  }

  private async searchIn(target: WorkspacePath, options: SearchOptions): Promise<SearchResult> {
    const stat = await fs.stat(target.real).catch(() => undefined);
    if (!stat) throw new HostError(`${target.display} does not exist.`); // l10n-ignore: a tool error, read by the model
    // l10n-ignore: a tool error, read by the model
    if (!stat.isFile() && !stat.isDirectory()) throw new HostError(`${target.display} is not a regular file or a folder; Stepwise searches only those.`);
    const request = { ...options, root: target.root, target: target.rel, targetIsFile: stat.isFile() };
    // VS Code's own ripgrep, else one on the PATH outside every workspace folder.
    const rg = await (this.ripgrep ??= Promise.resolve(vscodeRipgrep()).then(
      (p) =>
        p ??
        findRipgrep(
          process.env.PATH,
          this.roots.folders().map((f) => f.uri.fsPath),
        ),
    ));
    const result = rg ? await searchWithRipgrep(rg, request) : await searchWithJs(request);
    // Matches are relative to the folder; with several folders they carry the folder's name.
    return { ...result, matches: result.matches.map((m) => ({ ...m, path: target.show(m.path) })) };
  }

  private async searchAllFolders(options: SearchOptions): Promise<SearchResult> {
    const matches: SearchResult['matches'] = [];
    let truncated = false;
    let engine = 'builtin';
    let stopped = false;
    for (const folder of await this.roots.folderPaths()) {
      if (matches.length >= options.maxMatches) {
        truncated = true;
        break;
      }
      const result = await this.searchIn(folder, { ...options, maxMatches: options.maxMatches - matches.length });
      matches.push(...result.matches);
      truncated ||= result.truncated;
      engine = result.engine;
      // Stopped (Stop, or the time limit): the folders not searched yet stay unsearched.
      if (result.stopped) {
        stopped = true;
        break;
      }
    }
    return { matches, truncated, engine, ...(stopped ? { stopped } : {}) };
  }

  async runCommand(command: string, options: RunOptions): Promise<CommandResult> {
    const folder = this.roots.folders()[0]!;
    await this.terminal.begin(command);
    const result = await runProcess(
      { command, shell: true, cwd: folder.uri.fsPath },
      { ...options, onOutput: (chunk) => (this.terminal.write(chunk), options.onOutput?.(chunk)) },
      PROCESS_LIMITS,
    );
    // Shown in the Stepwise terminal only (the model reads the result itself).
    this.terminal.end(result.timedOut ? l10n.t('timed out') : result.cancelled ? l10n.t('cancelled') : l10n.t('exit code {0}', String(result.exitCode)));
    return result;
  }

  describeTask(name: string): Promise<TaskDescription> {
    return describeVsCodeTask(name);
  }

  runTask(name: string, options: RunOptions): Promise<CommandResult> {
    return runVsCodeTask(name, options, PROCESS_LIMITS);
  }

  async getDiagnostics(requested: string | undefined): Promise<string> {
    let entries: [vscode.Uri, vscode.Diagnostic[]][];
    if (requested) {
      const target = await this.roots.resolve(requested);
      // Language servers that pull diagnostics check files shown in an editor: show it (without
      // taking focus) when it is not, and give the server a moment to start and report.
      const shown = vscode.window.tabGroups.all.some((g) =>
        g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === target.uri.toString()),
      );
      if (!shown) {
        const document = await vscode.workspace.openTextDocument(target.uri);
        await vscode.window.showTextDocument(document, { preview: true, preserveFocus: true });
        if (document.languageId !== 'plaintext') await settle(target.uri, { firstChangeMs: 6000, quietMs: 300, maxMs: 8000 });
      }
      entries = [[target.uri, vscode.languages.getDiagnostics(target.uri)]];
    } else {
      entries = vscode.languages.getDiagnostics();
    }
    const lines: string[] = [];
    for (const [uri, diagnostics] of entries) {
      const display = this.roots.displayOf(uri);
      if (display === undefined) continue;
      for (const d of diagnostics) {
        if (d.severity <= vscode.DiagnosticSeverity.Warning) lines.push(formatDiagnostic(display, d));
      }
    }
    return lines.join('\n');
  }
}
