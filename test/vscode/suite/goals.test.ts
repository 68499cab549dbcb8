import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ScriptedServer } from '../../support/scriptedServer';
import { api, configure, file, lastToolMessages, readDisk, restore, scriptedModel, waitFor } from './helpers';

const MATH = fs.readFileSync(file('src/math.js'), 'utf8');
const finish = (summary = 'done') => ({ toolCalls: [{ name: 'finish', arguments: { summary } }] });
const editAdd = { toolCalls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: '  return a - b;', replace: '  return a + b;' }] } }] };

describe('goals in VS Code', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await restore('src/math.js', MATH);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await configure({ 'approval.edit': undefined, 'approval.execute': undefined });
  });

  it('a goal from the command palette edits a file through the editor; one undo restores it', async () => {
    server = await scriptedModel([
      { text: 'Reading first.', toolCalls: [{ name: 'read_file', arguments: { path: 'src/math.js' } }] },
      editAdd,
      finish('Fixed add.'),
    ]);
    await configure({ 'approval.edit': 'auto' });
    const result = await vscode.commands.executeCommand<{ status: string; summary: string }>('stepwise.startGoal', 'Fix add');
    assert.deepEqual({ status: result?.status, summary: result?.summary }, { status: 'finished', summary: 'Fixed add.' });
    assert.match(readDisk('src/math.js'), /return a \+ b;/, 'saved to disk: the file was clean before');

    const document = await vscode.workspace.openTextDocument(file('src/math.js'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.isDirty, false);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), MATH, 'one undo restores the whole edit');
  });

  it("the user's unsaved text elsewhere in a dirty file survives, and the file is not saved by the agent", async () => {
    server = await scriptedModel([editAdd, finish()]);
    await configure({ 'approval.edit': 'auto' });
    const document = await vscode.workspace.openTextDocument(file('src/math.js'));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// my unsaved note\n'));
    assert.equal(document.isDirty, true);

    const result = await vscode.commands.executeCommand<{ status: string }>('stepwise.startGoal', 'Fix add');
    assert.equal(result?.status, 'finished');
    assert.ok(document.getText().startsWith('// my unsaved note\nfunction add(a, b) {\n  return a + b;'), document.getText());
    assert.equal(document.isDirty, true, 'a document dirty before the agent touched it is never saved by it');
    assert.equal(readDisk('src/math.js'), MATH, 'disk unchanged');
  });

  it('an edit computed on text the user has since changed is refused, and the model is told to read again', async () => {
    server = await scriptedModel([editAdd, finish()]);
    await configure({ 'approval.edit': 'ask' });
    const stepwise = await api();
    const running = vscode.commands.executeCommand<{ status: string }>('stepwise.startGoal', 'Fix add');
    const request = await waitFor('the edit approval', () => stepwise.pendingApproval());
    assert.equal(request.title, 'Edit src/math.js');
    assert.match(request.detail ?? '', /-  return a - b;\n\+  return a \+ b;/);
    // The user types while the diff is shown.
    const document = await vscode.workspace.openTextDocument(file('src/math.js'));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), '// typed meanwhile\n');
    await vscode.workspace.applyEdit(edit);
    await vscode.commands.executeCommand('stepwise.approveStep');
    assert.equal((await running)?.status, 'finished');
    assert.match(lastToolMessages(server)[0] ?? '', /changed since it was read/);
    assert.ok(document.getText().includes('return a - b;'), 'the stale edit was not applied');
    assert.ok(document.getText().startsWith('// typed meanwhile'), "the user's text is intact");
  });

  it('workspace-level values of application-scoped settings are ignored: the edit is still asked', async () => {
    // The fixture's .vscode/settings.json sets approval.edit to auto and baseUrl elsewhere.
    server = await scriptedModel([editAdd, finish()]);
    await configure({ 'approval.edit': 'ask' });
    const stepwise = await api();
    const running = vscode.commands.executeCommand<{ status: string }>('stepwise.startGoal', 'Fix add');
    await waitFor('the edit approval', () => stepwise.pendingApproval());
    await vscode.commands.executeCommand('stepwise.rejectStep', 'not now');
    assert.equal((await running)?.status, 'finished');
    assert.equal(server.chatRequests().length, 2, 'the configured (user-level) server was used');
    assert.match(lastToolMessages(server)[0] ?? '', /The user denied this step\. The user said: "not now"/);
    assert.equal(readDisk('src/math.js'), MATH);
  });

  it('a protected path asks even with auto-approve, and a path outside the workspace is refused', async () => {
    const settingsBefore = readDisk('.vscode/settings.json');
    server = await scriptedModel([
      { toolCalls: [{ name: 'write_file', arguments: { path: './src/../.vscode//settings.json', content: '{}' } }] },
      { toolCalls: [{ name: 'write_file', arguments: { path: '../outside-stepwise.txt', content: 'x' } }] },
      finish(),
    ]);
    await configure({ 'approval.edit': 'auto' });
    const stepwise = await api();
    const running = vscode.commands.executeCommand<{ status: string }>('stepwise.startGoal', 'Change settings');
    const request = await waitFor('the protected-path approval', () => stepwise.pendingApproval());
    assert.deepEqual(request.protectedPaths, ['.vscode/settings.json']);
    await vscode.commands.executeCommand('stepwise.rejectStep');
    assert.equal((await running)?.status, 'finished');
    assert.equal(readDisk('.vscode/settings.json'), settingsBefore);
    assert.match(lastToolMessages(server)[1] ?? '', /outside the workspace/);
    assert.equal(fs.existsSync(file('../outside-stepwise.txt')), false);
  });

  it('a file with mixed line endings (as VS Code normalises it on open) can be edited, open or not: nothing is "changed since it was read"', async () => {
    fs.writeFileSync(file('src/mixed.js'), 'one\r\ntwo\nthree\r\nfour\rfive\n');
    fs.writeFileSync(file('src/mixed-open.js'), 'one\r\ntwo\nthree\r\n');
    await vscode.window.showTextDocument(vscode.Uri.file(file('src/mixed-open.js')));
    try {
      server = await scriptedModel([
        { toolCalls: [{ name: 'read_file', arguments: { path: 'src/mixed.js' } }] },
        { toolCalls: [{ name: 'edit_file', arguments: { path: 'src/mixed.js', edits: [{ search: 'two', replace: 'TWO' }] } }] },
        { toolCalls: [{ name: 'edit_file', arguments: { path: 'src/mixed-open.js', edits: [{ search: 'three', replace: 'THREE' }] } }] },
        finish(),
      ]);
      await configure({ 'approval.edit': 'auto' });
      assert.equal((await vscode.commands.executeCommand<{ status: string }>('stepwise.startGoal', 'Edit mixed endings'))?.status, 'finished');
      const results = lastToolMessages(server);
      assert.doesNotMatch(results.join('\n'), /changed since it was read|changed on disk/, results.join('\n'));
      assert.match(readDisk('src/mixed.js'), /TWO/);
      assert.match(readDisk('src/mixed-open.js'), /THREE/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(file('src/mixed.js'), { force: true });
      fs.rmSync(file('src/mixed-open.js'), { force: true });
    }
  });

  it('new files are created through the editor', async () => {
    server = await scriptedModel([
      { toolCalls: [{ name: 'write_file', arguments: { path: 'src/created/util.js', content: 'module.exports = 1;\n' } }] },
      finish(),
    ]);
    await configure({ 'approval.edit': 'auto' });
    assert.equal((await vscode.commands.executeCommand<{ status: string }>('stepwise.startGoal', 'Create'))?.status, 'finished');
    assert.equal(readDisk('src/created/util.js'), 'module.exports = 1;\n');
    fs.rmSync(file('src/created'), { recursive: true });
  });
});
