/**
 * `stepwise.provider: embedded` in a real extension host: a goal runs on a tiny generated GGUF
 * model in Stepwise's own model process (the runtime from the tests' cache, installed on first use
 * if it is not there), the process is kept for the next goal, and a file that is not a model is
 * named in the goal's result.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeTinyGguf } from '../../support/tinyGguf';
import { configure } from './helpers';

/** Calls finish with the summary "f" at once (test/support/embedded.ts has the others). */
const FINISHER = { '<0x0A>': '<', '<': 't', '"': 'f', '▁"': 'f', f: '"' };

describe('the embedded model in VS Code', function () {
  // The first goal may install the runtime (about 85 MB from the npm registry).
  this.timeout(240_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-embedded-vscode-'));
  const model = path.join(dir, 'finisher.gguf');
  writeTinyGguf(model, FINISHER);

  after(async () => {
    await configure({ provider: undefined, 'embedded.modelFile': undefined, planFirst: undefined });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a goal runs on the model file, and a second one after it on the model kept loaded', async () => {
    await configure({ provider: 'embedded', 'embedded.modelFile': model, planFirst: false });
    const first = await vscode.commands.executeCommand<{ status: string; summary: string }>('stepwise.startGoal', 'Say you are done');
    assert.deepEqual({ status: first?.status, summary: first?.summary }, { status: 'finished', summary: 'f' });
    const second = await vscode.commands.executeCommand<{ status: string; summary: string }>('stepwise.startGoal', 'Again');
    assert.deepEqual({ status: second?.status, summary: second?.summary }, { status: 'finished', summary: 'f' });
  });

  it('a file that is not a GGUF model: the goal fails, naming the file', async () => {
    const bad = path.join(dir, 'notes.gguf');
    fs.writeFileSync(bad, 'just some notes');
    await configure({ provider: 'embedded', 'embedded.modelFile': bad, planFirst: false });
    const result = await vscode.commands.executeCommand<{ status: string; summary: string }>('stepwise.startGoal', 'x');
    assert.equal(result?.status, 'failed');
    assert.match(result?.summary ?? '', /notes\.gguf is not a GGUF model file/);
  });
});
