/** Parses `stepwise run [options] "GOAL"` into a checked configuration, or a usage error (exit 2). */
import * as l10n from '@vscode/l10n';
import { parseArgs } from 'node:util';
import { PRESETS, presetById } from '../core/model/presets';
import type { ToolProtocol } from '../core/model/toolProtocolClient';
import { parseRule } from '../core/commands/rules';
import { DEFAULT_MAX_STEPS } from '../core/tools/limits';

export type { ApproveLevel, CheckpointsConfig, DoctorConfig, ParsedCommand, RestoreConfig, RunConfig, ServerOptions } from './commandConfig';
import type { ApproveLevel, ParsedCommand, RunConfig, ServerOptions } from './commandConfig';

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
    'attach',
    'compaction',
    'allow-host',
    'allow-local-fetch',
    'mcp-config',
    'trust-workspace-mcp',
    'allow-mcp',
    'model-file',
  ],
  doctor: ['base-url', 'provider', 'model', 'api-key', 'api-key-file', 'no-probe', 'model-file'],
  checkpoints: ['workspace', 'task', 'json'],
  restore: ['workspace', 'task', 'step', 'undo', 'yes', 'include-changed'],
};

export class UsageError extends Error {
  override name = 'UsageError';
}

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(l10n.t('{0} must be a positive whole number, not "{1}".', name, value));
  return Number(value);
}

