/**
 * The grammar every embedded-model answer is generated under, when tools are offered: free text
 * (the model's reasoning, shown as it streams), then exactly one call written as the text protocol
 * writes it, `<tool_call>{"name": …, "arguments": {…}}</tool_call>`, whose name is one of the tools
 * and whose arguments match that tool's schema. A small model cannot name a tool that does not
 * exist or leave out a required argument: the tokens that would do it are never sampled.
 */
// l10n-ignore-file: the grammar and the protocol are for the model
import type { ToolSpec } from '../contracts';
import { GrammarBuilder, literal } from './jsonGrammar';

export const CALL_OPEN = '<tool_call>';
export const CALL_CLOSE = '</tool_call>';

/** The GBNF for one answer: any text without "<t" (so the call's tag is unambiguous), then one call. */
export function callGrammar(tools: readonly ToolSpec[]): string {
  const g = new GrammarBuilder();
  const calls = tools.map((tool) => {
    const args = g.value(tool.parameters, tool.name);
    return g.rule(`"{" ws "\\"name\\"" ":" ws ${literal(JSON.stringify(tool.name))} "," ws "\\"arguments\\"" ":" ws ${args} ws "}"`, `call-${tool.name}`);
  });
  // Runs of "<" are text unless the last one opens the call: "a << b" and "x<<tool_call>" both read right.
  const text = g.rule('([^<] | "<"+ [^<t])* "<"*', 'text');
  return g.grammar(`${text} ${literal(CALL_OPEN)} ${calls.length ? `(${calls.join(' | ')})` : 'object'} ${literal(CALL_CLOSE)}`);
}

/** The answer's text and its call, read back; the grammar guarantees the call is there and parses. */
export function splitAnswer(answer: string): { text: string; call?: { name: string; arguments: string } } {
  const at = answer.lastIndexOf(CALL_OPEN);
  const end = answer.lastIndexOf(CALL_CLOSE);
  if (at < 0 || end < at) return { text: answer };
  try {
    const parsed = JSON.parse(answer.slice(at + CALL_OPEN.length, end)) as { name?: unknown; arguments?: unknown };
    if (typeof parsed.name !== 'string') return { text: answer };
    return { text: answer.slice(0, at).trimEnd(), call: { name: parsed.name, arguments: JSON.stringify(parsed.arguments ?? {}) } };
  } catch {
    return { text: answer };
  }
}
