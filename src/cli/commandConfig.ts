/** What each `stepwise` command is run with, once its command line is checked (src/cli/args.ts). */
import type { CompactionMethod } from '../core/agent/compaction';
import type { ToolProtocol } from '../core/model/toolProtocolClient';

export type ApproveLevel = 'none' | 'reads' | 'edits' | 'all';

export interface RunConfig extends ServerOptions {
  goal: string;
  workspace: string;
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
  /** Files attached to the goal (--attach, repeatable), besides `@path` in the goal. */
  attach: string[];
  /** --compaction; undefined: the model's summary from a 16k window up, else mechanical. */
  compaction: CompactionMethod | undefined;
  /** --allow-host (repeatable): hosts web_fetch reaches without asking; --allow-local-fetch. */
  allowHosts: string[];
  allowLocalFetch: boolean;
  /** --mcp-config files (repeatable); --trust-workspace-mcp; --allow-mcp SERVER[/TOOL] (repeatable). */
  mcpConfigs: string[];
  trustWorkspaceMcp: boolean;
  allowMcp: string[];
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

/** Where the model server is, as the user named it (flags, then the environment). */
export interface ServerOptions {
  baseUrl: string | undefined;
  model: string | undefined;
  apiKey: string | undefined;
  /** Where to read the key from (--api-key-file, STEPWISE_API_KEY_FILE), when not given directly. */
  apiKeyFile: string | undefined;
  /** --provider embedded: a GGUF model run by Stepwise itself, from --model-file (src/core/embedded). */
  embedded?: { modelFile: string | undefined };
}

export interface DoctorConfig extends ServerOptions {
  /** The one-token tool-call probe (off with --no-probe). */
  probe: boolean;
}

export type ParsedCommand =
  | { kind: 'run'; config: RunConfig }
  | { kind: 'doctor'; config: DoctorConfig }
  | { kind: 'checkpoints'; config: CheckpointsConfig }
  | { kind: 'restore'; config: RestoreConfig }
  | { kind: 'help' }
  | { kind: 'version' };
