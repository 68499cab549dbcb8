import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { runCli, runCliOnTerminal } from '../support/cli';
import { startScriptedServer, type ScriptStep } from '../support/scriptedServer';
import { toolMessages } from '../support/agent';
import { makeWorkspace, read, removeWorkspace } from '../support/workspace';

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

function project() {
  const root = makeWorkspace({
    'package.json': JSON.stringify({ name: 'calc', private: true, scripts: { test: 'node test/math.test.js' } }, null, 2),
    'src/math.js': 'function add(a, b) {\n  return a - b;\n}\n\nmodule.exports = { add };\n',
    'test/math.test.js':
      "const assert = require('assert');\nconst { add } = require('../src/math');\nassert.strictEqual(add(2, 3), 5);\nconsole.log('math ok');\n",
    '.gitignore': 'node_modules/\n',
  });
  cleanups.push(() => removeWorkspace(root));
  return root;
}

const journey: ScriptStep[] = [
  {
    text: 'Let me look at the project.',
    toolCalls: [
      {
        name: 'update_plan',
        arguments: {
          steps: [
            { title: 'Find add', status: 'in_progress' },
            { title: 'Fix it', status: 'pending' },
            { title: 'Run the tests', status: 'pending' },
          ],
        },
      },
    ],
  },
  { toolCalls: [{ name: 'list_files', arguments: { recursive: true } }] },
  { toolCalls: [{ name: 'search', arguments: { query: 'function add' } }] },
  { toolCalls: [{ name: 'read_file', arguments: { path: 'src/math.js' } }] },
  {
    text: 'add subtracts; fixing.',
    toolCalls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: '  return a - b;', replace: '  return a + b;' }] } }],
  },
  { toolCalls: [{ name: 'run_task', arguments: { name: 'test' } }] },
  { toolCalls: [{ name: 'run_command', arguments: { command: 'node test/math.test.js' } }] },
  { toolCalls: [{ name: 'finish', arguments: { summary: 'Fixed add: it subtracted instead of adding. Tests pass.' } }] },
];

describe('stepwise run: a whole journey', () => {
  test('plan → list → search → read → edit → test as task and command → finish, as JSON events', async () => {
    const root = project();
    const server = await startScriptedServer(journey);
    cleanups.push(() => server.close());
    const result = await runCli([
      'run',
      '--workspace',
      root,
      '--base-url',
      server.url,
      '--model',
      'scripted-model',
      '--approve',
      'all',
      '--json',
      'Fix the add function',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(read(root, 'src/math.js'), 'function add(a, b) {\n  return a + b;\n}\n\nmodule.exports = { add };\n');

    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const types = new Set(events.map((e) => e.type));
    for (const type of types) assert.ok(['plan', 'message', 'tool_call', 'approval', 'tool_result', 'error', 'done', 'checkpoint'].includes(type), type);
    assert.deepEqual(
      events.filter((e) => e.type === 'tool_call').map((e) => e.name),
      ['update_plan', 'list_files', 'search', 'read_file', 'edit_file', 'run_task', 'run_command', 'finish'],
    );
    assert.deepEqual(events.find((e) => e.type === 'plan').steps[0], { title: 'Find add', status: 'in_progress' });
    const results = events.filter((e) => e.type === 'tool_result');
    assert.ok(
      results.every((e) => e.ok),
      JSON.stringify(results.filter((e) => !e.ok)),
    );
    assert.match(results[1].output, /src\/math\.js\ntest\/math\.test\.js/);
    assert.match(results[2].output, /^src\/math\.js:1: function add\(a, b\) \{$/);
    assert.match(results[5].output, /Ran package\.json script "test"[\s\S]*Exit code: 0[\s\S]*math ok/);
    assert.match(results[6].output, /^Exit code: 0\nmath ok$/);
    assert.deepEqual(
      events.filter((e) => e.type === 'approval').map((e) => e.decision),
      ['approved', 'approved', 'approved'],
    );
    const { usage, task, ...done } = events.at(-1);
    assert.deepEqual(done, { type: 'done', status: 'finished', summary: 'Fixed add: it subtracted instead of adding. Tests pass.' });
    // A checkpoint before each step that may change files: the edit, the task and the command (tool calls 5, 6, 7).
    assert.deepEqual(
      events.filter((e) => e.type === 'checkpoint').map((e) => [e.task, e.step]),
      [
        [task, 5],
        [task, 6],
        [task, 7],
      ],
    );
    assert.ok(usage.prompt_tokens > 1000 && usage.cost_usd === undefined, 'tokens counted; a local server has no price');
    assert.equal(server.chatRequests().length, 8);
  });

  test('human output streams the model text and shows each step', async () => {
    const root = project();
    const server = await startScriptedServer(journey);
    cleanups.push(() => server.close());
    const result = await runCli([
      'run',
      '--workspace',
      root,
      '--base-url',
      server.url,
      '--model',
      'scripted-model',
      '--approve',
      'all',
      'Fix the add function',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Let me look at the project\./);
    assert.match(result.stdout, /Plan:\n  \[~\] Find add\n  \[ \] Fix it/);
    assert.match(result.stdout, /▸ edit_file src\/math\.js\n  ✓ Edited src\/math\.js \(\+1 -1\)/);
    assert.match(result.stdout, /✔ Finished: Fixed add/);
  });

  test('on a terminal, steps are asked: "n feedback" reaches the model, "y" runs the next one', async () => {
    const root = project();
    const server = await startScriptedServer([
      { toolCalls: [{ name: 'run_command', arguments: { command: 'rm -rf test' } }] },
      journey[4]!,
      { toolCalls: [{ name: 'finish', arguments: { summary: 'ok' } }] },
    ]);
    cleanups.push(() => server.close());
    const result = await runCliOnTerminal(
      ['run', '--workspace', root, '--base-url', server.url, '--model', 'scripted-model', 'Fix add'],
      ['n please do not delete tests', 'y'],
    );
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /\? Run: rm -rf test\n  \$ rm -rf test/);
    assert.match(result.stdout, /\? Edit src\/math\.js\n--- a\/src\/math\.js/);
    assert.match(toolMessages(server.chatRequests()[1]?.body)[0] ?? '', /The user said: "please do not delete tests"/);
    assert.equal(read(root, 'test/math.test.js').includes('math ok'), true);
    assert.match(read(root, 'src/math.js'), /return a \+ b/);
  });

  test('on a terminal, "y 2" approves this step and the next one', async () => {
    const root = project();
    const server = await startScriptedServer([
      { toolCalls: [{ name: 'run_command', arguments: { command: 'echo one > one.txt' } }] },
      { toolCalls: [{ name: 'run_command', arguments: { command: 'echo two > two.txt' } }] },
      { toolCalls: [{ name: 'run_command', arguments: { command: 'echo three > three.txt' } }] },
      { toolCalls: [{ name: 'finish', arguments: { summary: 'ok' } }] },
    ]);
    cleanups.push(() => server.close());
    const result = await runCliOnTerminal(['run', '--workspace', root, '--base-url', server.url, '--model', 'scripted-model', 'Write files'], ['y 2', 'n']);
    assert.equal(result.code, 0, result.stdout);
    assert.equal(result.stdout.split('Allow? ').length - 1, 2, 'asked for the first and the third step only');
    assert.equal(read(root, 'one.txt'), 'one\n');
    assert.equal(read(root, 'two.txt'), 'two\n');
    assert.throws(() => read(root, 'three.txt'));
  });
});
