/**
 * The window's MCP servers: the user's own (`stepwise.mcp.servers`, application scope, so a
 * repository cannot add any) and a workspace's `.vscode/mcp.json` / `.mcp.json` only once the user
 * trusts that file as it is now — a prompt names every command it would run; the trust is kept in
 * the extension's workspace state by the file's SHA-256, so a changed file asks again. Nothing
 * starts when a folder opens: the servers start with the first task, and stay for the next ones
 * until their configuration changes. Restricted Mode starts none. With `stepwise.mcp.vscodeTools`,
 * the tools VS Code lists (src/vscode/lmToolServer.ts) join them.
 */
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { childEnvironment, userConfigEnvironment } from '../core/host/commandEnvironment';
import { type McpConfigProblem, type McpServerConfig, parseMcpServers } from '../core/mcp/config';
import type { McpHub, McpStartReport } from '../core/mcp/hub';
import { describeServer, findWorkspaceMcp, WORKSPACE_MCP_FILES, type WorkspaceMcpFile } from '../core/mcp/workspaceServers';
import { LmToolServer, VSCODE_TOOL_SERVER } from './lmToolServer';
import type { VsCodeHost } from './vscodeHost';

const TRUST_KEY = 'stepwise.mcpTrust';

export interface TaskMcp {
  hub: McpHub | undefined;
  notReady: McpStartReport['notReady'];
}

