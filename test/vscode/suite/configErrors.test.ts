import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { freePort } from '../../support/ports';
import { configure } from './helpers';

describe('configuration errors', () => {
  it('an unreachable server ends the goal with a clear message, no stack trace', async () => {
    const port = await freePort();
    await configure({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm' });
    const result = await vscode.commands.executeCommand<{ status: string; summary: string }>('stepwise.startGoal', 'Anything');
    assert.equal(result?.status, 'failed');
    assert.match(result!.summary, new RegExp(`Cannot reach a model server at http://127\\.0\\.0\\.1:${port}/v1`));
    assert.doesNotMatch(result!.summary, /\n\s+at /);
    // A VS Code user is told what to do in VS Code, never to pass a command-line flag.
    assert.match(result!.summary, /Stepwise sidebar or with Stepwise: Select Model/);
    assert.doesNotMatch(result!.summary, /--[a-z]/);
  });
});
