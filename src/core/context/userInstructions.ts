/**
 * The user's own instructions for every task: ~/.config/stepwise/AGENTS.md (XDG_CONFIG_HOME
 * honoured; the CLI and VS Code read the same file), then, in VS Code, the stepwise.instructions
 * setting. The user's own configuration, never the workspace's; capped.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { InstructionFile } from './instructionFiles';

const MAX_CHARS = 16_000;

/** ~/.config/stepwise (or $XDG_CONFIG_HOME/stepwise when that is an absolute path). */
export function userConfigDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(base, 'stepwise');
}

export function readUserInstructions(env: NodeJS.ProcessEnv, setting = ''): InstructionFile | undefined {
  let fromFile = '';
  try {
    fromFile = fs
      .readFileSync(path.join(userConfigDir(env), 'AGENTS.md'), 'utf8')
      .slice(0, MAX_CHARS)
      .trim();
  } catch {
    // No file: the setting alone, if any.
  }
  const text = [fromFile, setting.trim()].filter(Boolean).join('\n\n');
  if (!text) return undefined;
  const shown = [fromFile && '~/.config/stepwise/AGENTS.md', setting.trim() && 'stepwise.instructions'].filter(Boolean).join(' + ');
  return { path: shown, text: text.slice(0, MAX_CHARS), ...(text.length > MAX_CHARS ? { cutFrom: Buffer.byteLength(text) } : {}) };
}
