/**
 * Command rules in a real extension host: only the user's settings allow or deny commands (the
 * fixture's .vscode/settings.json allows `touch *` and `rm *`, and is ignored), a deny rule holds
 * under auto-approval, and an invalid rule stops the task with a clear message.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ScriptedServer } from '../../support/scriptedServer';
import { api, configure, endGoal, file, lastToolMessages, readDisk, scriptedModel, waitFor } from './helpers';

const run = (command: string) => ({ toolCalls: [{ name: 'run_command', arguments: { command } }] });
const finish = { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] };
type Result = { status: string; summary: string } | undefined;

describe('command rules', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await endGoal(server);
    server = undefined;
    for (const f of ['user-rule.txt', 'repo-rule.txt']) fs.rmSync(file(f), { force: true });
    await configure({ 'approval.execute': undefined, 'commands.allow': undefined, 'commands.deny': undefined });
  });

  it("the user's rule runs a command by itself; the repository's own rules are ignored and the card says why", async () => {
    assert.match(readDisk('.vscode/settings.json'), /"stepwise\.commands\.allow": \["touch \*", "rm \*"\]/);
    server = await scriptedModel([run('touch user-rule.txt'), run('touch repo-rule.txt && ls'), finish]);
    await configure({ 'approval.execute': 'ask', 'commands.allow': ['touch user-rule.txt'] });
    const stepwise = await api();
    const running = vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Touch two files');
    const step = await waitFor('the repository-allowed command to be asked', () => stepwise.pendingApproval());
    assert.ok(fs.existsSync(file('user-rule.txt')), 'the user-allowed command ran without asking');
    assert.deepEqual(
      step.command?.parts.map((p) => [p.text, p.status]),
      [
        ['touch repo-rule.txt', 'ask'],
        ['ls', 'allowed'],
      ],
    );
    assert.match(step.command?.parts[0]?.reasons.join() ?? '', /`touch` is not in your allowed commands/);
    assert.deepEqual(step.command?.suggestions?.exact, ['touch repo-rule.txt']);
    assert.equal(await vscode.commands.executeCommand('stepwise.rejectStep', { approvalId: step.approvalId }), true);
    assert.equal((await running)?.status, 'finished');
    assert.equal(fs.existsSync(file('repo-rule.txt')), false);
  });

  it('a deny rule holds under auto-approval: the command never runs and the model is told which rule', async () => {
    server = await scriptedModel([run('ls && rm -rf src'), finish]);
    await configure({ 'approval.execute': 'auto', 'commands.deny': ['rm -rf *'] });
    const result = await vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Clean up');
    assert.equal(result?.status, 'finished');
    assert.ok(fs.existsSync(file('src/math.js')));
    assert.match(lastToolMessages(server)[0] ?? '', /`rm -rf src` matches the user's deny rule `rm -rf \*`/);
  });

  it('an invalid rule in the settings stops the task before it starts, naming the setting', async () => {
    server = await scriptedModel([run('ls'), finish]);
    await configure({ 'commands.deny': ['/(unclosed/'] });
    const result = await vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Anything');
    assert.equal(result?.status, 'failed');
    assert.match(result?.summary ?? '', /stepwise\.commands \(deny\): The command rule "\/\(unclosed\/" is not a valid regular expression/);
    assert.equal(server.chatRequests().length, 0, 'no model request was made');
  });
});
