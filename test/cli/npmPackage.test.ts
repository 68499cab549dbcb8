/**
 * The CLI's npm package (scripts/pack-cli.mjs → build/npm): what `npm pack` would publish (only
 * the bundles, the README and the licence; at most 1 MB unpacked), and the tarball installed with
 * npm as a user would, its `stepwise` run on a task with a command (the shell parser's grammar
 * comes from the installed dependency) against the scripted model server.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { runStep } from '../support/action';
import { cliEnv, NETWORK_ENV, scriptedRun } from '../support/cli';

const root = path.join(__dirname, '..', '..');
const run = promisify(execFile);

describe('the npm package', { timeout: 300_000 }, () => {
  const cleanups: (() => unknown)[] = [];
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-npm-'));
  let tarball: string;
  before(async () => {
    await run(process.execPath, ['scripts/pack-cli.mjs', '--pack'], { cwd: root });
    tarball = path.join(root, 'build/npm', fs.readdirSync(path.join(root, 'build/npm')).find((f) => f.endsWith('.tgz'))!);
  });
  after(async () => {
    for (const c of cleanups) await c();
    fs.rmSync(prefix, { recursive: true, force: true });
  });

  test('npm pack publishes the bundles, the README and the licence, at most 1 MB unpacked', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json'], { cwd: path.join(root, 'build/npm'), env: { ...process.env, ...NETWORK_ENV } });
    const [pack] = JSON.parse(stdout) as { name: string; unpackedSize: number; files: { path: string }[] }[];
    assert.equal(pack!.name, '@stepwise-dev/cli');
    assert.deepEqual(pack!.files.map((f) => f.path).sort(), [
      'LICENSE',
      'README.md',
      'dist/action.js',
      'dist/cli.js',
      'dist/embedded.js',
      'dist/mcp.js',
      'dist/pdf.js',
      'package.json',
    ]);
    assert.ok(pack!.unpackedSize <= 1024 * 1024, `${pack!.unpackedSize} bytes unpacked`);
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'build/npm/package.json'), 'utf8'));
    const rootManifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    assert.equal(manifest.version, rootManifest.version, 'built from the same sources, at the same version');
    // Each library at the exact version installed and tested here (the lock file's), and one the repository depends on.
    const locked = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')).packages;
    for (const [name, version] of Object.entries(manifest.dependencies)) {
      assert.ok(rootManifest.dependencies[name], `${name} is a dependency of the repository`);
      assert.equal(version, locked[`node_modules/${name}`].version, name);
    }
  });

  test('installed from the tarball, `stepwise` runs a task with a command and finishes (exit 0)', async () => {
    fs.writeFileSync(path.join(prefix, 'package.json'), '{"private": true}\n');
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: prefix, env: { ...process.env, ...NETWORK_ENV } });
    const bin = path.join(prefix, 'node_modules', '.bin', 'stepwise');
    const version = await run(bin, ['--version']);
    assert.equal(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version);
    const { base, server } = await scriptedRun(
      [
        { toolCalls: [{ name: 'run_command', arguments: { command: 'echo installed-cli-ok' } }] },
        { toolCalls: [{ name: 'finish', arguments: { summary: 'ran it' } }] },
      ],
      {},
      cleanups,
    );
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(bin, [...base, '--approve', 'all', '--json', 'Run echo'], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /installed-cli-ok/);
    assert.equal(server.chatRequests().length, 2);
  });

  test("the GitHub Action's own steps: its install step installs the package (from the tarball here), its run step runs the goal with it", async () => {
    const {
      root: workspace,
      server,
      base,
    } = await scriptedRun([{ toolCalls: [{ name: 'finish', arguments: { summary: 'ran from the package' } }] }], {}, cleanups);
    const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-runner-'));
    cleanups.push(() => fs.rmSync(runnerTemp, { recursive: true, force: true }));
    // A version or any spec npm takes: here the tarball the release would publish.
    const install = await runStep('install', { 'cli-version': `file:${tarball}` }, { workspace, runnerTemp, env: NETWORK_ENV });
    assert.equal(install.code, 0, install.stderr);
    const cliDir = install.outputs.dir!;
    assert.equal(cliDir, path.join(runnerTemp, 'stepwise-cli/node_modules/@stepwise-dev/cli'));
    const result = await runStep(
      'run',
      { goal: 'Say done', 'base-url': base[base.indexOf('--base-url') + 1]!, model: 'scripted-model' },
      { workspace, cliDir },
    );
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual([result.outputs.status, result.outputs.summary], ['finished', 'ran from the package']);
    assert.equal(server.chatRequests().length, 1);
  });
});
