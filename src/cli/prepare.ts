/**
 * What `stepwise run` checks before anything starts (else exit 2): the key, the workspace, the
 * server's address, the user's config and rules, and the files given with --attach.
 */
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CommandRules } from '../core/commands/ruleSet';
import type { CheckpointSettings } from '../core/checkpoints/types';
import type { TaskContextOptions } from '../core/context/taskContext';
import { baseUrlProblem } from '../core/model/baseUrl';
import { makeRedactor } from '../core/redact';
import { escapeControls } from '../core/text/controlChars';
import { readKeyFile } from './apiKey';
import type { RunConfig } from './args';
import { hideSecrets } from './hideSecrets';
import type { McpServerConfig } from '../core/mcp/config';
import type { WebAccess } from '../core/tools/defineTool';
import { loadUserMcp } from './mcpSetup';
import { AttachError, cliContext } from './userContext';
import { ConfigError, loadUserConfig } from './userConfig';

export const EXIT_CONFIG = 2;

export interface Prepared {
  apiKey: string | undefined;
  say: (message: string) => void;
  workspace: string;
  /** Named by a flag or the environment; undefined: found (serverChoice.ts). */
  baseUrl: string | undefined;
  settings: CheckpointSettings;
  commandRules: CommandRules;
  /** --attach files and the user's own instructions, read before anything is asked of a server. */
  context: TaskContextOptions;
  /** --attach URLs: fetched once the task can be cancelled (src/cli/userContext.ts attachUrls). */
  urls: string[];
  /** The user's MCP servers (config file, --mcp-config) and the servers or tools allowed without asking. */
  mcp: { servers: McpServerConfig[]; allow: string[] };
  /** web_fetch: the flags' hosts and the config file's. */
  web: WebAccess;
}

/** The key, the workspace, the server's address and the user's config, checked before anything starts (else exit 2). */
export function prepare(config: RunConfig): Prepared | number {
  let apiKey: string | undefined;
  try {
    apiKey = config.apiKey ?? (config.apiKeyFile !== undefined ? readKeyFile(config.apiKeyFile) : undefined);
  } catch (error) {
    process.stderr.write(`stepwise: ${(error as Error).message}\n`);
    return EXIT_CONFIG;
  }
  // Before anything runs: the commands the agent starts must not find the key in /proc.
  const hidden = hideSecrets(apiKey, 'stepwise run'); // l10n-ignore: a process title
  if (!hidden.hidden)
    process.stderr.write(
      `stepwise: ${l10n.t('warning: the API key could not be hidden from the commands Stepwise runs ({0}); pass it with --api-key-file instead.', hidden.reason ?? 'unknown')}\n`,
    );
  const redact = makeRedactor([apiKey]);
  const say = (message: string) => process.stderr.write(`stepwise: ${escapeControls(redact(message))}\n`);
  const workspace = path.resolve(config.workspace);
  if (!fs.existsSync(workspace) || !fs.statSync(workspace).isDirectory()) {
    say(l10n.t('the workspace "{0}" is not a folder.', config.workspace));
    return EXIT_CONFIG;
  }
  const baseUrl = config.baseUrl?.replace(/\/+$/, '');
  const urlProblem = baseUrl === undefined ? undefined : baseUrlProblem(baseUrl);
  if (urlProblem) {
    say(urlProblem);
    return EXIT_CONFIG;
  }
  try {
    const user = loadUserConfig(process.env);
    // Flags add to the user's lists; switching the built-in list off either way switches it off.
    const commandRules = new CommandRules({
      allow: [...(user.commands.allow ?? []), ...config.allowCommands],
      deny: [...(user.commands.deny ?? []), ...config.denyCommands],
      builtInAllow: config.builtInAllow && user.commands.builtInAllow !== false,
    });
    const { context, urls } = cliContext(config.attach, process.env);
    const mcp = loadUserMcp(config.mcpConfigs, user.mcp.servers, { configFile: user.file, workspace });
    for (const problem of mcp.problems) say(l10n.t('MCP server {0} ({1}) not started: {2}', problem.server, problem.origin, problem.reason));
    const web = {
      allowedHosts: [...(user.web.allowedHosts ?? []), ...config.allowHosts],
      allowLocal: config.allowLocalFetch || user.web.allowLocalFetch === true,
    };
    const allow = [...(user.mcp.allow ?? []), ...config.allowMcp];
    return { apiKey, say, workspace, baseUrl, settings: user.checkpoints, commandRules, context, urls, mcp: { servers: mcp.servers, allow }, web };
  } catch (error) {
    if (!(error instanceof ConfigError) && !(error instanceof AttachError)) throw error;
    say(error.message);
    return EXIT_CONFIG;
  }
}
