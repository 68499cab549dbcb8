/**
 * Approvals mean what the user saw: an answer names the step it was shown for, Stop ends every
 * wait, the sidebar gets every approval however long the task, and a repository's settings choose
 * neither the model nor the limits.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ApprovalRequest } from '../../../src/core/agent/events';
import { PendingApprovals } from '../../../src/vscode/approvals';
import { runVsCodeTask } from '../../../src/vscode/taskRunner';
import type { ScriptedServer } from '../../support/scriptedServer';
import { api, configure, endGoal, file, lastToolMessages, readDisk, restore, scriptedModel, waitFor } from './helpers';

const MATH = fs.readFileSync(file('src/math.js'), 'utf8');
const finish = (summary = 'done') => ({ toolCalls: [{ name: 'finish', arguments: { summary } }] });
const editAdd = { toolCalls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: '  return a - b;', replace: '  return a + b;' }] } }] };
type Result = { status: string; summary: string } | undefined;

describe('approvals mean what the user saw', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await endGoal(server);
    server = undefined;
    await restore('src/math.js', MATH);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await configure({ 'approval.edit': undefined, 'approval.execute': undefined });
  });

  it('an answer names the step it was shown for: a stale id approves nothing, and is never taken as feedback', async () => {
    server = await scriptedModel([
      editAdd,
      { toolCalls: [{ name: 'write_file', arguments: { path: 'approved-by-a-stale-answer.txt', content: 'x' } }] },
      finish(),
    ]);
    await configure({ 'approval.edit': 'ask' });
    const stepwise = await api();
    const running = vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Two edits');
    const first = await waitFor('the first edit', () => stepwise.pendingApproval());
    assert.ok(first.approvalId, 'the pending step carries the id answers must name');
    assert.equal(await vscode.commands.executeCommand('stepwise.approveStep', first.approvalId), true);
    const second = await waitFor('the second edit', () => {
      const now = stepwise.pendingApproval();
      return now && now.approvalId !== first.approvalId ? now : undefined;
    });
    assert.equal(second.title, 'Create approved-by-a-stale-answer.txt');
    for (const stale of [first.approvalId, first.toolCallId, { approvalId: first.approvalId }, { toolCallId: first.toolCallId }, 'an-id-never-handed-out']) {
      assert.equal(await vscode.commands.executeCommand('stepwise.approveStep', stale), false, JSON.stringify(stale));
    }
    assert.equal(await vscode.commands.executeCommand('stepwise.rejectStep', first.approvalId), false, 'a stale id is not feedback for the next step');
    assert.equal(await vscode.commands.executeCommand('stepwise.rejectStep', { approvalId: first.approvalId, feedback: 'stale' }), false);
    assert.equal(stepwise.pendingApproval()?.approvalId, second.approvalId, 'the second step still waits');
    assert.equal(await vscode.commands.executeCommand('stepwise.rejectStep', { approvalId: second.approvalId, feedback: 'not this one' }), true);
    assert.equal((await running)?.status, 'finished');
    assert.equal(fs.existsSync(file('approved-by-a-stale-answer.txt')), false);
    assert.match(readDisk('src/math.js'), /return a \+ b;/, 'the first edit, approved by its own id, was applied');
    assert.match(lastToolMessages(server)[1] ?? '', /The user denied this step\. The user said: "not this one"/);
  });

  it('the tool call id names a step too', async () => {
    server = await scriptedModel([editAdd, finish()]);
    await configure({ 'approval.edit': 'ask' });
    const stepwise = await api();
    const running = vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Fix add');
    const step = await waitFor('the edit', () => stepwise.pendingApproval());
    assert.equal(await vscode.commands.executeCommand('stepwise.rejectStep', step.toolCallId, 'use a test first'), true);
    assert.equal((await running)?.status, 'finished');
    assert.match(lastToolMessages(server)[0] ?? '', /The user said: "use a test first"/);
    assert.equal(readDisk('src/math.js'), MATH);
  });
});

describe('after Stop nothing runs, whatever is clicked', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await endGoal(server);
    server = undefined;
    await restore('src/math.js', MATH);
    await configure({ 'approval.edit': undefined });
  });

  it('Stop while an edit waits: the task is cancelled, a later Approve does nothing, the file is unchanged', async () => {
    server = await scriptedModel([editAdd, finish()]);
    await configure({ 'approval.edit': 'ask' });
    const stepwise = await api();
    const running = vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Fix add');
    const step = await waitFor('the edit', () => stepwise.pendingApproval());
    await vscode.commands.executeCommand('stepwise.stop');
    assert.equal(await vscode.commands.executeCommand('stepwise.approveStep', step.approvalId), false);
    assert.equal(await vscode.commands.executeCommand('stepwise.approveStep'), false);
    assert.equal((await running)?.status, 'cancelled');
    assert.equal(readDisk('src/math.js'), MATH);
    assert.equal(server.chatRequests().length, 1, 'nothing more was asked of the model');
  });

  it('a wait that begins after Stop ends at once: nothing hangs, nothing can answer it', async () => {
    const pending = new PendingApprovals();
    const stopped = new AbortController();
    stopped.abort();
    const request: ApprovalRequest = { toolCallId: 'c1', tool: 'run_command', risk: 'execute', title: 'Run: touch x', detail: 'touch x', paths: [] };
    const hang = new Promise((resolve) => setTimeout(() => resolve('hung'), 10_000));
    assert.deepEqual(await Promise.race([pending.waitStep(request, stopped.signal), hang]), { decision: 'deny' });
    assert.equal(await Promise.race([pending.waitPlan([{ title: 'x', status: 'pending' }], stopped.signal).then((d) => d.decision), hang]), 'feedback');
    assert.equal(pending.item(), undefined);
    assert.equal(pending.answer({ decision: 'approve' }), false);
  });

  it('a task asked to run after Stop never starts', async () => {
    const stopped = new AbortController();
    stopped.abort();
    const started: string[] = [];
    const listener = vscode.tasks.onDidStartTask((e) => started.push(e.execution.task.name));
    try {
      const result = await runVsCodeTask('check', { timeoutMs: 30_000, signal: stopped.signal }, { headChars: 1000, tailChars: 1000 });
      assert.equal(result.cancelled, true);
      assert.equal(result.exitCode, null);
    } finally {
      listener.dispose();
    }
    assert.deepEqual(started, []);
  });
});

describe('the sidebar gets every approval', () => {
  let server: ScriptedServer | undefined;
  const names = Array.from({ length: 18 }, (_, i) => `src/big${i}.js`);
  afterEach(async () => {
    await endGoal(server);
    server = undefined;
    for (const name of names) fs.rmSync(file(name), { force: true });
    await restore('src/math.js', MATH);
    await configure({ 'approval.edit': undefined });
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });

  it('after 18 large reads and the panel hidden and shown, the next approval is on the panel', async () => {
    for (const name of names) fs.writeFileSync(file(name), `// ${name}\n${'module.exports.value = "a line that fills the file";\n'.repeat(240)}`);
    server = await scriptedModel([...names.map((path) => ({ toolCalls: [{ name: 'read_file', arguments: { path } }] })), editAdd, finish()]);
    await configure({ 'approval.edit': 'ask' });
    const stepwise = await api();
    await vscode.commands.executeCommand('workbench.view.extension.stepwise');
    const running = vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Read them all, then fix add');
    await waitFor('the reads to be under way', () => server!.chatRequests().length >= 10, 60_000);
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('workbench.view.extension.stepwise');
    const step = await waitFor('the edit approval', () => stepwise.pendingApproval(), 60_000);
    const shown = await waitFor(
      'the panel to show the approval',
      () => stepwise.pendingApproval()?.shownIn.includes('panel') && stepwise.pendingApproval(),
      30_000,
    );
    assert.equal(shown.approvalId, step.approvalId);
    assert.equal(await vscode.commands.executeCommand('stepwise.approveStep', step.approvalId), true);
    assert.equal((await running)?.status, 'finished');
  });
});

describe('a task is asked with everything it will run', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await endGoal(server);
    server = undefined;
    await configure({ 'approval.execute': undefined });
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });

  it('npm pre/post scripts, dependsOn tasks and env are shown; a task whose folder is outside the workspace is refused', async () => {
    server = await scriptedModel([
      { toolCalls: [{ name: 'run_task', arguments: { name: 'test' } }] },
      { toolCalls: [{ name: 'run_task', arguments: { name: 'check all' } }] },
      { toolCalls: [{ name: 'run_task', arguments: { name: 'outside' } }] },
      { toolCalls: [{ name: 'run_task', arguments: { name: 'home' } }] },
      { toolCalls: [{ name: 'run_task', arguments: { name: 'own shell' } }] },
      finish(),
    ]);
    await configure({ 'approval.execute': 'ask' });
    const stepwise = await api();
    await vscode.commands.executeCommand('workbench.view.extension.stepwise'); // approvals on the panel, not in a modal
    const running = vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Run the tasks');
    const npm = await waitFor('the npm task', () => stepwise.pendingApproval());
    assert.match(npm.detail ?? '', /npm script "pretest" \(runs first\): echo before the tests/);
    assert.match(npm.detail ?? '', /npm script "test": node test\/math\.test\.js/);
    assert.match(npm.detail ?? '', /npm script "posttest" \(runs after\): echo after the tests/);
    assert.equal(await vscode.commands.executeCommand('stepwise.rejectStep', { approvalId: npm.approvalId }), true);
    const all = await waitFor('the task with a dependency', () => {
      const now = stepwise.pendingApproval();
      return now && now.approvalId !== npm.approvalId ? now : undefined;
    });
    assert.match(all.detail ?? '', /^task "check all" \(Workspace\): echo all checked$/m);
    assert.match(all.detail ?? '', /with env: CHECK_MODE=strict/);
    assert.match(all.detail ?? '', /runs first: task "check" \(Workspace\): echo checking/);
    assert.equal(await vscode.commands.executeCommand('stepwise.rejectStep', { approvalId: all.approvalId }), true);
    const shell = await waitFor('the task with its own shell', () => {
      const now = stepwise.pendingApproval();
      return now && now.approvalId !== all.approvalId ? now : undefined;
    });
    assert.match(shell.detail ?? '', /^task "own shell" \(Workspace\): echo via my shell\n  with shell: \/bin\/sh -c$/m);
    assert.equal(await vscode.commands.executeCommand('stepwise.rejectStep', { approvalId: shell.approvalId }), true);
    assert.equal((await running)?.status, 'finished');
    const results = lastToolMessages(server);
    assert.match(results[2] ?? '', /outside the workspace; it was not run/);
    assert.match(results[3] ?? '', /outside the workspace; it was not run/, '${userHome} is filled in, then judged');
    assert.equal(fs.existsSync(file('../escaped-by-task.txt')), false);
  });
});

describe("a repository's settings choose neither the model nor the limits", () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await endGoal(server);
    server = undefined;
  });

  it('the workspace sets a model, one step, a 1 s timeout, a 2,048-token window and the text protocol: all ignored', async () => {
    // See test/fixtures/vscode-workspace/.vscode/settings.json: the values are really there.
    const settings = readDisk('.vscode/settings.json');
    assert.match(settings, /"stepwise\.model": "expensive-model"/);
    assert.match(settings, /"stepwise\.maxSteps": 1,/);
    server = await scriptedModel([
      { toolCalls: [{ name: 'read_file', arguments: { path: 'notes.md' } }] },
      { toolCalls: [{ name: 'run_command', arguments: { command: 'sleep 2; echo slept' } }] },
      finish('three steps'),
    ]);
    await configure({ 'approval.execute': 'auto' });
    try {
      const result = await vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Three steps');
      assert.deepEqual({ status: result?.status, summary: result?.summary }, { status: 'finished', summary: 'three steps' });
    } finally {
      await configure({ 'approval.execute': undefined });
    }
    const requests = server.chatRequests();
    assert.ok(
      requests.every((r) => r.body.model === 'scripted-model'),
      "the user's model, not the repository's",
    );
    assert.ok(
      requests.every((r) => Array.isArray(r.body.tools) && r.body.tools.length > 0),
      "native tool calls, not the repository's text protocol",
    );
    assert.match(lastToolMessages(server)[1] ?? '', /Exit code: 0\nslept/, "the command was not cut at the repository's 1 s");
  });
});
