/**
 * The MCP servers of a window or a run: started together, their tools offered to the model as one
 * source that changes when a server's list does. When all their schemas would cost more than the
 * budget (small windows, many servers), only find_tools is offered, and the tools it finds join
 * the request from then on (appended, so the prompt's prefix stays as it was).
 */
import type { Tool } from '../tools/defineTool';
import type { ToolSource } from '../tools/registry';
import { estimateTokens } from '../agent/tokenEstimate';
import type { McpServerConfig } from './config';
import { McpConnection, type ToolServer } from './connection';
import { findToolsTool } from './findTools';
import { mcpTool, mcpToolName } from './mcpTool';

export interface McpHubOptions {
  cwd: string;
  /** Start and listing time per server (default 5 s); the first request waits at most this. */
  startTimeoutMs?: number;
  /** A call with no answer (or progress) within this fails (default 120 s). */
  callTimeoutMs?: number;
  log?(server: string, line: string): void;
  /** A server's state or tools changed (for a view of the servers). */
  onChange?(): void;
}

export interface McpStartReport {
  ready: string[];
  /** Failed to start, or not ready within the wait, with why. */
  notReady: { server: string; reason: string }[];
}

export class McpHub implements ToolSource {
  readonly connections: ToolServer[];
  /** Schemas of all servers' tools above this many tokens are offered through find_tools. */
  toolBudgetTokens = 1_500;
  private tools: Tool<any>[] | undefined;
  /** Tools find_tools found, in the order found: appended to what is sent, so its start stays the same. */
  private revealed: string[] = [];
  private readonly finder: Tool<any>;

  constructor(
    configs: readonly McpServerConfig[],
    private readonly options: McpHubOptions,
    /** Tool sources besides the configured servers (VS Code's language-model tools). */
    extra: readonly ToolServer[] = [],
  ) {
    const connections = configs.map(
      (config) =>
        new McpConnection(config, {
          startTimeoutMs: options.startTimeoutMs ?? 5_000,
          callTimeoutMs: options.callTimeoutMs ?? 120_000,
          cwd: options.cwd,
          log: (line) => options.log?.(config.name, line),
          onChange: () => {
            this.tools = undefined;
            options.onChange?.();
          },
        }),
    );
    this.connections = [...connections, ...extra];
    this.finder = findToolsTool(this);
  }

  /** Starts every server not running; waits until each is ready or failed, at most the start time. */
  async start(): Promise<McpStartReport> {
    const wait = this.options.startTimeoutMs ?? 5_000;
    const starts = this.connections.filter((c) => c.state !== 'ready').map((c) => c.start());
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(starts), new Promise((resolve) => (timer = setTimeout(resolve, wait + 250)))]);
    clearTimeout(timer);
    const notReady = this.connections
      .filter((c) => c.state !== 'ready')
      .map((c) => ({ server: c.config.name, reason: c.error ?? `not ready within ${Math.round(wait / 1000)} s` })); // l10n-ignore: a log line
    return { ready: this.connections.filter((c) => c.state === 'ready').map((c) => c.config.name), notReady };
  }

  callable(): readonly Tool<any>[] {
    this.tools ??= this.build();
    return [...this.tools, this.finder];
  }

  offered(): readonly Tool<any>[] {
    const all = (this.tools ??= this.build());
    if (!all.length) return [];
    if (estimateTokens(JSON.stringify(all.map((t) => t.spec))) <= this.toolBudgetTokens) return all;
    return [this.finder, ...this.revealed.flatMap((name) => all.filter((t) => t.name === name))];
  }

  /** Every tool of the ready servers, for find_tools. */
  allTools(): readonly Tool<any>[] {
    return (this.tools ??= this.build());
  }

  /** find_tools found these: they are sent from the next request on. */
  reveal(names: readonly string[]): void {
    for (const name of names) if (!this.revealed.includes(name)) this.revealed.push(name);
  }

  /** A new task starts from find_tools alone again. */
  forgetFound(): void {
    this.revealed = [];
  }

  async restart(server: string): Promise<void> {
    await this.connections.find((c) => c.config.name === server)?.restart();
  }

  async dispose(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.stop()));
  }

  private build(): Tool<any>[] {
    const tools: Tool<any>[] = [];
    const names = new Set<string>();
    for (const connection of this.connections) {
      // A server that stopped after listing keeps its tools: the next call starts it again.
      if (connection.state === 'stopped') continue;
      for (const info of connection.tools) {
        let name = mcpToolName(connection.config.name, info.name);
        // Two tools that read the same once sanitised stay apart.
        for (let n = 2; names.has(name); n++) name = `${mcpToolName(connection.config.name, info.name).slice(0, 60)}_${n}`;
        names.add(name);
        tools.push(mcpTool(connection.config.name, info, name, connection, connection.config.fromWorkspace === true));
      }
    }
    return tools;
  }
}
