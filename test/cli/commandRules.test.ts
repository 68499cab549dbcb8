/**
 * Command rules from the command line and the user's config file, as hidden checks drive them:
 * `--allow-command`, `--deny-command`, ~/.config/stepwise/config.json, and `r` on a terminal.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli, runCliOnTerminal, scriptedRun } from '../support/cli';
import type { Script } from '../support/scriptedServer';

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});
const setup = (script: Script, files: Record<string, string> = {}) => scriptedRun(script, files, cleanups);
const run = (command: string) => ({ toolCalls: [{ name: 'run_command', arguments: { command } }] });
const finish = { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] };
const events = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const results = (stdout: string) =>
  events(stdout)
    .filter((e) => e.type === 'tool_result')
    .map((e) => String(e.output));
const approvals = (stdout: string) =>
  events(stdout)
    .filter((e) => e.type === 'approval')
    .map((e) => `${e.decision} by ${e.by}`);
const PKG = JSON.stringify({ scripts: { test: "node -e \"require('fs').writeFileSync('tested.txt', 'ok')\"" } });

function userConfig(config: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-config-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'stepwise'));
  fs.writeFileSync(path.join(dir, 'stepwise', 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

describe('--allow-command and --deny-command', () => {
  test('an allowed command runs without a terminal; the same command chained with another is denied, and the model is told why', async () => {
    const { root, base } = await setup([run('npm test'), run('npm test; touch pwned.txt'), finish], { 'package.json': PKG });
    const result = await runCli([...base, '--allow-command', 'npm test', '--json', 'x']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(fs.readFileSync(path.join(root, 'tested.txt'), 'utf8'), 'ok');
    assert.equal(fs.existsSync(path.join(root, 'pwned.txt')), false);
    assert.deepEqual(approvals(result.stdout), ['approved by policy', 'denied by policy']);
    assert.match(results(result.stdout)[1] ?? '', /no one can approve it in this run \(`touch pwned\.txt`: `touch` is not in your allowed commands\)/);
  });

  test('a deny rule wins over --approve all and over an allow rule: the command never runs', async () => {
    const { root, base } = await setup([run('npm test && rm -rf data'), run('timeout 5 rm -rf data'), finish], { 'package.json': PKG, 'data/keep.txt': 'k' });
    const result = await runCli([...base, '--approve', 'all', '--allow-command', 'rm *', '--deny-command', 'rm -rf *', '--json', 'x']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(fs.readFileSync(path.join(root, 'data/keep.txt'), 'utf8'), 'k');
    assert.equal(fs.existsSync(path.join(root, 'tested.txt')), false, 'no part of a denied command runs');
    assert.deepEqual(approvals(result.stdout), ['denied by policy', 'denied by policy']);
    assert.match(results(result.stdout)[0] ?? '', /`rm -rf data` matches the user's deny rule `rm -rf \*`/);
  });

  test('the built-in read-only list runs by itself, and --no-builtin-allow switches it off', async () => {
    const { base } = await setup([run('ls'), finish, run('ls'), finish], { 'a.txt': '' });
    const on = await runCli([...base, '--json', 'x']);
    assert.match(results(on.stdout)[0] ?? '', /a\.txt/);
    const off = await runCli([...base, '--no-builtin-allow', '--json', 'x']);
    assert.match(results(off.stdout)[0] ?? '', /no one can approve it/);
  });

  test('under --approve all, a command that writes a protected path is still asked (denied without a terminal)', async () => {
    const { root, base } = await setup([run('echo x > .vscode/settings.json'), finish]);
    const result = await runCli([...base, '--approve', 'all', '--json', 'x']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(fs.existsSync(path.join(root, '.vscode/settings.json')), false);
    assert.match(results(result.stdout)[0] ?? '', /\.vscode\/settings\.json is a protected path/);
  });

  test('run_task: the npm pre-script must be allowed too', async () => {
    const pkg = JSON.stringify({ scripts: { pretest: "node -e \"require('fs').writeFileSync('pre.txt', '1')\"", test: 'node -e "1"' } });
    const task = { toolCalls: [{ name: 'run_task', arguments: { name: 'test' } }] };
    const { root, base } = await setup([task, finish, task, finish], { 'package.json': pkg });
    const only = await runCli([...base, '--allow-command', 'npm test', '--json', 'x']);
    assert.match(results(only.stdout)[0] ?? '', /`npm run pretest`: `npm run` is not in your allowed commands/);
    assert.equal(fs.existsSync(path.join(root, 'pre.txt')), false);
    const both = await runCli([...base, '--allow-command', 'npm test', '--allow-command', 'npm run pretest', '--json', 'x']);
    assert.deepEqual(approvals(both.stdout), ['approved by policy']);
    assert.equal(fs.existsSync(path.join(root, 'pre.txt')), true);
  });

  for (const [flag, rule, message] of [
    ['--allow-command', '', /cannot be empty/],
    ['--allow-command', '*', /would match every command/],
    ['--deny-command', '/git (diff/', /not a valid regular expression/],
  ] as const) {
    test(`${flag} ${JSON.stringify(rule)} is a usage error (exit 2)`, async () => {
      const result = await runCli(['run', flag, rule, 'x']);
      assert.equal(result.code, 2);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    });
  }
});

describe('the user config file', () => {
  test('holds allow and deny rules; nothing in the workspace can add any', async () => {
    const workspaceSettings = JSON.stringify({ 'stepwise.commands.allow': ['touch *'], commands: { allow: ['touch *'] } });
    const { root, base } = await setup([run('touch from-config.txt'), run('touch other.txt'), run('git push'), finish], {
      '.vscode/settings.json': workspaceSettings,
      '.stepwise/config.json': workspaceSettings,
    });
    const config = userConfig({ commands: { allow: ['touch from-config.txt', 'git push'], deny: ['git push *'] } });
    const result = await runCli([...base, '--json', 'x'], { XDG_CONFIG_HOME: config });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(fs.existsSync(path.join(root, 'from-config.txt')), true);
    assert.equal(fs.existsSync(path.join(root, 'other.txt')), false);
    assert.deepEqual(approvals(result.stdout), ['approved by policy', 'denied by policy', 'denied by policy']);
  });

  test('an invalid rule in it stops the run before anything starts, naming the file (exit 2)', async () => {
    const config = userConfig({ commands: { deny: ['/(/'] } });
    const result = await runCli(['run', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', 'x'], { XDG_CONFIG_HOME: config });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /config\.json: commands\.deny: The command rule "\/\(\/" is not a valid regular expression/);
  });
});

describe('on a terminal', { skip: !hasScript() && 'needs util-linux script' }, () => {
  test('the question shows each part and why; r allows the rule for the rest of the run', async () => {
    const { root, base } = await setup([run('git status && touch a.txt'), run('touch a.txt'), run('touch b.txt'), finish], {
      '.git/HEAD': 'ref: refs/heads/main\n',
    });
    const result = await runCliOnTerminal([...base, 'x'], ['r', 'n']);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /\? touch a\.txt — `touch` is not in your allowed commands/);
    assert.match(result.stdout, /✓ git status — allowed \(git status \*\)/);
    assert.match(result.stdout, /r = allow `touch a\.txt` for this run/);
    assert.equal(result.stdout.split('Allow? ').length - 1, 2, 'the second touch a.txt ran without asking; touch b.txt was asked');
    assert.equal(fs.existsSync(path.join(root, 'a.txt')), true);
    assert.equal(fs.existsSync(path.join(root, 'b.txt')), false);
  });
});

function hasScript(): boolean {
  return spawnSync('script', ['--version']).status === 0;
}
