/**
 * JSON Schema → GBNF (llama.cpp's grammar format), for the tools' arguments. node-llama-cpp has its
 * own converter, but it writes every property (optional ones too) and cannot keep a number above a
 * minimum; the tools' schemas need both (read_file's start_line is optional and ≥ 1). This one
 * covers what zod and MCP servers write: objects with required and optional properties, arrays
 * with item counts, strings with lengths, enums, consts, integers and numbers with a lower bound,
 * booleans, null, anyOf/oneOf and type lists. Anything else (a $ref, allOf, not) becomes any JSON
 * value: still well-formed, and the tool's own validation answers the model.
 */

// l10n-ignore-file: grammar rules, read by llama.cpp
type Schema = Record<string, unknown>;

/** Repetition bounds above this are left open: llama.cpp expands {0,n} into n rules. */
const MAX_BOUND = 500;

const BASE_RULES = [
  'ws ::= [ ]?',
  'char ::= [^"\\\\\\x7F\\x00-\\x1F] | "\\\\" (["\\\\/bfnrt] | "u" [0-9a-fA-F]{4})',
  'string ::= "\\"" char* "\\""',
  'digits ::= [0-9]{1,15}',
  'integer ::= "-"? ("0" | [1-9] [0-9]{0,15})',
  'number ::= integer ("." digits)? ([eE] [-+]? digits)?',
  'boolean ::= "true" | "false"',
  'null ::= "null"',
  'value ::= object | array | string | number | boolean | null',
  'object ::= "{" ws ( string ":" ws value ("," ws string ":" ws value)* )? ws "}"',
  'array ::= "[" ws ( value ("," ws value)* )? ws "]"',
];

/** A GBNF literal: the text in double quotes, escaped. */
export function literal(text: string): string {
  return `"${text.replace(/[\\"\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!)}"`;
}

export class GrammarBuilder {
  private readonly rules = new Map<string, string>();
  private readonly names = new Map<string, string>();

  /** A rule with this body, named once however often it is asked for. */
  rule(body: string, hint = 'r'): string {
    const known = this.names.get(body);
    if (known) return known;
    const name = `${hint.replace(/[^a-zA-Z0-9]+/g, '-').slice(0, 30) || 'r'}-${this.names.size}`;
    this.names.set(body, name);
    this.rules.set(name, body);
    return name;
  }

  /** The rule for values that match the schema. */
  value(schema: unknown, hint = 'v'): string {
    if (typeof schema !== 'object' || schema === null) return 'value';
    const s = schema as Schema;
    if ('const' in s) return this.rule(literal(JSON.stringify(s.const)), hint);
    if (Array.isArray(s.enum)) {
      const values = s.enum.filter((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
      return values.length ? this.rule(values.map((v) => literal(JSON.stringify(v))).join(' | '), hint) : 'value';
    }
    const choices = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
    if (Array.isArray(choices) && choices.length) return this.rule(choices.map((c, i) => this.value(c, `${hint}-${i}`)).join(' | '), hint);
    if (Array.isArray(s.type)) return this.rule(s.type.map((t) => this.value({ ...s, type: t }, hint)).join(' | '), hint);
    switch (s.type) {
      case 'string':
        return this.string(s, hint);
      case 'integer':
        return atLeastOne(s)
          ? this.rule('[1-9] [0-9]{0,15}', 'positive-integer')
          : atLeastZero(s)
            ? this.rule('"0" | [1-9] [0-9]{0,15}', 'natural')
            : 'integer';
      case 'number':
        return this.number(s);
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'array':
        return this.array(s, hint);
      case 'object':
        return s.properties && typeof s.properties === 'object' ? this.object(s, hint) : 'object';
      default:
        return 'value';
    }
  }

  private string(s: Schema, hint: string): string {
    const { min, max } = bounds(s.minLength, s.maxLength);
    if (!min && max === undefined) return 'string';
    return this.rule(`"\\"" char{${min},${max ?? ''}} "\\""`, hint);
  }

  /** A number kept above a lower bound of 0 or 1, the bounds tools use (timeouts, counts). */
  private number(s: Schema): string {
    if (typeof s.minimum === 'number' && s.minimum >= 1) return this.rule('[1-9] [0-9]{0,15} ("." digits)?', 'one-or-more');
    const positive = '[1-9] [0-9]{0,15} ("." digits)? | "0." [0-9]{0,14} [1-9]';
    if (typeof s.exclusiveMinimum === 'number' && s.exclusiveMinimum >= 0) return this.rule(positive, 'positive');
    return atLeastZero(s) ? this.rule(`${positive} | "0"`, 'non-negative') : 'number';
  }

  private array(s: Schema, hint: string): string {
    const item = this.value(s.items, `${hint}-item`);
    const { min, max } = bounds(s.minItems, s.maxItems);
    if (max === 0) return this.rule('"[" ws "]"', hint);
    const more = `("," ws ${item}){${Math.max(min - 1, 0)},${max === undefined ? '' : max - 1}}`;
    return this.rule(min > 0 ? `"[" ws ${item} ${more} ws "]"` : `"[" ws (${item} ${more})? ws "]"`, hint);
  }

  /** Required properties first, in the schema's order, then the optional ones, each may be left out. */
  private object(s: Schema, hint: string): string {
    const properties = s.properties as Record<string, unknown>;
    const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
    const pair = (key: string) => `${literal(JSON.stringify(key))} ":" ws ${this.value(properties[key], `${hint}-${key}`)}`;
    const keys = Object.keys(properties);
    const must = keys.filter((k) => required.has(k)).map(pair);
    const may = keys.filter((k) => !required.has(k)).map(pair);
    let body: string;
    if (must.length) body = [must.join(' "," ws '), ...may.map((p) => `("," ws ${p})?`)].join(' ');
    else if (may.length) {
      // No required property: whichever optional one comes first has no comma before it.
      const starts = may.map((first, i) => [first, ...may.slice(i + 1).map((p) => `("," ws ${p})?`)].join(' '));
      body = `(${starts.map((b) => `(${b})`).join(' | ')})?`;
    } else body = '';
    return this.rule(`"{" ws ${body} ws "}"`, hint);
  }

  /** The whole grammar: `root ::= …` and every rule it uses. */
  grammar(root: string): string {
    return [`root ::= ${root}`, ...BASE_RULES, ...[...this.rules].map(([name, body]) => `${name} ::= ${body}`)].join('\n');
  }
}

/**
 * A count's bounds as GBNF can take them: whole numbers from 0, the lower one at most the upper
 * one. A schema from an MCP server may say anything: a bound that is not such a number is left
 * open, and a lower bound above the upper leaves both open (`{2,1}` makes llama.cpp allocate without end).
 */
function bounds(low: unknown, high: unknown): { min: number; max: number | undefined } {
  const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
  const min = Math.min(count(low) ?? 0, MAX_BOUND);
  const max = count(high) !== undefined && count(high)! <= MAX_BOUND ? count(high) : undefined;
  return max !== undefined && min > max ? { min: 0, max: undefined } : { min, max };
}

function atLeastOne(s: Schema): boolean {
  return (typeof s.minimum === 'number' && s.minimum >= 1) || (typeof s.exclusiveMinimum === 'number' && s.exclusiveMinimum >= 0 && s.type === 'integer');
}

function atLeastZero(s: Schema): boolean {
  return typeof s.minimum === 'number' && s.minimum >= 0;
}
