/**
 * The sidebar's `@` mentions, end to end: what the picker offers (mentionSearch.ts), files dropped
 * on the goal box, and a goal's mentions turned into attachments (mentionContent.ts) before it
 * starts — or the reason it cannot start, for the composer.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { Attachment } from '../core/context/attachments';
import type { MentionItem } from '../protocol/messages';
import { attachMentions, MentionProblem } from './mentionContent';
import { MentionSearch } from './mentionSearch';
import { readSettings } from './settings';
import { findResources } from '../core/mcp/resources';
import type { McpService } from './mcpService';
import { TerminalOutputs } from './terminalOutputs';
import type { VsCodeHost } from './vscodeHost';
import type { WorkspaceRoots } from './workspaceRoots';

export class Mentions implements vscode.Disposable {
  readonly search: MentionSearch;
  private readonly terminals = new TerminalOutputs();

  constructor(
    private readonly host: VsCodeHost,
    private readonly roots: WorkspaceRoots,
    private readonly mcp?: McpService,
  ) {
    this.search = new MentionSearch(host, roots, (query, limit) => {
      const hub = mcp?.running();
      if (!hub || !query) return [];
      return findResources(hub, query, limit)
        .map((r) => ({ kind: 'resource' as const, value: JSON.stringify([r.server, r.uri]), label: `@${r.server}: ${r.name}`.slice(0, 300) }))
        .filter((item) => item.value.length <= 2000); // what a mention can carry
    });
  }

  /** The attachments of a goal's mentions, or why they cannot be attached. */
  async attach(items: readonly MentionItem[]): Promise<{ attachments: Attachment[] } | { problem: string }> {
    if (!items.length) return { attachments: [] };
    try {
      const protection = await this.roots.protection();
      const allowLocalFetch = readSettings().web.allowLocal;
      const deps = {
        host: this.host,
        roots: this.roots,
        terminals: this.terminals,
        isPrivate: (p: string) => protection.isPrivate(p),
        allowLocalFetch,
        mcp: () => this.mcp?.running(),
      };
      return { attachments: await attachMentions(items, deps) };
    } catch (error) {
      if (error instanceof MentionProblem) return { problem: error.message };
      throw error;
    }
  }

  /** Files and folders dropped from the Explorer; one outside the workspace is named. */
  async dropped(uris: readonly string[]): Promise<{ items: MentionItem[]; problem?: string }> {
    const items: MentionItem[] = [];
    const outside: string[] = [];
    for (const text of uris) {
      let uri: vscode.Uri;
      try {
        uri = vscode.Uri.parse(text, true);
      } catch {
        continue;
      }
      const path = uri.scheme === 'file' ? this.roots.displayOf(uri) : undefined;
      if (path === undefined) {
        outside.push(uri.scheme === 'file' ? uri.fsPath : text);
        continue;
      }
      const stat = await this.host.stat(path).catch(() => undefined);
      items.push(stat?.type === 'directory' ? { kind: 'folder', value: path, label: `${path}/` } : { kind: 'file', value: path, label: path });
    }
    return { items, ...(outside.length ? { problem: l10n.t('Not in the workspace, so not attached: {0}', outside.join(', ')) } : {}) };
  }

  dispose(): void {
    this.search.dispose();
    this.terminals.dispose();
  }
}