export class McpService implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('Stepwise MCP', { log: true }); // l10n-ignore: a product name
  private hub: McpHub | undefined;
  private hubKey = '';
  /** The hub for hubKey, once made: two callers at once (a task, the view) share it. */
  private hubReady: Promise<McpHub | undefined> = Promise.resolve(undefined);
  /** Configuration problems already shown in this window. */
  private readonly shown = new Set<string>();
  /** Files the user said "Not now" to in this window (by path and hash): not asked again before it reloads. */
  private readonly declined = new Set<string>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly host: VsCodeHost,
    private readonly workspaceState: vscode.Memento,
  ) {}

  /** The servers for a task, started and waited for (at most their start time); none in Restricted Mode. */
  async forTask(contextTokens: number): Promise<TaskMcp> {
    if (!vscode.workspace.isTrusted) return { hub: undefined, notReady: [] };
    const configs = await this.configs();
    const hub = await this.hubFor(configs);
    if (!hub) return { hub: undefined, notReady: [] };
    // Schemas of many tools would crowd a small window: past a tenth of it, find_tools offers them.
    hub.toolBudgetTokens = Math.min(1_500, Math.floor(contextTokens / 10));
    hub.forgetFound();
    const report = await hub.start();
    for (const { server, reason } of report.notReady) this.channel.warn(`[${server}] not available: ${reason}`); // l10n-ignore: log line
    return { hub, notReady: report.notReady };
  }

  /** The hub, started now if no task has started it (the MCP Servers view); undefined with no servers. */
  async started(): Promise<McpHub | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    const hub = await this.hubFor(await this.configs());
    await hub?.start();
    return hub;
  }

  /** The hub if a task (or the MCP Servers view) has started it; nothing is started for asking. */
  running(): McpHub | undefined {
    return this.hub;
  }

  /** Whether there are servers to start (the user's, or a workspace file), without reading or starting them. */
  configured(): boolean {
    if (!vscode.workspace.isTrusted) return false;
    const mine = vscode.workspace.getConfiguration('stepwise').inspect<unknown>('mcp.servers')?.globalValue;
    if (mine && typeof mine === 'object' && Object.keys(mine).length > 0) return true;
    const folders = vscode.workspace.workspaceFolders ?? [];
    return folders.some((f) => f.uri.scheme === 'file' && WORKSPACE_MCP_FILES.some((name) => fs.existsSync(path.join(f.uri.fsPath, name))));
  }

  async restart(server: string): Promise<void> {
    await this.hub?.restart(server);
  }

  /** The user's servers and the workspace's trusted ones (an untrusted file with servers is asked about). */
  private async configs(): Promise<McpServerConfig[]> {
    const env = childEnvironment();
    const inspected = vscode.workspace.getConfiguration('stepwise').inspect<unknown>('mcp.servers');
    const root = (r: string) =>
      (vscode.workspace.workspaceFolders?.find((f) => `${f.name}/` === r) ?? vscode.workspace.workspaceFolders?.[0])?.uri.fsPath ?? '';
    const user = parseMcpServers({ servers: inspected?.globalValue ?? {} }, 'stepwise.mcp.servers', {
      env: userConfigEnvironment(),
      workspaceFolder: root(''),
    });
    const servers = [...user.servers];
    this.problems(user.problems);
    for (const file of await findWorkspaceMcp(this.host, { env }, root)) {
      this.problems(file.problems);
      if (!file.servers.length || !(await this.trusted(file))) continue;
      for (const server of file.servers) {
        if (servers.some((s) => s.name === server.name))
          this.channel.warn(`[${server.name}] ${file.path}: not started, a server of yours has that name`); // l10n-ignore: log line
        else servers.push(server);
      }
    }
    // The name of VS Code's own tools: an allow entry for it must mean those, whatever is turned on.
    const reserved = servers.filter((s) => s.name === VSCODE_TOOL_SERVER);
    this.problems(reserved.map((s) => ({ server: s.name, origin: s.origin, reason: l10n.t("the name is kept for VS Code's own tools; rename the server") })));
    return servers.filter((s) => s.name !== VSCODE_TOOL_SERVER);
  }

  /** A server that cannot be read is named once in a warning (and every time in the log); the others start. */
  private problems(problems: readonly McpConfigProblem[]): void {
    for (const p of problems) {
      const text = l10n.t('MCP server {0} ({1}) not started: {2}', p.server, p.origin, p.reason);
      this.channel.error(text);
      if (this.shown.has(text)) continue;
      this.shown.add(text);
      void vscode.window.showWarningMessage(text);
    }
  }

  private async trusted(file: WorkspaceMcpFile): Promise<boolean> {
    const trust = this.workspaceState.get<Record<string, string>>(TRUST_KEY, {});
    if (trust[file.path] === file.hash) return true;
    const key = `${file.path}\0${file.hash}`;
    if (this.declined.has(key)) return false;
    const start = l10n.t('Start Them');
    const changed = trust[file.path] !== undefined;
    const question = changed
      ? l10n.t('{0} changed since you trusted it. It would start these MCP servers:', file.path)
      : l10n.t('This workspace defines MCP servers in {0}. Starting them runs these programs on your machine:', file.path);
    const detail = `${file.servers.map(describeServer).join('\n')}\n\n${l10n.t('Only start them if you trust this repository. You are asked again if the file changes.')}`;
    const pick = await vscode.window.showWarningMessage(question, { modal: true, detail }, start);
    if (pick !== start) {
      this.declined.add(key);
      return false;
    }
    await this.workspaceState.update(TRUST_KEY, { ...trust, [file.path]: file.hash });
    return true;
  }

  /**
   * The hub for these servers (and VS Code's own tools when the user chose them): kept while they
   * are the same, replaced (old servers stopped) when they change.
   */
  private hubFor(configs: McpServerConfig[]): Promise<McpHub | undefined> {
    const lmTools = vscode.workspace.getConfiguration('stepwise').inspect<boolean>('mcp.vscodeTools')?.globalValue === true;
    const key = JSON.stringify({ configs, lmTools: lmTools ? vscode.lm.tools.map((t) => t.name) : [] });
    if (key === this.hubKey) return this.hubReady;
    this.hubKey = key;
    const previous = this.hub;
    this.hub = undefined;
    const extra = lmTools && vscode.lm.tools.length ? [new LmToolServer()] : [];
    this.hubReady = (async () => {
      await previous?.dispose();
      if (!configs.length && !extra.length) return undefined;
      const { McpHub } = await import('../core/mcp/hub');
      const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
      const log = (server: string, line: string) => this.channel.info(`[${server}] ${line}`);
      this.hub = new McpHub(configs, { cwd, log, onChange: () => this.changed.fire() }, extra);
      return this.hub;
    })();
    return this.hubReady;
  }

  dispose(): void {
    void this.hub?.dispose();
    this.channel.dispose();
    this.changed.dispose();
  }
}
