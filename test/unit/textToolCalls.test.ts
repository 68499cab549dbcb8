import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTextToolCalls } from '../../src/core/model/textToolCalls';
import { defaultTools } from '../../src/core/tools/registry';

const tools = defaultTools().specs();
const parse = (text: string) => parseTextToolCalls(text, tools);
const calls = (text: string) => parse(text).calls.map((c) => [c.name, JSON.parse(c.arguments)]);
const readA = [['read_file', { path: 'a.txt' }]];

describe('tool calls written in text', () => {
  test('a bare JSON object, with arguments / parameters / args and name / tool', () => {
    assert.deepEqual(calls('{"name": "read_file", "arguments": {"path": "a.txt"}}'), readA);
    assert.deepEqual(calls('Let me look.\n{"name": "read_file", "parameters": {"path": "a.txt"}}'), readA);
    assert.deepEqual(calls('{"tool": "read_file", "args": {"path": "a.txt"}}'), readA);
    assert.deepEqual(calls('{"name": "read_file", "arguments": "{\\"path\\": \\"a.txt\\"}"}'), readA);
    assert.deepEqual(calls('{"type": "function", "function": {"name": "read_file", "arguments": {"path": "a.txt"}}}'), readA);
    assert.deepEqual(calls('{"name": "list_files"}'), [['list_files', {}]]);
  });

  test('the markup is removed from the text, the prose kept', () => {
    const result = parse('I will read it.\n\n{"name": "read_file", "arguments": {"path": "a.txt"}}\n\nThen edit.');
    assert.equal(result.text, 'I will read it.\n\nThen edit.');
  });

  test('a fenced json block, and one holding an array of calls', () => {
    assert.deepEqual(calls('Reading:\n```json\n{"name": "read_file", "arguments": {"path": "a.txt"}}\n```'), readA);
    assert.deepEqual(calls('```\n[{"name": "read_file", "arguments": {"path": "a.txt"}}, {"name": "finish", "arguments": {"summary": "ok"}}]\n```'), [
      ...readA,
      ['finish', { summary: 'ok' }],
    ]);
    assert.equal(parse('Reading:\n```json\n{"name": "read_file", "arguments": {"path": "a.txt"}}\n```').text, 'Reading:');
  });

  test('<tool_call> blocks (Hermes, Qwen), several in one answer', () => {
    const text =
      'Two reads.\n<tool_call>\n{"name": "read_file", "arguments": {"path": "a.txt"}}\n</tool_call>\n<tool_call>{"name": "search", "arguments": {"query": "x"}}</tool_call>';
    assert.deepEqual(calls(text), [...readA, ['search', { query: 'x' }]]);
    assert.equal(parse(text).text, 'Two reads.');
  });

  test("Qwen's <function=…> form, alone or inside <tool_call>, with typed values", () => {
    const fn = '<function=read_file>\n<parameter=path>\na.txt\n</parameter>\n<parameter=start_line>\n3\n</parameter>\n</function>';
    assert.deepEqual(calls(fn), [['read_file', { path: 'a.txt', start_line: 3 }]]);
    assert.deepEqual(calls(`<tool_call>\n${fn}\n</tool_call>`), [['read_file', { path: 'a.txt', start_line: 3 }]]);
    const write = '<function=write_file><parameter=path>n.txt</parameter><parameter=content>42\n{ "x": 1 }</parameter></function>';
    assert.deepEqual(calls(write), [['write_file', { path: 'n.txt', content: '42\n{ "x": 1 }' }]]);
  });

  for (const [what, text] of [
    ['prose with a JSON example about something else', 'The config is {"name": "server", "port": 8080}.'],
    ['a package.json that happens to be named like a tool', '```json\n{"name": "search", "version": "1.0.0"}\n```'],
    ['an unknown tool name', '<tool_call>{"name": "delete_everything", "arguments": {}}</tool_call>'],
    ['truncated JSON', '{"name": "read_file", "arguments": {"path": "a.t'],
    ['truncated JSON in a closed tag', '<tool_call>{"name": "read_file", "arguments": {"path": "a.t</tool_call>'],
    ['an unclosed tag around a complete object', '<tool_call>{"name": "read_file", "arguments": {"path": "a.txt"}}'],
    ['an unclosed fence', '```json\n{"name": "read_file", "arguments": {"path": "a.txt"}}'],
    ['an unclosed <function=…>', '<function=read_file><parameter=path>a.txt</parameter>'],
    ['an unclosed parameter', '<function=read_file><parameter=path>a.txt</function>'],
    ['stray text between parameters', '<function=read_file>then <parameter=path>a.txt</parameter></function>'],
    ['a call nested in other data', '{"example": {"name": "read_file", "arguments": {"path": "a.txt"}}}'],
    ['a call inside a code fence of another language', '```ts\nconst call = {"name": "read_file", "arguments": {"path": "a.txt"}};\n```'],
    ['arguments that are not an object', '{"name": "read_file", "arguments": ["a.txt"]}'],
    ['a complete object inside a wrapper that never closes', '{"calls": [{"name": "read_file", "arguments": {"path": "a.txt"}}'],
  ] as const) {
    test(`not a call: ${what}`, () => {
      const result = parse(text);
      assert.deepEqual(result.calls, []);
      assert.equal(result.text, text);
    });
  }
});
