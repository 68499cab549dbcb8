/** Parses `stepwise run [options] "GOAL"` into a checked configuration, or a usage error (exit 2). */
import { parseArgs } from 'node:util';
import { PRESETS, presetById } from '../core/model/presets';
import type { ToolProtocol } from '../core/model/toolProtocolClient';
import { parseRule } from '../core/commands/rules';
import { DEFAULT_MAX_STEPS } from '../core/tools/limits';

export type ApproveLevel = 'none' | 'reads' | 'edits' | 'all';

export interface RunConfig {
  goal: string;
  workspace: string;
  baseUrl: string | undefined;
  model: string | undefined;
  apiKey: string | undefined;
  /** Where to read the key from (--api-key-file, STEPWISE_API_KEY_FILE), when not given directly. */
  apiKeyFile: string | undefined;
  approve: ApproveLevel;
  maxSteps: number;
  /** Given with --context-window; otherwise asked from the server. */
  contextWindow: number | undefined;
  toolProtocol: ToolProtocol;
  budgetTokens: number | undefined;
  budgetUsd: number | undefined;
  json: boolean;
  /** Record a checkpoint before each changing step (off with --no-checkpoints). */
  checkpoints: boolean;
  /** --allow-command / --deny-command rules (checked here: a bad one is a usage error). */
  allowCommands: string[];
  denyCommands: string[];
  /** The built-in list of read-only commands (off with --no-builtin-allow). */
  builtInAllow: boolean;
  /** Forget that this model needed the text tool protocol (--reset-tool-protocol). */
  resetToolProtocol: boolean;
}

export interface CheckpointsConfig {
  workspace: string;
  task: string | undefined;
  json: boolean;
}

export interface RestoreConfig {
  workspace: string;
  task: string | undefined;
  /** Restore to right before this step; undefined with --undo. */
  step: number | undefined;
  undo: boolean;
  yes: boolean;
  includeChanged: boolean;
}

export type ParsedCommand =
  | { kind: 'run'; config: RunConfig }
  | { kind: 'checkpoints'; config: CheckpointsConfig }
  | { kind: 'restore'; config: RestoreConfig }
  | { kind: 'help' }
  | { kind: 'version' };

/** Options each command takes (beyond --help/--version). */
const COMMAND_OPTIONS: Record<string, string[]> = {
  run: [
    'workspace',
    'base-url',
    'model',
    'api-key',
    'api-key-file',
    'approve',
    'max-steps',
    'context-window',
    'provider',
    'budget-tokens',
    'budget-usd',
    'tool-protocol',
    'json',
    'no-checkpoints',
    'allow-command',
    'deny-command',
    'no-builtin-allow',
    'reset-tool-protocol',
  ],
  checkpoints: ['workspace', 'task', 'json'],
  restore: ['workspace', 'task', 'step', 'undo', 'yes', 'include-changed'],
};

export class UsageError extends Error {
  override name = 'UsageError';
}

