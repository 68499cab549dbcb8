/**
 * Tool calls written in a model's text, for models without native tool calling: a bare JSON
 * object, a fenced JSON block, `<tool_call>{…}</tool_call>` (Hermes, Qwen), and Qwen's
 * `<function=NAME><parameter=KEY>VALUE</parameter></function>`. Pure. Only complete, well-formed
 * calls of known tools count: anything partial, unclosed or unknown is text, never a call, and
 * nothing is repaired. Everything after an unclosed block or object is left alone, so a complete
 * object inside a truncated wrapper cannot slip through.
 */
import type { ToolSpec } from '../contracts';

export interface TextToolCall {
  name: string;
  /** JSON text of the arguments object. */
  arguments: string;
}

export interface TextToolCalls {
  calls: TextToolCall[];
  /** The text with the markup of the calls removed (unchanged when there are none). */
  text: string;
}

type Tools = Pick<ToolSpec, 'name' | 'parameters'>[];

const OPENERS = /```|<tool_call>|<function=|\{/g;
const NAME_KEYS = ['name', 'tool', 'tool_name', 'function'];
const ARG_KEYS = ['arguments', 'parameters', 'args', 'input'];
const FENCE_LANGS = new Set(['', 'json', 'jsonc', 'tool_call', 'tool_code']);

export function parseTextToolCalls(text: string, tools: Tools): TextToolCalls {
  const calls: TextToolCall[] = [];
  const removed: [number, number][] = [];
  OPENERS.lastIndex = 0;
  for (let match = OPENERS.exec(text); match; match = OPENERS.exec(text)) {
    const start = match.index;
    const block = readBlock(text, start, match[0]);
    if (!block) break;
    const found = block.calls(tools);
    if (found) {
      calls.push(...found);
      removed.push([start, block.end]);
    }
    OPENERS.lastIndex = block.end;
  }
  if (!calls.length) return { calls, text };
  let rest = '';
  let from = 0;
  for (const [start, end] of removed) {
    rest += text.slice(from, start);
    from = end;
  }
  rest += text.slice(from);
  return { calls, text: rest.replace(/\n{3,}/g, '\n\n').trim() };
}

interface Block {
  end: number;
  calls(tools: Tools): TextToolCall[] | undefined;
}

/** The block that opens at `start`, or undefined when it never closes. */
function readBlock(text: string, start: number, opener: string): Block | undefined {
  if (opener === '{') {
    const end = jsonObjectEnd(text, start);
    return end === undefined ? undefined : { end, calls: (tools) => jsonCalls(text.slice(start, end), tools) };
  }
  if (opener === '```') {
    const lineEnd = text.indexOf('\n', start);
    const close = lineEnd < 0 ? -1 : text.indexOf('```', lineEnd);
    if (close < 0) return undefined;
    const lang = text
      .slice(start + 3, lineEnd)
      .trim()
      .toLowerCase();
    const body = text.slice(lineEnd + 1, close);
    return { end: close + 3, calls: (tools) => (FENCE_LANGS.has(lang) ? jsonCalls(body, tools) : undefined) };
  }
  const closer = opener === '<tool_call>' ? '</tool_call>' : '</function>';
  const close = text.indexOf(closer, start + opener.length);
  if (close < 0) return undefined;
  const end = close + closer.length;
  if (opener === '<function=') return { end, calls: (tools) => oneCall(functionCall(text.slice(start, end), tools)) };
  const body = text.slice(start + opener.length, close).trim();
  return { end, calls: (tools) => (body.startsWith('<function=') ? oneCall(functionCall(body, tools)) : jsonCalls(body, tools)) };
}

function oneCall(call: TextToolCall | undefined): TextToolCall[] | undefined {
  return call ? [call] : undefined;
}

/** Where the balanced JSON object starting at `start` ends (exclusive), strings respected. */
function jsonObjectEnd(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

/** One call object, or an array of them (all must be calls). */
function jsonCalls(source: string, tools: Tools): TextToolCall[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(source.trim());
  } catch {
    return undefined;
  }
  const items = Array.isArray(value) ? value : [value];
  const calls = items.map((item) => asCall(item, tools));
  return calls.length && calls.every((c) => c !== undefined) ? (calls as TextToolCall[]) : undefined;
}

function asCall(value: unknown, tools: Tools): TextToolCall | undefined {
  if (!isObject(value)) return undefined;
  // {"type": "function", "function": {"name": …, "arguments": …}}, as OpenAI writes calls.
  if (isObject(value.function) && Object.keys(value).every((k) => k === 'function' || k === 'type' || k === 'id')) {
    return asCall(value.function, tools);
  }
  const keys = Object.keys(value);
  const nameKey = NAME_KEYS.find((k) => typeof value[k] === 'string');
  const argKeys = ARG_KEYS.filter((k) => k in value);
  // Anything else in the object (a version, a description…) makes it data, not a call.
  if (!nameKey || argKeys.length > 1 || keys.some((k) => k !== nameKey && !ARG_KEYS.includes(k) && k !== 'type' && k !== 'id')) return undefined;
  const name = value[nameKey] as string;
  if (!tools.some((t) => t.name === name)) return undefined;
  let args: unknown = argKeys[0] === undefined ? {} : value[argKeys[0]];
  if (typeof args === 'string') {
    try {
      args = JSON.parse(args);
    } catch {
      return undefined;
    }
  }
  return isObject(args) ? { name, arguments: JSON.stringify(args) } : undefined;
}

/** `<function=NAME>` followed only by `<parameter=KEY>VALUE</parameter>` pairs, then `</function>`. */
function functionCall(source: string, tools: Tools): TextToolCall | undefined {
  const head = /^<function=([\w.-]+)>/.exec(source);
  const tool = head && tools.find((t) => t.name === head[1]);
  if (!head || !tool || !source.endsWith('</function>')) return undefined;
  const body = source.slice(head[0].length, -'</function>'.length);
  // Keys come from the model: a plain record without a prototype (`__proto__`, `constructor`).
  const args: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const parameter = /\s*<parameter=([\w.-]+)>([\s\S]*?)<\/parameter>\s*/y;
  let at = 0;
  while (at < body.length) {
    parameter.lastIndex = at;
    const match = parameter.exec(body);
    if (!match) return body.slice(at).trim() ? undefined : finishCall(tool, args);
    const key = match[1] as string;
    if (Object.hasOwn(args, key)) return undefined;
    args[key] = typedValue(tool, key, (match[2] ?? '').replace(/^\n/, '').replace(/\n$/, ''));
    at = parameter.lastIndex;
  }
  return finishCall(tool, args);
}

function finishCall(tool: Tools[number], args: Record<string, unknown>): TextToolCall {
  return { name: tool.name, arguments: JSON.stringify(args) };
}

/** Strings stay as written; other schema types are read as JSON (the schema check reports the rest). */
function typedValue(tool: Tools[number], key: string, raw: string): unknown {
  const properties = tool.parameters.properties as Record<string, { type?: unknown }> | undefined;
  const type = properties && Object.hasOwn(properties, key) ? properties[key]?.type : undefined;
  if (type === undefined || type === 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
