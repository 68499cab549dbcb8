/**
 * defineTool: one zod object per tool is the JSON Schema the model sees, the type `run` receives,
 * and — when the model's arguments are wrong — an error that says what to fix.
 */
// l10n-ignore-file: argument errors and denial results are for the model
import * as z from 'zod';
import type { ApprovalOutcome, LoopEffect, PlanReview, PlanStep, StepDescription, ToolSpec } from '../contracts';
import type { RiskClass } from '../approval';
import type { Host } from '../host/host';
import type { ImagePart } from '../model/client';
import type { Limits } from './limits';
import type { CommandCheck } from '../commands/types';

export type { PlanStep, ToolSpec } from '../contracts';

export interface ToolResult {
  ok: boolean;
  /** What the model reads. */
  output: string;
  /** Images the tool returned, for a model that takes them (ToolContext.acceptsImages). */
  images?: ImagePart[];
}

export interface ToolContext {
  host: Host;
  signal: AbortSignal;
  limits: Limits;
  /** Asks (or auto-allows, by policy) before a change; a denial is returned, never thrown. */
  approve(step: StepDescription): Promise<ApprovalOutcome>;
  /** Listed in .stepwiseignore: its content reaches the model only after the user allows it. */
  isPrivate(path: string): boolean;
  /** Parses a command line (or the lines a task runs; undefined = unknown) and checks it against the command rules. */
  checkCommand?(text: string | readonly string[] | undefined): Promise<CommandCheck>;
  /** Whether the workspace lists any files in .stepwiseignore (said the same way whatever is searched). */
  hasPrivateRules?: boolean;
  /** Live output of a running command, for the UI. */
  onOutput?(chunk: string): void;
  /** Plan first: shows a plan to the user (approved at once when plan-first is off). */
  reviewPlan?(steps: PlanStep[]): Promise<PlanReview>;
  /** Asks the loop for an effect (a new plan, the end of the task), applied when the call succeeded. */
  effect(effect: LoopEffect): void;
  /** What web_fetch may reach without asking. */
  web?: WebAccess;
  /** The model is known to take images: a tool may return them (else it names them in its text). */
  acceptsImages?: boolean;
}

/** Hosts fetched without asking (the user's --allow-host or setting), and whether local addresses may be. */
export interface WebAccess {
  allowedHosts: readonly string[];
  allowLocal: boolean;
}

export interface Tool<Args = unknown> {
  readonly name: string;
  readonly description: string;
  readonly risk: RiskClass;
  readonly schema: z.ZodType;
  /** The function definition sent to the model. */
  readonly spec: ToolSpec;
  run(args: Args, ctx: ToolContext): Promise<ToolResult>;
}

export function defineTool<S extends z.ZodObject>(definition: {
  name: string;
  description: string;
  risk: RiskClass;
  schema: S;
  run(args: z.infer<S>, ctx: ToolContext): Promise<ToolResult>;
}): Tool<z.infer<S>> {
  return {
    ...definition,
    spec: { name: definition.name, description: definition.description, parameters: compactSchema(z.toJSONSchema(definition.schema)) },
  } as unknown as Tool<z.infer<S>>;
}

/** Drops what costs tokens on every request and tells the model nothing. */
function compactSchema(schema: unknown): Record<string, unknown> {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$schema' || key === 'additionalProperties') continue;
      if ((key === 'maximum' || key === 'minimum') && Math.abs(value as number) >= Number.MAX_SAFE_INTEGER) continue;
      out[key] = walk(value);
    }
    return out;
  };
  return walk(schema) as Record<string, unknown>;
}

/** Parses the model's raw argument string and validates it; errors are written for the model. */
export function parseArguments<Args>(tool: Tool<Args>, raw: string): { ok: true; args: Args } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch {
    return {
      ok: false,
      error: `The arguments for ${tool.name} are not valid JSON${raw.length > 200 ? ' (possibly cut off)' : ''}. Send one complete JSON object that matches the tool's parameters.`,
    };
  }
  let parsed: ReturnType<z.ZodType['safeParse']>;
  try {
    parsed = tool.schema.safeParse(value);
  } catch {
    // A schema zod cannot apply (an MCP server's self-referencing one): the server checks the arguments.
    return { ok: true, args: value as Args };
  }
  if (parsed.success) return { ok: true, args: parsed.data as Args };
  const problems = parsed.error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.length ? issue.path.map(String).join('.') : 'arguments';
    return `- ${where}: ${issue.message.replace(/^Invalid input: /, '')}`;
  });
  return {
    ok: false,
    error: `${tool.name} was called with invalid arguments:\n${problems.join('\n')}\nRewrite the call so it satisfies the tool's parameters. Nothing was run.`,
  };
}

/** The tool result for a step the user (or the policy) did not allow. */
export function deniedResult(outcome: Extract<ApprovalOutcome, { approved: false }>): ToolResult {
  const feedback = outcome.feedback ? ` The user said: "${outcome.feedback}"` : '';
  return { ok: false, output: `${outcome.reason}${feedback} Nothing was changed. Adjust your approach.` };
}
