/**
 * The text protocol, for servers or models without native tool calling: the tools described
 * compactly in the system prompt, calls written as `<tool_call>{…}</tool_call>`, and the history
 * rewritten without tool roles (such servers reject them).
 */
// l10n-ignore-file: the text protocol is for the model
import type { ToolSpec } from '../contracts';
import type { ChatMessage, ModelRequest, ToolCall } from './client';

interface Schema {
  type?: unknown;
  description?: unknown;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
}

/** The tools and the call format, appended to the system prompt. */
export function describeTools(tools: ToolSpec[]): string {
  const lines = tools.map((tool) => {
    const params = objectFields(tool.parameters as Schema);
    return `- ${tool.name}(${params}): ${tool.description}`;
  });
  return [
    'Tools: call one by writing exactly this in your answer (JSON arguments; several calls allowed):',
    '<tool_call>{"name": "read_file", "arguments": {"path": "src/a.ts"}}</tool_call>',
    'Then stop; the results come back in the next message.',
    ...lines,
  ].join('\n');
}

function objectFields(schema: Schema): string {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .map(([name, field]) => {
      const notes = [required.has(name) ? 'required' : '', typeof field.description === 'string' ? field.description : ''].filter(Boolean);
      return `${name}: ${typeText(field)}${notes.length ? ` (${notes.join('; ')})` : ''}`;
    })
    .join(', ');
}

function typeText(schema: Schema): string {
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join('|');
  if (schema.type === 'array') return `array of ${schema.items ? typeText(schema.items) : 'any'}`;
  if (schema.type === 'object' && schema.properties) return `{${objectFields(schema)}}`;
  return typeof schema.type === 'string' ? schema.type : 'any';
}

/** A call as the model is asked to write it. */
export function renderCall(call: ToolCall): string {
  let args: unknown;
  try {
    args = JSON.parse(call.arguments || '{}');
  } catch {
    args = call.arguments;
  }
  return `<tool_call>${JSON.stringify({ name: call.name, arguments: args })}</tool_call>`;
}

/** The request for a text-protocol server: no tools, no tool roles, the protocol in the system message. */
export function toTextRequest(request: ModelRequest): ModelRequest {
  const protocol = describeTools(request.tools);
  const names = new Map<string, string>();
  const messages: ChatMessage[] = [];
  let results: string[] = [];
  const flushResults = () => {
    if (results.length) messages.push({ role: 'user', content: results.join('\n\n') });
    results = [];
  };
  for (const message of request.messages) {
    if (message.role === 'tool') {
      results.push(`Result of ${names.get(message.toolCallId) ?? 'tool'} (${message.toolCallId}):\n${message.content}`);
      continue;
    }
    flushResults();
    if (message.role === 'system') messages.push({ role: 'system', content: `${message.content}\n\n${protocol}` });
    else if (message.role === 'assistant' && message.toolCalls?.length) {
      for (const call of message.toolCalls) names.set(call.id, call.name);
      const calls = message.toolCalls.map(renderCall).join('\n');
      messages.push({ role: 'assistant', content: message.content.trim() ? `${message.content.trim()}\n${calls}` : calls });
    } else messages.push(message);
  }
  flushResults();
  if (messages[0]?.role !== 'system') messages.unshift({ role: 'system', content: protocol });
  return {
    messages: alternating(messages),
    tools: [],
    ...(request.maxOutputTokens !== undefined ? { maxOutputTokens: request.maxOutputTokens } : {}),
    ...(request.answerTokens !== undefined ? { answerTokens: request.answerTokens } : {}),
    ...(request.toolChoice ? { toolChoice: request.toolChoice } : {}),
  };
}

/**
 * Results written as user text may be followed by another user message (a nudge, a question):
 * merged into one, since chat templates that require turns to alternate (Gemma, Mistral) refuse two.
 */
function alternating(messages: ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages) {
    const prev = out.at(-1);
    if (prev?.role === 'user' && m.role === 'user' && !prev.images?.length && !m.images?.length) {
      out[out.length - 1] = { role: 'user', content: `${prev.content}\n\n${m.content}` };
    } else out.push(m);
  }
  return out;
}
