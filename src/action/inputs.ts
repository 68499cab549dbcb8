/**
 * The GitHub Action's inputs. action.yml hands each one over as an environment variable
 * (INPUT_GOAL, INPUT_BASE_URL, …), never inside the script it runs: a goal taken from an issue's
 * title is text for the model, not shell. Each is checked here before anything is installed or
 * started, so a mistake costs one line in the log, named by the input the user wrote.
 */
import * as fs from 'node:fs';
import * as l10n from '@vscode/l10n';
import { presetById, PRESETS } from '../core/model/presets';

export interface ActionInputs {
  goal: string;
  provider?: string;
  baseUrl?: string;
  model?: string;
  apiKey?: string;
  approve: 'none' | 'reads' | 'edits' | 'all';
  allowCommands: string[];
  denyCommands: string[];
  maxSteps?: number;
  budgetUsd?: number;
  workspace: string;
}

/** A bad input: the message names it and says what to write instead. */
export class InputError extends Error {}

const APPROVE_LEVELS = ['none', 'reads', 'edits', 'all'] as const;
const MAX_GOAL_BYTES = 100_000;
const PROVIDERS = [...PRESETS.map((p) => p.id), 'embedded'];

export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const input = (name: string) => (env[`INPUT_${name}`] ?? '').trim();
  const goal = input('GOAL');
  if (!goal) throw new InputError(l10n.t('goal is empty: say what Stepwise should do, e.g. `goal: Fix the failing test in src/parser.ts`.'));
  // Linux takes at most 128 KiB in one argument; the goal is one.
  if (Buffer.byteLength(goal) > MAX_GOAL_BYTES)
    throw new InputError(
      l10n.t(
        'goal is {0} KB; at most {1} KB fit: shorten it, or put the long part in a file and name it with @path.',
        Math.ceil(Buffer.byteLength(goal) / 1000),
        MAX_GOAL_BYTES / 1000,
      ),
    );
  const provider = input('PROVIDER') || undefined;
  if (provider !== undefined && !PROVIDERS.includes(provider))
    throw new InputError(l10n.t('provider must be {0}, not "{1}" (for another server, set base-url).', PROVIDERS.join(', '), provider));
  const baseUrl = input('BASE_URL') || undefined;
  if (provider !== undefined && baseUrl !== undefined) throw new InputError(l10n.t('Set provider or base-url, not both.'));
  if (baseUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(baseUrl))
    throw new InputError(l10n.t('base-url must be an http:// or https:// address such as http://localhost:11434/v1, not "{0}".', baseUrl));
  const apiKey = input('API_KEY') || undefined;
  if (!apiKey && provider !== undefined && presetById(provider)?.needsKey)
    throw new InputError(
      l10n.t(
        'api-key is empty, and provider {0} needs one: store the key as a repository secret and pass `api-key: ${{ secrets.OPENAI_API_KEY }}` (secrets are empty in runs started from a fork).',
        provider,
      ),
    );
  const approve = input('APPROVE') || 'edits';
  if (!(APPROVE_LEVELS as readonly string[]).includes(approve)) throw new InputError(l10n.t('approve must be none, reads, edits or all, not "{0}".', approve));
  const workspace = input('WORKSPACE') || env.GITHUB_WORKSPACE || process.cwd();
  if (!isDirectory(workspace)) throw new InputError(l10n.t('workspace {0} is not a folder: check out the repository first (actions/checkout).', workspace));
  return {
    goal,
    provider,
    baseUrl,
    model: input('MODEL') || undefined,
    apiKey,
    approve: approve as ActionInputs['approve'],
    allowCommands: rules(input('ALLOW_COMMAND')),
    denyCommands: rules(input('DENY_COMMAND')),
    maxSteps: count(input('MAX_STEPS'), 'max-steps'),
    budgetUsd: amount(input('BUDGET_USD')),
    workspace,
  };
}

/** One rule per line; blank lines and `#` comments are skipped. */
function rules(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

function count(text: string, name: string): number | undefined {
  if (!text) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new InputError(l10n.t('{0} must be a whole number above 0, not "{1}".', name, text));
  return Number(text);
}

function amount(text: string): number | undefined {
  if (!text) return undefined;
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text) || !(Number(text) > 0))
    throw new InputError(l10n.t('budget-usd must be a positive amount such as 0.50, not "{0}".', text));
  return Number(text);
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** The `stepwise run` arguments for these inputs (the key goes by environment, never on the command line). */
export function cliArguments(inputs: ActionInputs): string[] {
  const args = ['run', '--json', '--workspace', inputs.workspace, '--approve', inputs.approve];
  if (inputs.provider) args.push('--provider', inputs.provider);
  if (inputs.baseUrl) args.push('--base-url', inputs.baseUrl);
  if (inputs.model) args.push('--model', inputs.model);
  for (const rule of inputs.allowCommands) args.push('--allow-command', rule);
  for (const rule of inputs.denyCommands) args.push('--deny-command', rule);
  if (inputs.maxSteps !== undefined) args.push('--max-steps', String(inputs.maxSteps));
  if (inputs.budgetUsd !== undefined) args.push('--budget-usd', String(inputs.budgetUsd));
  // After `--` a goal that starts with a dash is still the goal.
  args.push('--', inputs.goal);
  return args;
}
