/**
 * Stepwise's settings, read from user settings only: a cloned repository's .vscode/settings.json
 * (which a trusted folder applies) must not turn on auto-approve, send the API key to another
 * server, switch the user's key to an expensive model, or lift the step and time limits (cf.
 * CVE-2025-53773). The model the user picks for a workspace (Select Model) is kept in the
 * extension's workspace state, not in the repository's files.
 */
import * as vscode from 'vscode';
import type { ApprovalMode, ApprovalPolicy } from '../core/approval';
import { DEFAULT_BASE_URL } from '../core/model/defaults';
import { DEFAULT_KEEP_ALIVE, validKeepAlive } from '../core/model/serverCache';
import { DEFAULT_LIMITS, DEFAULT_MAX_STEPS } from '../core/tools/limits';
import { DEFAULT_CHECKPOINT_SETTINGS, type CheckpointSettings } from '../core/checkpoints/types';

export interface StepwiseSettings {
  baseUrl: string;
  model: string;
  provider: 'openai-compatible' | 'vscode-lm' | 'embedded';
  /** The GGUF file the embedded provider runs ('' for its default model). */
  embeddedModelFile: string;
  /** Set by the user (not defaults): otherwise Stepwise looks for a model (modelSource.ts). */
  configured: { baseUrl: boolean; provider: boolean };
  policy: ApprovalPolicy;
  maxSteps: number;
  commandTimeoutSeconds: number;
  /** Only when the user set it; otherwise the server is asked. */
  contextWindow: number | undefined;
  budget: { tokens?: number; costUsd?: number };
  /** The first plan is approved before any edit or command runs. */
  planFirst: boolean;
  /** Native tool calls, the text protocol, or native first with a switch when needed. */
  toolProtocol: 'auto' | 'native' | 'text';
  /** A checkpoint before each changing step, and the store's limits. */
  checkpoints: { enabled: boolean; settings: CheckpointSettings };
  /** Command rules (checked when a task starts: see commandRules.ts). */
  commands: { allow: string[]; deny: string[]; builtInAllow: boolean };
  /** The user's own instructions for every task (stepwise.instructions). */
  instructions: string;
  /** How earlier steps are summarised near the window; undefined: by the window's size. */
  compaction: 'model' | 'mechanical' | undefined;
  /** keep_alive sent to a server identified as Ollama ('' = Ollama's own default). */
  ollamaKeepAlive: string;
  /** Hosts web_fetch reads from without asking, and whether it may reach local addresses. */
  web: { allowedHosts: string[]; allowLocal: boolean };
  /** MCP servers (`SERVER`) and tools (`SERVER/TOOL`) that run without asking. */
  mcpAllow: string[];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A user-level (or default) value only; workspace and folder values are ignored. */
function userValue<T>(config: vscode.WorkspaceConfiguration, key: string, fallback: T): T {
  const inspected = config.inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
}

function mode(value: unknown, fallback: ApprovalMode): ApprovalMode {
  return value === 'ask' || value === 'auto' ? value : fallback;
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

/** Where the model picked for this workspace is kept (the extension's workspace state). */
export const WORKSPACE_MODEL_KEY = 'stepwise.workspaceModel';

/** `choices`: the extension's workspace state, where the user's per-workspace picks live. */
export function readSettings(choices?: vscode.Memento): StepwiseSettings {
  const config = vscode.workspace.getConfiguration('stepwise');
  const baseUrl = String(userValue(config, 'baseUrl', DEFAULT_BASE_URL) || DEFAULT_BASE_URL).replace(/\/+$/, '');
  const picked = choices?.get<unknown>(WORKSPACE_MODEL_KEY);
  return {
    baseUrl,
    model: typeof picked === 'string' && picked ? picked : String(userValue(config, 'model', '') ?? ''),
    provider: ((p) => (p === 'vscode-lm' || p === 'embedded' ? p : 'openai-compatible'))(userValue<string>(config, 'provider', 'openai-compatible')),
    embeddedModelFile: String(userValue(config, 'embedded.modelFile', '') ?? '').trim(),
    configured: { baseUrl: config.inspect('baseUrl')?.globalValue !== undefined, provider: config.inspect('provider')?.globalValue !== undefined },
    policy: {
      read: mode(userValue(config, 'approval.read', 'auto'), 'auto'),
      edit: mode(userValue(config, 'approval.edit', 'ask'), 'ask'),
      execute: mode(userValue(config, 'approval.execute', 'ask'), 'ask'),
    },
    maxSteps: Math.min(500, positive(userValue(config, 'maxSteps', DEFAULT_MAX_STEPS), DEFAULT_MAX_STEPS)),
    commandTimeoutSeconds: Math.min(3600, positive(userValue(config, 'commandTimeoutSeconds', DEFAULT_LIMITS.commandTimeoutS), DEFAULT_LIMITS.commandTimeoutS)),
    contextWindow: ((n) => (n >= 2048 ? n : undefined))(positive(userValue(config, 'contextWindow', 0), 0)),
    // The user's own limits: a cloned repository must not lift them.
    budget: {
      ...(positive(userValue(config, 'budget.tokens', 0), 0) ? { tokens: positive(userValue(config, 'budget.tokens', 0), 0) } : {}),
      ...((v) => (typeof v === 'number' && v > 0 ? { costUsd: v } : {}))(userValue(config, 'budget.usd', 0)),
    },
    planFirst: userValue<boolean>(config, 'planFirst', true) !== false,
    toolProtocol: ((p) => (p === 'native' || p === 'text' ? p : 'auto'))(userValue<string>(config, 'toolProtocol', 'auto')),
    checkpoints: {
      enabled: userValue<boolean>(config, 'checkpoints.enabled', true) !== false,
      settings: {
        maxStorageBytes: positive(userValue(config, 'checkpoints.maxStorageMB', 2048), 2048) * 1024 ** 2,
        maxAgeDays: positive(userValue(config, 'checkpoints.maxAgeDays', 30), 30),
        maxFileBytes: positive(userValue(config, 'checkpoints.maxFileMB', 16), 16) * 1024 ** 2,
        exclude: ((v) => (Array.isArray(v) && v.every((x) => typeof x === 'string' && x) ? (v as string[]) : DEFAULT_CHECKPOINT_SETTINGS.exclude))(
          userValue<unknown>(config, 'checkpoints.exclude', undefined),
        ),
      },
    },
    commands: {
      allow: strings(userValue<unknown>(config, 'commands.allow', [])),
      deny: strings(userValue<unknown>(config, 'commands.deny', [])),
      builtInAllow: userValue<boolean>(config, 'commands.builtInAllow', true) !== false,
    },
    instructions: String(userValue(config, 'instructions', '') ?? ''),
    web: {
      allowedHosts: strings(userValue<unknown>(config, 'web.allowedHosts', []))
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
      allowLocal: userValue<boolean>(config, 'web.allowLocalFetch', false) === true,
    },
    mcpAllow: strings(userValue<unknown>(config, 'mcp.allow', []))
      .map((e) => e.trim())
      .filter(Boolean),
    compaction: ((c) => (c === 'model' || c === 'mechanical' ? c : undefined))(userValue<string>(config, 'compaction', 'auto')),
    ollamaKeepAlive: validKeepAlive(String(userValue(config, 'ollamaKeepAlive', DEFAULT_KEEP_ALIVE) ?? '')) ?? '',
  };
}

const SECRET_KEY = 'stepwise.apiKey';

/** The API key lives in SecretStorage only: never in settings, logs or error messages. */
export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(): Thenable<string | undefined> {
    return this.secrets.get(SECRET_KEY);
  }

  set(key: string): Thenable<void> {
    return this.secrets.store(SECRET_KEY, key);
  }

  clear(): Thenable<void> {
    return this.secrets.delete(SECRET_KEY);
  }
}
