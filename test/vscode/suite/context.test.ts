/** The context a task starts with in VS Code: the project's AGENTS.md, the user's own instructions, the machine facts; Create AGENTS.md. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ScriptedServer } from '../../support/scriptedServer';
import { api, configure, endGoal, file, scriptedModel, waitFor } from './helpers';

type Result = { status: string; summary: string } | undefined;
const finish = { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] };

describe('the context a task starts with, in VS Code', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await endGoal(server);
    server = undefined;
    fs.rmSync(file('AGENTS.md'), { force: true });
    await configure({ instructions: undefined, 'approval.edit': undefined });
  });

  it("the root AGENTS.md and the user's stepwise.instructions are in the first request, with the OS and shell", async () => {
    fs.writeFileSync(file('AGENTS.md'), 'Project rule: VSCODE-ROOT-RULE.\n');
    server = await scriptedModel([finish]);
    await configure({ instructions: 'User preference: VSCODE-USER-PREF.' });
    assert.equal((await vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Anything'))?.status, 'finished');
    const [system, first] = server.chatRequests()[0]!.body.messages;
    assert.match(first.content, /VSCODE-USER-PREF[\s\S]*--- AGENTS\.md ---\nProject rule: VSCODE-ROOT-RULE\.[\s\S]*The user's goal:\nAnything/);
    assert.match(system.content, /Machine: \w+ \(\w+\); run_command runs in \/bin\/sh; today is \d{4}-\d{2}-\d{2}\./);
  });

  it('Create AGENTS.md runs a task whose write of AGENTS.md is always asked, even with edits auto-approved', async () => {
    server = await scriptedModel([{ toolCalls: [{ name: 'write_file', arguments: { path: 'AGENTS.md', content: '# Agents\n\nRun `npm test`.\n' } }] }, finish]);
    await configure({ 'approval.edit': 'auto' });
    const stepwise = await api();
    const running = vscode.commands.executeCommand<Result>('stepwise.createAgentsMd');
    const pending = await waitFor('the write to be asked', () => stepwise.pendingApproval());
    assert.deepEqual(pending.protectedPaths, ['AGENTS.md']);
    assert.equal(await vscode.commands.executeCommand('stepwise.approveStep', pending.approvalId), true);
    assert.equal((await running)?.status, 'finished');
    assert.equal(fs.readFileSync(file('AGENTS.md'), 'utf8'), '# Agents\n\nRun `npm test`.\n');
    assert.match(server.chatRequests()[0]!.body.messages[1].content, /Draft an AGENTS\.md at the root of the workspace/);
  });
});