export const HELP = `Usage: stepwise run [options] "GOAL"
       stepwise checkpoints [--workspace DIR] [--task ID] [--json]
       stepwise restore [--workspace DIR] [--task ID] --step N [--yes] [--include-changed]
       stepwise restore [--workspace DIR] --undo [--yes]

run: runs the Stepwise agent on a folder until the goal is done, with a checkpoint before each
step that may change files. checkpoints: lists tasks and their checkpoints. restore: puts the
files back as they were right before step N of a task (default: the latest task), after showing
the list and asking (--yes without a terminal); --undo takes the last restore back. Files changed
outside the task's steps since are kept unless --include-changed.

Options:
  --workspace DIR        folder to work in (default: current directory)
  --base-url URL         OpenAI-compatible server (env OPENAI_BASE_URL; default: local Ollama,
                         http://127.0.0.1:11434/v1)
  --provider NAME        a server's usual address: ${PRESETS.map((p) => p.id).join(' | ')}
  --model NAME           model name (env STEPWISE_MODEL; default: the server's first chat model)
  --api-key KEY          API key (env OPENAI_API_KEY; local servers need none)
  --api-key-file FILE    read the API key from FILE (env STEPWISE_API_KEY_FILE): it never
                         appears in the process list or environment
  --approve LEVEL        steps that run without asking: none | reads | edits | all (default: reads)
  --max-steps N          model turns before giving up (default: ${DEFAULT_MAX_STEPS})
  --context-window N     the model's context window in tokens (default: asked from the server —
                         Ollama, LM Studio, llama.cpp, vLLM —, else known hosted models, else 32768)
  --budget-tokens N      pause before the task uses more than N tokens (asks on a terminal,
                         stops otherwise)
  --budget-usd X         the same for the estimated cost of a priced hosted model
  --tool-protocol MODE   how the model calls tools: auto | native | text (default: auto: native
                         tool calls, switching to text when the model or server cannot)
  --reset-tool-protocol  forget that this model needed the text protocol, and start native again
  --json                 one JSON event per line on stdout
  --no-checkpoints       run without checkpoints (also when they cannot be stored)
  --allow-command RULE   run commands this rule covers without asking (repeatable):
                         "npm test" = exactly those words, "git diff *" = those words and any
                         arguments, "/re/" = an anchored regular expression on the words
  --deny-command RULE    never run commands this rule covers, whatever else allows them
  --no-builtin-allow     ask also for the built-in read-only commands (ls, cat, git status…)
  -h, --help             show this help
  -v, --version          show the version

On a terminal, other steps are asked: y (yes), y N (this and the next N-1), a (always for this
kind of step), r (allow the command as a rule for this run), n [feedback] (no, and tell the model
why). Without a terminal they are denied. Rules also come from ~/.config/stepwise/config.json:
{"commands": {"allow": [...], "deny": [...], "builtInAllow": true}}.
Exit codes: 0 finished (restore: restored), 1 failed/cancelled/step limit (restore: nothing
restored), 2 bad usage or configuration.`;

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${name} must be a positive whole number, not "${value}".`);
  return Number(value);
}

function atLeast(value: number, min: number, name: string): number {
  if (value < min) throw new UsageError(`${name} must be at least ${min} tokens (the prompt and tool definitions alone take about 1,000).`);
  return value;
}

const OPTIONS = {
  workspace: { type: 'string' },
  'base-url': { type: 'string' },
  model: { type: 'string' },
  'api-key': { type: 'string' },
  'api-key-file': { type: 'string' },
  approve: { type: 'string' },
  'max-steps': { type: 'string' },
  'context-window': { type: 'string' },
  provider: { type: 'string' },
  'budget-tokens': { type: 'string' },
  'budget-usd': { type: 'string' },
  'tool-protocol': { type: 'string' },
  json: { type: 'boolean' },
  'no-checkpoints': { type: 'boolean' },
  'allow-command': { type: 'string', multiple: true },
  'deny-command': { type: 'string', multiple: true },
  'no-builtin-allow': { type: 'boolean' },
  'reset-tool-protocol': { type: 'boolean' },
  task: { type: 'string' },
  step: { type: 'string' },
  undo: { type: 'boolean' },
  yes: { type: 'boolean' },
  'include-changed': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'Invalid options.');
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const [command, ...rest] = positionals;
  if (command === undefined || !(command in COMMAND_OPTIONS)) {
    throw new UsageError(command ? `Unknown command "${command}"; the commands are run, checkpoints and restore.` : 'Missing command: stepwise run "GOAL".');
  }
  const allowed = COMMAND_OPTIONS[command]!;
  const stray = Object.keys(values).find((name) => name !== 'help' && name !== 'version' && !allowed.includes(name));
  if (stray) throw new UsageError(`--${stray} is not an option of "stepwise ${command}".`);
  if (command === 'checkpoints' || command === 'restore') return checkpointCommand(command, values, rest);
  return { kind: 'run', config: runConfig(values, rest, env) };
}

/** `stepwise run`'s options, checked: a bad one is a usage error (exit 2). */
function runConfig(values: Values, rest: string[], env: NodeJS.ProcessEnv): RunConfig {
  const goal = rest.join(' ').trim();
  if (!goal) throw new UsageError('Missing goal: stepwise run "what you want done".');
  const approve = values.approve ?? 'reads';
  if (!['none', 'reads', 'edits', 'all'].includes(approve)) {
    throw new UsageError(`--approve must be none, reads, edits or all, not "${approve}".`);
  }
  const toolProtocol = values['tool-protocol'] ?? 'auto';
  if (!['auto', 'native', 'text'].includes(toolProtocol)) {
    throw new UsageError(`--tool-protocol must be auto, native or text, not "${toolProtocol}".`);
  }
  const preset = values.provider === undefined ? undefined : presetById(values.provider);
  if (values.provider !== undefined && !preset) {
    throw new UsageError(`--provider must be ${PRESETS.map((p) => p.id).join(', ')}, not "${values.provider}" (for another server, pass --base-url).`);
  }
  if (values['api-key'] !== undefined && values['api-key-file'] !== undefined) {
    throw new UsageError('Give the API key once: --api-key or --api-key-file, not both.');
  }
  // An explicit flag wins over the environment; a key given directly wins over a file.
  const apiKey = values['api-key'] ?? (values['api-key-file'] === undefined ? env.OPENAI_API_KEY || undefined : undefined);
  const apiKeyFile = apiKey === undefined ? (values['api-key-file'] ?? (env.STEPWISE_API_KEY_FILE || undefined)) : undefined;
  const budgetUsd = values['budget-usd'];
  if (budgetUsd !== undefined && !(/^(\d+(\.\d*)?|\.\d+)$/.test(budgetUsd) && Number(budgetUsd) > 0)) {
    throw new UsageError(`--budget-usd must be a positive amount such as 0.50, not "${budgetUsd}".`);
  }
  return {
    goal,
    workspace: values.workspace ?? process.cwd(),
    baseUrl: values['base-url'] ?? preset?.baseUrl ?? (env.OPENAI_BASE_URL || undefined),
    model: values.model ?? (env.STEPWISE_MODEL || undefined),
    apiKey,
    apiKeyFile,
    approve: approve as ApproveLevel,
    maxSteps: positiveInt(values['max-steps'], '--max-steps', DEFAULT_MAX_STEPS),
    contextWindow:
      values['context-window'] === undefined ? undefined : atLeast(positiveInt(values['context-window'], '--context-window', 0), 2048, '--context-window'),
    budgetTokens: values['budget-tokens'] === undefined ? undefined : positiveInt(values['budget-tokens'], '--budget-tokens', 0),
    budgetUsd: budgetUsd === undefined ? undefined : Number(budgetUsd),
    toolProtocol: toolProtocol as ToolProtocol,
    json: values.json ?? false,
    checkpoints: !values['no-checkpoints'],
    allowCommands: checkedRules(values['allow-command'], '--allow-command'),
    denyCommands: checkedRules(values['deny-command'], '--deny-command'),
    builtInAllow: !values['no-builtin-allow'],
    resetToolProtocol: values['reset-tool-protocol'] === true,
  };
}

function checkedRules(rules: string[] | undefined, flag: string): string[] {
  for (const rule of rules ?? []) {
    try {
      parseRule(rule);
    } catch (error) {
      throw new UsageError(`${flag}: ${(error as Error).message}`);
    }
  }
  return rules ?? [];
}

function checkpointCommand(command: 'checkpoints' | 'restore', values: Record<string, string | string[] | boolean | undefined>, rest: string[]): ParsedCommand {
  if (rest.length) throw new UsageError(`"stepwise ${command}" takes no arguments besides its options (got "${rest[0]}").`);
  const workspace = typeof values.workspace === 'string' ? values.workspace : process.cwd();
  const task = typeof values.task === 'string' ? values.task : undefined;
  if (task !== undefined && !/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/.test(task))
    throw new UsageError(`--task must be a task id as listed by "stepwise checkpoints", not "${task}".`);
  if (command === 'checkpoints') return { kind: 'checkpoints', config: { workspace, task, json: values.json === true } };
  const undo = values.undo === true;
  const stepText = typeof values.step === 'string' ? values.step : undefined;
  if (undo && (stepText !== undefined || task !== undefined)) throw new UsageError('--undo takes back the last restore: give it without --step or --task.');
  if (!undo && stepText === undefined) throw new UsageError('restore needs --step N (the step to go back to, as listed by "stepwise checkpoints") or --undo.');
  return {
    kind: 'restore',
    config: {
      workspace,
      task,
      step: stepText === undefined ? undefined : positiveInt(stepText, '--step', 1),
      undo,
      yes: values.yes === true,
      includeChanged: values['include-changed'] === true,
    },
  };
}
