/**
 * The call grammar as llama.cpp itself reads it (the embedded runtime, installed into the tests'
 * cache if it is not there): answers that are one valid call after free text are accepted, and
 * every way a small model could get a call wrong is not — an unknown tool, a missing or unknown
 * argument, a number below its bound, a second call, text after the call. Schemas an MCP server
 * may send wrong still make a grammar llama.cpp accepts.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, test } from 'node:test';
import { CALL_CLOSE, CALL_OPEN, callGrammar } from '../../src/core/embedded/callGrammar';
import { ensureRuntime } from '../../src/core/embedded/runtime';
import { defaultTools } from '../../src/core/tools/registry';
import type { ToolSpec } from '../../src/core/contracts';
import { TEST_CACHE } from '../support/cli';

interface Grammar {
  /** node-llama-cpp's own check that a text is a whole match of the grammar (internal in 3.21.1). */
  _testText(text: string): boolean;
}
type Llama = { createGrammar(options: { grammar: string }): Promise<Grammar> };

const call = (name: string, args: unknown, before = '') => `${before}${CALL_OPEN}${JSON.stringify({ name, arguments: args })}${CALL_CLOSE}`;

describe('the call grammar in llama.cpp', () => {
  let llama: Llama;
  let grammar: Grammar;
  before(async () => {
    const runtime = await ensureRuntime({
      cacheDir: path.join(TEST_CACHE, 'stepwise'),
      env: process.env,
      signal: new AbortController().signal,
      say: () => undefined,
    });
    const lib = (await import(pathToFileURL(runtime.entry).href)) as { getLlama(o: object): Promise<Llama> };
    llama = await lib.getLlama({ gpu: false, build: 'never', logLevel: 'error', progressLogs: false, skipDownload: true });
    grammar = await llama.createGrammar({ grammar: callGrammar(defaultTools().specs()) });
  });

  test('one valid call, after any text (with "<" in it), is accepted', () => {
    for (const answer of [
      call('list_files', {}),
      call('read_file', { path: 'src/a.ts' }, 'I will read it.\n'),
      call('read_file', { path: 'a.ts', start_line: 3, end_line: 40 }),
      call('read_file', { path: 'a.ts', end_line: 40 }),
      call('update_plan', {
        steps: [
          { title: 'Read', status: 'in_progress' },
          { title: 'Fix', status: 'pending' },
        ],
      }),
      call('edit_file', { path: 'a.ts', edits: [{ search: 'if (a < b)', replace: 'if (a <= b)' }] }, 'if a << b and x <= y:\n'),
      call('run_command', { command: 'npm test', timeout_s: 0.5 }),
      call('finish', { summary: 'Done: "quoted" and \\ escaped' }),
      call('list_files', {}, 'x<<'),
    ])
      assert.ok(grammar._testText(answer), answer);
  });

  test('every way to get the call wrong is refused', () => {
    for (const answer of [
      'Just text, no call.',
      call('delete_everything', {}),
      call('read_file', {}),
      call('read_file', { path: 'a.ts', start_line: 0 }),
      call('read_file', { path: 'a.ts', start_line: -3 }),
      call('read_file', { path: 'a.ts', colour: 'red' }),
      call('read_file', { path: 7 }),
      call('update_plan', { steps: [] }),
      call('update_plan', { steps: [{ title: 'Read', status: 'started' }] }),
      call('run_command', { command: '' }),
      call('run_command', { command: 'ls', timeout_s: 0 }),
      call('write_file', { path: 'a.ts' }),
      call('finish', { summary: '' }),
      `${call('list_files', {})}${call('list_files', {})}`,
      `${call('list_files', {})} and more text`,
      `${CALL_OPEN}{"name": "list_files", "arguments": {}`,
      `a <tool_ca ${call('list_files', {})}`,
    ])
      assert.equal(grammar._testText(answer), false, answer);
  });

  test('schemas an MCP server may send wrong still give a grammar llama.cpp takes, quickly', async () => {
    const odd: ToolSpec[] = [
      {
        name: 'mcp__a__b',
        description: '',
        parameters: { type: 'object', properties: { xs: { type: 'array', items: { type: 'string' }, minItems: 3, maxItems: 2 } } },
      },
      {
        name: 'mcp__a__c',
        description: '',
        parameters: { type: 'object', properties: { s: { type: 'string', minLength: 1.5 }, e: { enum: [] } }, required: ['s'] },
      },
      { name: 'mcp__a__d', description: '', parameters: { type: 'object', properties: { r: { $ref: '#/$defs/x' }, all: { allOf: [{ type: 'string' }] } } } },
    ];
    const made = await llama.createGrammar({ grammar: callGrammar(odd) });
    assert.ok(made._testText(call('mcp__a__b', { xs: ['a'] })));
    assert.ok(made._testText(call('mcp__a__c', { s: 'x', e: { any: [1, null] } })));
    assert.ok(made._testText(call('mcp__a__d', { r: 1, all: 'y' })));
  });
});
