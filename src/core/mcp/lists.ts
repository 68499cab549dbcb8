/**
 * What a server offers, listed when it starts: its tools — each checked on its own, so one
 * malformed tool does not hide the others — and, only with their capability, its resources
 * (attached like an @-mention) and prompts (the sidebar's `/` picker). A resource or prompt list
 * that fails leaves it empty and is logged; the tools still work.
 */
// l10n-ignore-file: log lines
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import * as z from 'zod';

export interface McpToolInfo {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  /** The server's own claim that the tool only reads (shown to the user, never trusted). */
  readOnlyHint: boolean;
}

/** A resource a server offers (attached to a goal like an @-mention). */
export interface McpResourceInfo {
  uri: string;
  name: string;
  mimeType?: string;
}

/** A prompt a server offers: a goal written by the server from the arguments the user gives. */
export interface McpPromptInfo {
  name: string;
  title?: string;
  description?: string;
  arguments: { name: string; description?: string; required: boolean }[];
}

const MAX_LISTED = 500;
const listSchema = z.looseObject({ tools: z.array(z.unknown()), nextCursor: z.string().optional() });
const toolSchema = z.looseObject({
  name: z.string().min(1).max(200),
  description: z.string().optional(),
  inputSchema: z.looseObject({ type: z.literal('object') }),
  annotations: z.looseObject({ readOnlyHint: z.boolean().optional() }).optional(),
});

/** Every page of tools/list (at most 1,000 tools); a malformed list is an error, a malformed tool is skipped with why. */
export async function listTools(client: Client, timeoutMs: number): Promise<{ tools: McpToolInfo[]; skipped: { tool: string; reason: string }[] }> {
  const tools: McpToolInfo[] = [];
  const skipped: { tool: string; reason: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await client
      .request({ method: 'tools/list', params: cursor ? { cursor } : {} }, listSchema, { timeout: Math.max(500, timeoutMs) })
      .catch((error: Error) => {
        // The SDK checks the answer with its own zod: a malformed list is an error with issues.
        throw Array.isArray((error as { issues?: unknown }).issues)
          ? new Error('its tool list is malformed (tools/list did not answer with a list of tools)')
          : error;
      });
    for (const raw of page.tools) {
      const tool = toolSchema.safeParse(raw);
      const name = (raw as { name?: unknown })?.name;
      if (!tool.success) {
        skipped.push({ tool: typeof name === 'string' ? name : '?', reason: 'its input schema is not a JSON object schema' });
        continue;
      }
      const { name: toolName, description, inputSchema, annotations } = tool.data;
      tools.push({ name: toolName, description: description ?? '', inputSchema, readOnlyHint: annotations?.readOnlyHint === true });
    }
    cursor = page.nextCursor;
  } while (cursor && tools.length < 1000);
  return { tools, skipped };
}
/** Each argument is one input box: a prompt with more is not offered (rather than sent without some). */
const MAX_ARGUMENTS = 20;

export async function listResources(client: Client, timeoutMs: number, log: (line: string) => void): Promise<McpResourceInfo[]> {
  if (!client.getServerCapabilities()?.resources) return [];
  try {
    const listed = await client.listResources({}, { timeout: Math.max(500, timeoutMs) });
    return listed.resources.slice(0, MAX_LISTED).map((r) => ({ uri: r.uri, name: r.name, ...(r.mimeType ? { mimeType: r.mimeType } : {}) }));
  } catch (error) {
    log(`could not list its resources: ${(error as Error).message}`);
    return [];
  }
}

export async function listPrompts(client: Client, timeoutMs: number, log: (line: string) => void): Promise<McpPromptInfo[]> {
  if (!client.getServerCapabilities()?.prompts) return [];
  try {
    const listed = await client.listPrompts({}, { timeout: Math.max(500, timeoutMs) });
    const usable = listed.prompts.filter((p) => (p.arguments?.length ?? 0) <= MAX_ARGUMENTS);
    if (usable.length < listed.prompts.length) log(`${listed.prompts.length - usable.length} prompt(s) skipped: more than ${MAX_ARGUMENTS} arguments`);
    return usable.slice(0, MAX_LISTED).map((p) => ({
      name: p.name,
      ...(p.title ? { title: p.title } : {}),
      ...(p.description ? { description: p.description } : {}),
      arguments: (p.arguments ?? []).map((a) => ({
        name: a.name,
        ...(a.description ? { description: a.description } : {}),
        required: a.required === true,
      })),
    }));
  } catch (error) {
    log(`could not list its prompts: ${(error as Error).message}`);
    return [];
  }
}
