/**
 * What `@` offers in the sidebar's goal box: a URL typed after it (its page is fetched when the
 * goal starts), the named sources (@problems, @selection, @terminal, @changes) and the workspace's files and folders, fuzzy-matched (src/core/text/pathIndex.ts) against a list made
 * once by walking every folder as list_files does (.gitignore respected) and made again when files
 * are created or deleted. With nothing typed, the files open in editors come first.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { PathIndex } from '../core/text/pathIndex';
import { isWebUrl } from '../core/web/urlAttachment';
import type { MentionItem } from '../protocol/messages';
import type { VsCodeHost } from './vscodeHost';
import type { WorkspaceRoots } from './workspaceRoots';

const MAX_RESULTS = 30;
/** See paths(): how often the list is made again at most, and how long a query waits for a new one. */
const MIN_REFRESH_MS = 1_000;
const WAIT_FOR_REFRESH_MS = 150;
/** A workspace larger than this is listed this far (a pick can still be typed in full). */
const MAX_INDEXED = 200_000;

/** The named sources, labelled in the interface language. */
function namedSources(): MentionItem[] {
  return [
    { kind: 'problems', value: '', label: l10n.t('@problems — the errors and warnings in the workspace') },
    { kind: 'selection', value: '', label: l10n.t('@selection — the text selected in the editor') },
    { kind: 'terminal', value: '', label: l10n.t("@terminal — the last command's output in the terminal") },
    { kind: 'changes', value: '', label: l10n.t('@changes — the git diff of the working tree') },
  ];
}

export class MentionSearch implements vscode.Disposable {
  /** The list the answers come from, and when its making began. */
  private current: { index: PathIndex; builtAt: number } | undefined;
  private building: Promise<PathIndex> | undefined;
  /** When the watcher last saw a file created or deleted: a list begun before that is out of date. */
  private changedAt = 0;
  /** How long the last list took to make, and the next one waiting to be made. */
  private listMs = 0;
  private scheduled: ReturnType<typeof setTimeout> | undefined;
  private readonly watcher: vscode.FileSystemWatcher;
  private readonly refreshed = new vscode.EventEmitter<void>();
  /** A newer list is ready: a query answered from the older one is worth asking again. */
  readonly onDidRefresh = this.refreshed.event;

  constructor(
    private readonly host: VsCodeHost,
    private readonly roots: WorkspaceRoots,
    /** Resources of the MCP servers already running, matching a query (none are started for it). */
    private readonly resources: (query: string, limit: number) => MentionItem[] = () => [],
  ) {
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    this.watcher.onDidCreate(() => (this.changedAt = Date.now()));
    this.watcher.onDidDelete(() => (this.changedAt = Date.now()));
  }

  /** Starts listing the workspace, so the first `@` answers at once. */
  warm(): void {
    void this.build().catch(() => undefined);
  }

  async query(query: string): Promise<MentionItem[]> {
    const q = query.trim();
    if (isWebUrl(q)) return [{ kind: 'url', value: q, label: l10n.t('Fetch {0}', q).slice(0, 300) }];
    const sources = namedSources().filter((s) => !q || s.kind.startsWith(q.toLowerCase()));
    if (!q) return [...sources, ...this.openFiles()].slice(0, MAX_RESULTS);
    const resources = this.resources(q, 10);
    const matches = (await this.paths()).search(q, MAX_RESULTS - sources.length - resources.length);
    return [...sources, ...resources, ...matches.map(item)];
  }

  /**
   * The list to search. One out of date (files came or went, or older than refreshAfter()) is
   * made again and waited for only briefly (a small workspace's list is ready at once), else the
   * old one answers. A recent one answers at once, and a new one is made soon after: file watching
   * can be late or missing, and onDidRefresh lets an open picker be answered again from it.
   */
  private async paths(): Promise<PathIndex> {
    const current = this.current;
    if (!current) return this.build();
    const age = Date.now() - current.builtAt;
    if (current.builtAt <= this.changedAt || age >= this.refreshAfter()) {
      const old = new Promise<PathIndex>((resolve) => setTimeout(() => resolve(current.index), WAIT_FOR_REFRESH_MS));
      return Promise.race([this.build(), old]).catch(() => current.index);
    }
    this.scheduled ??= setTimeout(() => {
      this.scheduled = undefined;
      void this.build().catch(() => undefined);
    }, this.refreshAfter() - age);
    return current.index;
  }

  /** A list is made again at most this often: a second, or four times what the last one took. */
  private refreshAfter(): number {
    return Math.max(MIN_REFRESH_MS, 4 * this.listMs);
  }

  /** One list at a time; the newest one made is kept. */
  private build(): Promise<PathIndex> {
    if (this.building !== undefined) return this.building;
    const builtAt = Date.now();
    const building = this.list().then((index) => {
      this.listMs = Date.now() - builtAt;
      if (!this.current || builtAt >= this.current.builtAt) this.current = { index, builtAt };
      this.refreshed.fire();
      return index;
    });
    this.building = building;
    const done = () => {
      if (this.building === building) this.building = undefined;
    };
    building.then(done, done);
    return building;
  }

  private async list(): Promise<PathIndex> {
    const folders = this.roots.folderNames() ?? [''];
    const entries: string[] = [];
    for (const folder of folders) {
      const listed = await this.host.listFiles(folder, { recursive: true, limit: MAX_INDEXED - entries.length });
      entries.push(...listed.entries);
    }
    return new PathIndex(entries);
  }

  dispose(): void {
    clearTimeout(this.scheduled);
    this.watcher.dispose();
    this.refreshed.dispose();
  }

  private openFiles(): MentionItem[] {
    const shown = new Set<string>();
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        if (!(tab.input instanceof vscode.TabInputText)) continue;
        const path = this.roots.displayOf(tab.input.uri);
        if (path !== undefined) shown.add(path);
      }
    }
    return [...shown].map(item);
  }
}

/** A listed path as a mention: folders end with '/'. */
function item(path: string): MentionItem {
  return path.endsWith('/') ? { kind: 'folder', value: path.slice(0, -1), label: path } : { kind: 'file', value: path, label: path };
}
