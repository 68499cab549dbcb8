/**
 * The CLI's MCP servers: the user's own (the config file's `mcp.servers`, each --mcp-config file)
 * and, only with --trust-workspace-mcp, those the workspace defines (.vscode/mcp.json, .mcp.json).
 * They start while the model server is found; the first request waits for them at most the start
 * time, and a server that is not ready by then is named and the task starts without it.
 */
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import type { Host } from '../core/host/host';
import { childEnvironment, userConfigEnvironment } from '../core/host/commandEnvironment';
import { type McpConfigProblem, type McpServerConfig, parseMcpServers } from '../core/mcp/config';
import type { McpHub } from '../core/mcp/hub';
import { describeServer, findWorkspaceMcp, WORKSPACE_MCP_FILES } from '../core/mcp/workspaceServers';
import { ConfigError } from './userConfig';

/** The user's servers: the config file's, then each --mcp-config file's (a later one with the same name is refused). */
export function loadUserMcp(
  files: readonly string[],
  fromConfig: unknown,
  where: { configFile: string; workspace: string },
): { servers: McpServerConfig[]; problems: McpConfigProblem[] } {
  const substitution = { env: userConfigEnvironment(), workspaceFolder: where.workspace };
  const configFile = where.configFile;
  const found = fromConfig === undefined ? { servers: [], problems: [] } : parseMcpServers({ servers: fromConfig }, configFile, substitution);
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(l10n.t('--mcp-config {0}: cannot be read ({1}).', file, (error as NodeJS.ErrnoException).code ?? 'error'));
    }
    const errors: ParseError[] = [];
    const value = parseJsonc(text, errors, { allowTrailingComma: true });
    if (errors.length) throw new ConfigError(l10n.t('--mcp-config {0}: not valid JSON.', file));
    const parsed = parseMcpServers(value, file, substitution);
    if (!parsed.servers.length && !parsed.problems.length && !hasTable(value))
      throw new ConfigError(l10n.t('--mcp-config {0}: expected {"servers": {NAME: {command, args, env} | {url, headers}}} (or "mcpServers").', file));
    found.servers.push(...parsed.servers);
    found.problems.push(...parsed.problems);
  }
  return dedupe(found.servers, found.problems);
}

function hasTable(value: unknown): boolean {
  return Boolean(value && typeof value === 'object' && ('servers' in value || 'mcpServers' in value));
}

function dedupe(servers: McpServerConfig[], problems: McpConfigProblem[]) {
  const kept: McpServerConfig[] = [];
  for (const server of servers) {
    const first = kept.find((k) => k.name === server.name);
    if (first) problems.push({ server: server.name, origin: server.origin, reason: l10n.t('the name is already used by {0}', first.origin) });
    else kept.push(server);
  }
  return { servers: kept, problems };
}

type McpModule = typeof import('../core/mcp/bundle');
let loaded: McpModule | undefined;

/** The MCP client: dist/mcp.js in the bundle (the build defines STEPWISE_BUNDLED), the sources otherwise. */
function mcpModule(): McpModule {
  loaded ??= (globalThis as { STEPWISE_BUNDLED?: boolean }).STEPWISE_BUNDLED
    ? (require('./mcp.js') as McpModule)
    : (require('../core/mcp/bundle') as McpModule);
  return loaded;
}

/** At a hard exit: the MCP servers' process groups too (the MCP bundle keeps its own list). */
export function killMcpProcesses(): void {
  loaded?.killAllProcessGroups();
}

export interface CliMcp {
  hub: McpHub;
  /** Waits for the servers (at most the start time) and names those not ready. */
  ready(contextTokens: number): Promise<void>;
}

/** Starts the servers now (the model server is found meanwhile); undefined when there are none. */
export async function startCliMcp(
  user: { servers: McpServerConfig[] },
  options: { host: Host; workspace: string; trustWorkspace: boolean; say: (m: string) => void },
): Promise<CliMcp | undefined> {
  const servers = [...user.servers];
  // Most workspaces have neither file: a plain look first keeps the Host's path checks off the start-up path.
  const present = WORKSPACE_MCP_FILES.some((name) => fs.existsSync(path.join(options.workspace, name)));
  const files = present ? await findWorkspaceMcp(options.host, { env: childEnvironment() }, (root) => path.join(options.workspace, root)) : [];
  for (const file of files) {
    const names = file.servers.map(describeServer);
    if (!options.trustWorkspace) {
      if (names.length)
        options.say(l10n.t('{0} defines MCP servers that were not started ({1}); pass --trust-workspace-mcp to start them.', file.path, names.join('; ')));
      continue;
    }
    for (const problem of file.problems) options.say(l10n.t('MCP server {0} ({1}) not started: {2}', problem.server, problem.origin, problem.reason));
    for (const server of file.servers) {
      if (servers.some((s) => s.name === server.name))
        options.say(l10n.t('MCP server {0} in {1} not started: your own server has that name.', server.name, file.path));
      else servers.push(server);
    }
  }
  if (!servers.length) return undefined;
  const { McpHub } = mcpModule();
  const hub = new McpHub(servers, { cwd: options.workspace });
  const started = hub.start();
  return {
    hub,
    async ready(contextTokens) {
      // Schemas of many tools would crowd a small window: past a tenth of it, find_tools offers them.
      hub.toolBudgetTokens = Math.min(1_500, Math.floor(contextTokens / 10));
      const report = await started;
      for (const { server, reason } of report.notReady)
        options.say(l10n.t('MCP server {0} is not available ({1}); the task starts without it.', server, reason));
    },
  };
}
