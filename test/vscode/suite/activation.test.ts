import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, EXTENSION_ID } from './helpers';

describe('activation', () => {
  it('activates after start-up (cheaply: the runtime loads on first use) and contributes the Stepwise commands', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, 'the extension is installed');
    const stepwise = await api();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['stepwise.startGoal', 'stepwise.stop', 'stepwise.setApiKey', 'stepwise.selectModel', 'stepwise.showLog']) {
      assert.ok(commands.includes(id), id);
    }
    // Recorded for `npm run bench` (a measurement, not an assertion).
    const results = path.resolve(__dirname, '../../../test-results');
    fs.mkdirSync(results, { recursive: true });
    fs.writeFileSync(path.join(results, 'activation.json'), JSON.stringify({ activationMs: stepwise.activationMs }));
  });

  it('activates once start-up has finished (its lightbulb actions must be there), with limited support in untrusted workspaces', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    // Never at start-up itself ("*"): after it, and the activation bundle stays a few KB.
    assert.deepEqual(pkg.activationEvents, ['onStartupFinished']);
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    for (const key of ['baseUrl', 'approval.read', 'approval.edit', 'approval.execute']) {
      assert.equal(pkg.contributes.configuration.properties[`stepwise.${key}`].scope, 'application', key);
    }
  });
});
