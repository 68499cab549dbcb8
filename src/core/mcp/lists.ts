/**
 * What a server offers besides tools, listed when it starts (each only with its capability): its
 * resources (attached like an @-mention) and its prompts (the sidebar's `/` picker). A list that
 * fails leaves it empty and is logged; the tools still work.
 */
// l10n-ignore-file: log lines
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

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
    return listed.prompts.slice(0, MAX_LISTED).map((p) => ({
      name: p.name,
      ...(p.title ? { title: p.title } : {}),
      ...(p.description ? { description: p.description } : {}),
      arguments: (p.arguments ?? []).slice(0, 20).map((a) => ({
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
