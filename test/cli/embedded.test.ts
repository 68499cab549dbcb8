/**
 * `--provider embedded` end to end through the built CLI, on tiny generated models (no download):
 * the runtime is installed on first use into the tests' cache, every step is a well-formed call,
 * a finished task exits 0, a stop ends the model process, and a bad model file is named (exit 2).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { jsonEvents, NETWORK_ENV, runCli } from '../support/cli';
import { modelProcessOf, tempDir, watchCli, writeModels } from '../support/embedded';
import { alive } from '../support/processes';
import { makeWorkspace, removeWorkspace } from '../support/workspace';

const TOOLS = [
  'read_file',
  'list_files',
  'search',
  'get_diagnostics',
  'edit_file',
  'write_file',
  'run_command',
  'run_task',
  'update_plan',
  'finish',
  'web_fetch',
];

describe('stepwise run --provider embedded', () => {
  const dir = tempDir('stepwise-embedded-');
  let models: ReturnType<typeof writeModels>;
  let root: string;
  before(() => {
    models = writeModels(dir);
    root = makeWorkspace({ 'a.txt': 'alpha\n' });
  });
  after(() => {
    removeWorkspace(root);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const run = (model: string, extra: string[] = []) => ['run', '--workspace', root, '--provider', 'embedded', '--model-file', model, ...extra];

  test('three steps, each a well-formed call of a known tool with valid arguments; the step limit ends it (exit 1)', async () => {
    const result = await runCli([...run(models.lister, ['--max-steps', '3', '--json']), 'Look around'], NETWORK_ENV);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /using the embedded model lister\.gguf \(CPU, context \d+ tokens/);
    const events = jsonEvents(result.stdout);
    const calls = events.filter((e) => e.type === 'tool_call');
    assert.equal(calls.length, 3);
    for (const call of calls) {
      assert.ok(TOOLS.includes(call.name), call.name);
      // The loop reports arguments its schema accepted as an object, and others as the raw text.
      assert.equal(typeof call.args, 'object', JSON.stringify(call.args));
    }
    const results = events.filter((e) => e.type === 'tool_result');
    assert.deepEqual([results[0].ok, results[0].output], [true, 'a.txt']);
    // Three identical calls in a row: the loop's repeat guard may refuse the third, which is not an argument error.
    for (const r of results) assert.ok(r.ok || /made this exact list_files call/.test(r.output), r.output);
    assert.equal(events.at(-1).status, 'max_steps');
    assert.ok(events.at(-1).usage.prompt_tokens > 0 && events.at(-1).usage.completion_tokens > 0);
  });

  test('a model that calls finish ends the task: exit 0 with its summary', async () => {
    const result = await runCli([...run(models.finisher, ['--json']), 'Say you are done'], NETWORK_ENV);
    assert.equal(result.code, 0, result.stderr);
    const done = jsonEvents(result.stdout).at(-1);
    assert.equal(done.status, 'finished');
    assert.equal(done.summary, 'f');
  });

  test('Ctrl+C while the model is writing stops it: exit 1, and its process is gone', { timeout: 120_000 }, async () => {
    const cli = watchCli([...run(models.talker), 'Talk']);
    await cli.waitFor('stderr', /using the embedded model/);
    await cli.waitFor('stdout', /\S/);
    const pid = await modelProcessOf(cli);
    cli.child.kill('SIGINT');
    assert.equal(await cli.exit, 1);
    assert.equal(alive(pid), false);
  });

  test('Ctrl+C while the model loads stops the load: exit 1, nothing used, the process gone', { timeout: 120_000 }, async () => {
    const cli = watchCli([...run(models.lister), 'x']);
    await cli.waitFor('stderr', /loading the embedded model/);
    // node-llama-cpp takes most of a second to start in the new process: the stop lands in the load.
    const pid = await modelProcessOf(cli);
    cli.child.kill('SIGINT');
    assert.equal(await cli.exit, 1);
    assert.doesNotMatch(cli.stderr(), /using the embedded model/);
    assert.equal(alive(pid), false);
  });

  test('Ctrl+C as soon as the model is loaded, while the first prompt is read: exit 1, no step run, the process gone', { timeout: 120_000 }, async () => {
    const big = path.join(root, 'big.txt');
    fs.writeFileSync(big, 'The quick brown fox jumps over the lazy dog. '.repeat(250));
    const cli = watchCli([...run(models.lister, ['--attach', big]), 'Summarise the attached file']);
    await cli.waitFor('stderr', /using the embedded model/);
    const pid = await modelProcessOf(cli);
    cli.child.kill('SIGINT');
    assert.equal(await cli.exit, 1);
    assert.doesNotMatch(cli.stdout(), /list_files/, 'the lister calls list_files at once: no step ran');
    assert.equal(alive(pid), false);
  });

  for (const [what, write, expected] of [
    ['a file that is not GGUF', (f: string) => fs.writeFileSync(f, 'PK\u0003\u0004 not a model'), /is not a GGUF model file/],
    [
      'a model cut short',
      (f: string) => fs.writeFileSync(f, fs.readFileSync(models.lister).subarray(0, 300_000)),
      /Could not load the model .*cut short or damaged/,
    ],
    ['a file that does not exist', () => undefined, /does not exist/],
  ] as const) {
    test(`${what}: one line naming the file, exit 2`, async () => {
      const file = path.join(dir, 'bad.gguf');
      fs.rmSync(file, { force: true });
      write(file);
      const result = await runCli([...run(file), 'x'], NETWORK_ENV);
      assert.equal(result.code, 2, result.stderr);
      const last = result.stderr.trim().split('\n').at(-1)!;
      assert.match(last, expected);
      assert.ok(last.includes(file), last);
    });
  }

  test('the runtime cannot be installed (no npm; no registry): what failed and the command to run by hand, exit 2', async () => {
    const cases: Record<string, string>[] = [{ PATH: '/nonexistent' }, { npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0' }];
    for (const env of cases) {
      const cache = tempDir('stepwise-cache-');
      const result = await runCli([...run(models.lister), 'x'], { ...NETWORK_ENV, XDG_CACHE_HOME: cache, ...env });
      const left = fs.readdirSync(path.join(cache, 'stepwise', 'runtime'));
      fs.rmSync(cache, { recursive: true, force: true });
      assert.equal(result.code, 2, result.stderr);
      const last = result.stderr.trim().split('\n').at(-1)!;
      assert.match(last, env.PATH ? /npm was not found/ : /Installing the embedded runtime failed \(npm exit \d+\)/);
      assert.match(last, /npm install --prefix ".*node-llama-cpp-3\.21\.1-[^"]+" --omit=optional --ignore-scripts -E node-llama-cpp@3\.21\.1 /);
      assert.deepEqual(left, [], 'a failed install leaves nothing that could pass for one');
    }
  });

  test('a model larger than the memory of the machine: the need and what the machine has, exit 2, nothing loaded', async () => {
    const file = path.join(dir, 'huge.gguf');
    const header = fs.readFileSync(models.lister).subarray(0, 4096);
    fs.writeFileSync(file, header);
    // Sparse: the size is claimed, not written.
    fs.truncateSync(file, require('node:os').totalmem() + 2 ** 30);
    const result = await runCli([...run(file), 'x'], NETWORK_ENV);
    fs.rmSync(file, { force: true });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /huge\.gguf needs about \d+\.\d GB of memory to run; this machine has \d+\.\d GB/);
    assert.doesNotMatch(result.stderr, /loading the embedded model/);
  });
});
