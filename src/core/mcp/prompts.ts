/**
 * MCP prompts: goals a server writes from arguments the user gives. The sidebar's `/` picker
 * lists those of the ready servers; a picked one is fetched and its text put in the goal box, so
 * the user reads (and may change) every word before anything is sent — it is the user's goal then,
 * not data from the server.
 */
import * as l10n from '@vscode/l10n';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { escapeControls } from '../text/controlChars';
import { findOffered } from './findOffered';
import type { McpHub } from './hub';
import type { McpPromptInfo } from './lists';

export interface PromptRef extends McpPromptInfo {
  server: string;
}

/** How a prompt is typed after `/`: `server.prompt`. */
export function promptCommand(ref: { server: string; name: string }): string {
  return `${ref.server}.${ref.name}`;
}

/** Prompts of the ready servers whose command, title or description holds every word of the query. */
export function findPrompts(hub: McpHub, query: string, limit: number): PromptRef[] {
  const found = findOffered(
    hub,
    query,
    limit,
    (s) => s.prompts,
    (server, p) => `${promptCommand({ server, name: p.name })} ${p.title ?? ''} ${p.description ?? ''}`,
  );
  return found.map(({ server, item }) => ({ ...item, server }));
}

export function findPrompt(hub: McpHub, server: string, name: string): PromptRef | undefined {
  const prompt = hub.connections.find((c) => c.config.name === server)?.prompts?.find((p) => p.name === name);
  return prompt && { ...prompt, server };
}

/** The prompt's text for the goal box; an error says why it cannot be used. */
export async function promptText(hub: McpHub, ref: PromptRef, args: Record<string, string>, signal: AbortSignal, maxChars: number): Promise<string> {
  const server = hub.connections.find((c) => c.config.name === ref.server);
  if (!server?.getPrompt) throw new Error(l10n.t('the MCP server {0} is not configured any more', ref.server));
  // What the user reads in the goal box is what is sent: nothing in it hides (bidi overrides, zero-width characters).
  const text = escapeControls(messagesText(await server.getPrompt(ref.name, args, signal)))
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .trim();
  if (!text) throw new Error(l10n.t('the prompt {0} has no text', promptCommand(ref)));
  if (text.length > maxChars) throw new Error(l10n.t('the prompt {0} is {1} characters long; a goal can be {2}', promptCommand(ref), text.length, maxChars));
  return text;
}

/** The messages as one text: the assistant's turns marked, embedded text resources inlined, anything else named. */
function messagesText(result: GetPromptResult): string {
  return result.messages
    .map((message) => {
      const content = message.content;
      let text: string;
      if (content.type === 'text') text = content.text;
      else if (content.type === 'resource' && 'text' in content.resource) text = `${content.resource.uri}:\n${content.resource.text}`;
      else if (content.type === 'resource_link') text = content.uri;
      else text = l10n.t('[{0} content from the prompt, not included]', content.type);
      return message.role === 'assistant' ? l10n.t('(The assistant said:) {0}', text) : text;
    })
    .join('\n\n');
}