function atLeast(value: number, min: number, name: string): number {
  if (value < min) throw new UsageError(l10n.t('{0} must be at least {1} tokens (the prompt and tool definitions alone take about 1,000).', name, min));
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
  'no-probe': { type: 'boolean' },
  attach: { type: 'string', multiple: true },
  compaction: { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  'allow-local-fetch': { type: 'boolean' },
  'mcp-config': { type: 'string', multiple: true },
  'trust-workspace-mcp': { type: 'boolean' },
  'allow-mcp': { type: 'string', multiple: true },
  'model-file': { type: 'string' },
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
    throw new UsageError((error as Error).message.split('\n')[0] ?? l10n.t('Invalid options.'));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const [command, ...rest] = positionals;
  if (command === undefined || !(command in COMMAND_OPTIONS)) {
    throw new UsageError(
      command
        ? l10n.t('Unknown command "{0}"; the commands are run, doctor, checkpoints and restore.', command)
        : l10n.t('Missing command: stepwise run "GOAL".'),
    );
  }
  const allowed = COMMAND_OPTIONS[command]!;
  const stray = Object.keys(values).find((name) => name !== 'help' && name !== 'version' && !allowed.includes(name));
  if (stray) throw new UsageError(l10n.t('--{0} is not an option of "stepwise {1}".', stray, command));
  if (command === 'checkpoints' || command === 'restore') return checkpointCommand(command, values, rest);
  if (command === 'doctor') {
    if (rest.length) throw new UsageError(l10n.t('stepwise doctor takes no arguments, only options (got "{0}").', rest[0] ?? ''));
    return { kind: 'doctor', config: { ...serverOptions(values, env), probe: !values['no-probe'] } };
  }
  return { kind: 'run', config: runConfig(values, rest, env) };
}

/** `stepwise run`'s options, checked: a bad one is a usage error (exit 2). */
function runConfig(values: Values, rest: string[], env: NodeJS.ProcessEnv): RunConfig {
  const goal = rest.join(' ').trim();
  if (!goal) throw new UsageError(l10n.t('Missing goal: stepwise run "what you want done".'));
  const approve = values.approve ?? 'reads';
  if (!['none', 'reads', 'edits', 'all'].includes(approve)) {
    throw new UsageError(l10n.t('--approve must be none, reads, edits or all, not "{0}".', approve));
  }
  const toolProtocol = values['tool-protocol'] ?? 'auto';
  if (!['auto', 'native', 'text'].includes(toolProtocol)) {
    throw new UsageError(l10n.t('--tool-protocol must be auto, native or text, not "{0}".', toolProtocol));
  }
  const compaction = values.compaction;
  if (compaction !== undefined && compaction !== 'model' && compaction !== 'mechanical') {
    throw new UsageError(l10n.t('--compaction must be model or mechanical, not "{0}".', compaction));
  }
  const budgetUsd = values['budget-usd'];
  if (budgetUsd !== undefined && !(/^(\d+(\.\d*)?|\.\d+)$/.test(budgetUsd) && Number(budgetUsd) > 0)) {
    throw new UsageError(l10n.t('--budget-usd must be a positive amount such as 0.50, not "{0}".', budgetUsd));
  }
  return {
    goal,
    workspace: values.workspace ?? process.cwd(),
    ...serverOptions(values, env),
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
    attach: values.attach ?? [],
    compaction,
    allowHosts: (values['allow-host'] ?? []).map((h) => h.trim().toLowerCase()).filter(Boolean),
    allowLocalFetch: values['allow-local-fetch'] === true,
    mcpConfigs: values['mcp-config'] ?? [],
    trustWorkspaceMcp: values['trust-workspace-mcp'] === true,
    allowMcp: (values['allow-mcp'] ?? []).map((e) => e.trim()).filter(Boolean),
  };
}

/** --base-url or --provider (not both), --model, the key; each falls back to its environment variable. */
function serverOptions(values: Values, env: NodeJS.ProcessEnv): ServerOptions {
  if (values.provider === 'embedded') return embeddedOptions(values);
  if (values['model-file'] !== undefined) throw new UsageError(l10n.t('--model-file is for --provider embedded (a GGUF model Stepwise runs itself).'));
  const preset = values.provider === undefined ? undefined : presetById(values.provider);
  if (values.provider !== undefined && !preset) {
    throw new UsageError(
      l10n.t('--provider must be {0}, not "{1}" (for another server, pass --base-url).', [...PRESETS.map((p) => p.id), 'embedded'].join(', '), values.provider),
    );
  }
  if (values.provider !== undefined && values['base-url'] !== undefined)
    throw new UsageError(l10n.t('Give the server once: --base-url or --provider, not both.'));
  if (values['api-key'] !== undefined && values['api-key-file'] !== undefined) {
    throw new UsageError(l10n.t('Give the API key once: --api-key or --api-key-file, not both.'));
  }
  // An explicit flag wins over the environment; a key given directly wins over a file.
  const apiKey = values['api-key'] ?? (values['api-key-file'] === undefined ? env.OPENAI_API_KEY || undefined : undefined);
  return {
    baseUrl: values['base-url'] ?? preset?.baseUrl ?? (env.OPENAI_BASE_URL || undefined),
    model: values.model ?? (env.STEPWISE_MODEL || undefined),
    apiKey,
    apiKeyFile: apiKey === undefined ? (values['api-key-file'] ?? (env.STEPWISE_API_KEY_FILE || undefined)) : undefined,
  };
}

/** --provider embedded: no server, address or key; the model file, when given, must be named. */
function embeddedOptions(values: Values): ServerOptions {
  const other = (['base-url', 'api-key', 'api-key-file', 'model'] as const).find((name) => values[name] !== undefined);
  if (other) throw new UsageError(l10n.t('--{0} is for a model server; --provider embedded runs a model file (--model-file PATH).', other));
  const modelFile = values['model-file'];
  if (modelFile !== undefined && !modelFile.trim()) throw new UsageError(l10n.t('--model-file needs the path of a GGUF file.'));
  return { baseUrl: undefined, model: undefined, apiKey: undefined, apiKeyFile: undefined, embedded: { modelFile } };
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
  if (rest.length) throw new UsageError(l10n.t('"stepwise {0}" takes no arguments besides its options (got "{1}").', command, rest[0] ?? ''));
  const workspace = typeof values.workspace === 'string' ? values.workspace : process.cwd();
  const task = typeof values.task === 'string' ? values.task : undefined;
  if (task !== undefined && !/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/.test(task))
    throw new UsageError(l10n.t('--task must be a task id as listed by "stepwise checkpoints", not "{0}".', task));
  if (command === 'checkpoints') return { kind: 'checkpoints', config: { workspace, task, json: values.json === true } };
  const undo = values.undo === true;
  const stepText = typeof values.step === 'string' ? values.step : undefined;
  if (undo && (stepText !== undefined || task !== undefined))
    throw new UsageError(l10n.t('--undo takes back the last restore: give it without --step or --task.'));
  if (!undo && stepText === undefined)
    throw new UsageError(l10n.t('restore needs --step N (the step to go back to, as listed by "stepwise checkpoints") or --undo.'));
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
