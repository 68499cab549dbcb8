/**
 * The grammar embedded answers are generated under (src/core/embedded/callGrammar.ts,
 * jsonGrammar.ts): one rule per schema shape, required properties always written and optional
 * ones skippable, lower bounds kept, and the answer read back into its text and its call.
 * llama.cpp itself parses these grammars in test/cli/embedded.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CALL_CLOSE, CALL_OPEN, callGrammar, splitAnswer } from '../../src/core/embedded/callGrammar';
import { GrammarBuilder, literal } from '../../src/core/embedded/jsonGrammar';
import { defaultTools } from '../../src/core/tools/registry';

const rules = (grammar: string) => new Map(grammar.split('\n').map((line) => line.split(' ::= ') as [string, string]));
const body = (schema: unknown) => {
  const g = new GrammarBuilder();
  const name = g.value(schema, 'x');
  return { name, rules: rules(g.grammar(name)) };
};

describe('JSON Schema to GBNF', () => {
  test('literals are quoted and escaped for GBNF', () => {
    assert.equal(literal('a"b\\c\nd'), '"a\\"b\\\\c\\nd"');
    assert.equal(literal(JSON.stringify('read_file')), '"\\"read_file\\""');
  });

  test('an object writes its required properties in order, then each optional one or not', () => {
    const { name, rules: r } = body({
      type: 'object',
      properties: { path: { type: 'string' }, start_line: { type: 'integer', minimum: 1 }, end_line: { type: 'integer', minimum: 1 } },
      required: ['path'],
    });
    const object = r.get(name)!;
    assert.match(
      object,
      /^"\{" ws "\\"path\\"" ":" ws string \("," ws "\\"start_line\\"" ":" ws positive-integer-\d+\)\? \("," ws "\\"end_line\\"" ":" ws positive-integer-\d+\)\? ws "\}"$/,
    );
    assert.equal([...r.values()].filter((b) => b === '[1-9] [0-9]{0,15}').length, 1, 'a shape is one rule however often it is used');
  });

  test('an object with only optional properties may be empty, and whichever comes first has no comma', () => {
    const { name, rules: r } = body({ type: 'object', properties: { path: { type: 'string' }, recursive: { type: 'boolean' } } });
    assert.equal(r.get(name), '"{" ws (("\\"path\\"" ":" ws string ("," ws "\\"recursive\\"" ":" ws boolean)?) | ("\\"recursive\\"" ":" ws boolean))? ws "}"');
  });

  test('arrays keep their item counts, strings their lengths, numbers their lower bounds', () => {
    assert.equal(body({ type: 'array', items: { type: 'string' }, minItems: 1 }).rules.get('x-0'), '"[" ws string ("," ws string){0,} ws "]"');
    assert.equal(body({ type: 'array', items: { type: 'boolean' }, maxItems: 3 }).rules.get('x-0'), '"[" ws (boolean ("," ws boolean){0,2})? ws "]"');
    assert.equal(body({ type: 'string', minLength: 1 }).rules.get('x-0'), '"\\"" char{1,} "\\""');
    assert.equal(body({ type: 'string', maxLength: 100_000 }).name, 'string', 'a bound too large to expand is left open');
    assert.equal(body({ type: 'integer', minimum: 0 }).rules.get('natural-0'), '"0" | [1-9] [0-9]{0,15}');
    assert.match(
      body({ type: 'number', exclusiveMinimum: 0 }).rules.get('positive-0')!,
      /^\[1-9\] \[0-9\]\{0,15\} \("\." digits\)\? \| "0\." \[0-9\]\{0,14\} \[1-9\]$/,
    );
    assert.equal(body({ type: 'integer' }).name, 'integer');
  });

  test('bounds a schema from outside may get wrong are left open: fractions, negatives, a minimum above the maximum', () => {
    assert.equal(body({ type: 'array', items: { type: 'string' }, minItems: 3, maxItems: 2 }).rules.get('x-0'), '"[" ws (string ("," ws string){0,})? ws "]"');
    assert.equal(body({ type: 'string', minLength: 1.5 }).name, 'string');
    assert.equal(body({ type: 'string', minLength: -2, maxLength: 'ten' }).name, 'string');
    assert.equal(body({ enum: [] }).name, 'value');
    assert.equal(body({ enum: [{ a: 1 }] }).name, 'value');
  });

  test('enums, consts, type lists and anyOf are alternatives; what cannot be expressed is any JSON value', () => {
    assert.equal(body({ enum: ['pending', 'done', 3] }).rules.get('x-0'), '"\\"pending\\"" | "\\"done\\"" | "3"');
    assert.equal(body({ const: true }).rules.get('x-0'), '"true"');
    assert.equal(body({ type: ['string', 'null'] }).rules.get('x-0'), 'string | null');
    const anyOf = body({ anyOf: [{ type: 'string' }, { type: 'integer', minimum: 1 }] });
    assert.match(anyOf.rules.get(anyOf.name)!, /^string \| positive-integer-\d+$/);
    for (const odd of [{ $ref: '#/$defs/a' }, { allOf: [{ type: 'string' }] }, {}, true]) assert.equal(body(odd).name, 'value');
  });
});

describe('the call grammar', () => {
  test('every tool is one alternative after free text; the text may hold "<" but not "<t"', () => {
    const grammar = callGrammar(defaultTools().specs());
    const r = rules(grammar);
    const root = r.get('root')!;
    for (const name of defaultTools().names()) assert.match(grammar, new RegExp(`"\\\\"${name}\\\\""`), name);
    assert.match(root, /^text-\d+ "<tool_call>" \(call-update-plan-\d+ \| call-read-file-\d+ \| /);
    assert.ok(root.endsWith(`"${CALL_CLOSE}"`));
    assert.equal([...r.entries()].find(([k]) => k.startsWith('text-'))?.[1], '([^<] | "<"+ [^<t])* "<"*');
  });

  test('an answer is read back into its text and its one call', () => {
    const answer = `I will read it.\n${CALL_OPEN}{"name": "read_file", "arguments": {"path": "a.txt"}}${CALL_CLOSE}`;
    assert.deepEqual(splitAnswer(answer), { text: 'I will read it.', call: { name: 'read_file', arguments: '{"path":"a.txt"}' } });
    assert.deepEqual(splitAnswer('no call at all'), { text: 'no call at all' });
    assert.deepEqual(splitAnswer(`${CALL_OPEN}{"name": "x", "argu`), { text: `${CALL_OPEN}{"name": "x", "argu` });
  });
});
