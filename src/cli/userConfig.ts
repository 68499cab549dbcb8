/**
 * The user's own Stepwise settings for the CLI: ~/.config/stepwise/config.json (XDG_CONFIG_HOME
 * honoured), and where Stepwise keeps state ($XDG_STATE_HOME/stepwise, else ~/.local/state/stepwise).
 * Nothing in a workspace can set these.
 */
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as z from 'zod';
import { DEFAULT_CHECKPOINT_SETTINGS, type CheckpointSettings } from '../core/checkpoints/types';
import { parseRule } from '../core/commands/rules';
import { userConfigDir } from '../core/context/userInstructions';
import type { RuleLists } from '../core/commands/ruleSet';

export function stateDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'stepwise');
}

export function configFile(env: NodeJS.ProcessEnv): string {
  return path.join(userConfigDir(env), 'config.json');
}

const Checkpoints = z
  .object({
    maxStorageMB: z.number().positive(),
    maxAgeDays: z.number().positive(),
    maxFileMB: z.number().positive(),
    /** gitignore patterns left out of command scans; replaces the built-in list. */
    exclude: z.array(z.string().min(1)),
  })
  .partial()
  .strict();

const Commands = z
  .object({
    allow: z.array(z.string()),
    deny: z.array(z.string()),
    /** The built-in list of read-only commands that run without asking (default true). */
    builtInAllow: z.boolean(),
  })
  .partial()
  .strict();

/** MCP servers (the `servers` table of an mcp.json) and the servers or tools that run without asking. */
const Mcp = z
  .object({ servers: z.record(z.string(), z.unknown()), allow: z.array(z.string()) })
  .partial()
  .strict();
/** Hosts web_fetch reaches without asking, and local fetches. */
const Web = z
  .object({ allowedHosts: z.array(z.string()), allowLocalFetch: z.boolean() })
  .partial()
  .strict();

const UserConfig = z.looseObject({ checkpoints: Checkpoints.optional(), commands: Commands.optional(), mcp: Mcp.optional(), web: Web.optional() });

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface UserSettings {
  file: string;
  checkpoints: CheckpointSettings;
  commands: RuleLists;
  mcp: z.infer<typeof Mcp>;
  web: z.infer<typeof Web>;
}

export function loadUserConfig(env: NodeJS.ProcessEnv): UserSettings {
  const file = configFile(env);
  let raw: unknown = {};
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new ConfigError(l10n.t('{0} is not valid JSON ({1}).', file, (error as Error).message.split('\n')[0] ?? ''));
  }
  const parsed = UserConfig.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${file}: ${issue?.path.join('.') || l10n.t('the file')}: ${issue?.message ?? l10n.t('invalid')}.`);
  }
  const c = parsed.data.checkpoints ?? {};
  const commands = parsed.data.commands ?? {};
  // A bad rule is found now, with the file named: never half-applied during a task.
  for (const [list, rules] of [
    ['allow', commands.allow],
    ['deny', commands.deny],
  ] as const) {
    for (const rule of rules ?? []) {
      try {
        parseRule(rule);
      } catch (error) {
        throw new ConfigError(`${file}: commands.${list}: ${(error as Error).message}`);
      }
    }
  }
  return {
    file,
    commands,
    mcp: parsed.data.mcp ?? {},
    web: parsed.data.web ?? {},
    checkpoints: {
      maxStorageBytes: c.maxStorageMB !== undefined ? c.maxStorageMB * 1024 ** 2 : DEFAULT_CHECKPOINT_SETTINGS.maxStorageBytes,
      maxAgeDays: c.maxAgeDays ?? DEFAULT_CHECKPOINT_SETTINGS.maxAgeDays,
      maxFileBytes: c.maxFileMB !== undefined ? c.maxFileMB * 1024 ** 2 : DEFAULT_CHECKPOINT_SETTINGS.maxFileBytes,
      exclude: c.exclude ?? DEFAULT_CHECKPOINT_SETTINGS.exclude,
    },
  };
}

export function checkpointDir(env: NodeJS.ProcessEnv): string {
  return path.join(stateDir(env), 'checkpoints');
}
