import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ScriptedServer } from '../../support/scriptedServer';
import { configure, file, readDisk, restore, scriptedModel } from './helpers';

const MATH = fs.readFileSync(file('src/math.js'), 'utf8');
const finish = { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] };
const editAdd = { toolCalls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: '  return a - b;', replace: '  return a + b;' }] } }] };
const makeFile = { toolCalls: [{ name: 'run_command', arguments: { command: 'echo made > made-by-command.txt' } }] };

type Outcome = { restored: string[]; kept: { path: string }[]; changedOutside: string[] } | undefined;

describe('checkpoints in VS Code', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await restore('src/math.js', MATH);
    fs.rmSync(file('made-by-command.txt'), { force: true });
    await configure({ 'approval.edit': undefined, 'approval.execute': undefined });
  });

  it('restores a task through the editor: an unsaved edit is kept unless included, then one undo brings it back; Undo Restore takes the restore back', async () => {
    server = await scriptedModel([editAdd, makeFile, finish]);
    await configure({ 'approval.edit': 'auto', 'approval.execute': 'auto' });
    const result = await vscode.commands.executeCommand<{ status: string; task?: string }>('stepwise.startGoal', 'Fix add and make a file');
    assert.equal(result?.status, 'finished');
    assert.match(result?.task ?? '', /^\d{8}-\d{6}-[0-9a-f]{4}$/);
    assert.match(readDisk('src/math.js'), /return a \+ b;/);
    assert.equal(readDisk('made-by-command.txt'), 'made\n');

    // The user types into math.js without saving: the restore must not discard it silently.
    const document = await vscode.workspace.openTextDocument(file('src/math.js'));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// my unsaved note\n'));
    const kept = await vscode.commands.executeCommand<Outcome>('stepwise.restoreCheckpoint', { task: result!.task, step: 1, yes: true });
    assert.deepEqual(kept?.restored, ['made-by-command.txt']);
    assert.deepEqual(kept?.changedOutside, ['src/math.js']);
    assert.ok(!fs.existsSync(file('made-by-command.txt')), 'the file the task made is gone');
    assert.ok(document.getText().startsWith('// my unsaved note\n'), 'the unsaved edit is kept');
    assert.equal(document.isDirty, true);

    const included = await vscode.commands.executeCommand<Outcome>('stepwise.restoreCheckpoint', {
      task: result!.task,
      step: 1,
      yes: true,
      includeChanged: true,
    });
    assert.deepEqual(included?.restored, ['src/math.js']);
    assert.equal(document.getText(), MATH);
    assert.equal(readDisk('src/math.js'), MATH);
    assert.equal(document.isDirty, false, 'restored through the editor and saved');
    await vscode.commands.executeCommand('undo');
    assert.ok(document.getText().startsWith('// my unsaved note\n'), "one undo in the editor brings the user's text back");
    await vscode.commands.executeCommand('redo'); // back to the restored text
    assert.equal(document.getText(), MATH);
    await document.save();

    const undone = await vscode.commands.executeCommand<Outcome>('stepwise.undoRestore', { yes: true });
    assert.deepEqual(undone?.restored, ['src/math.js']);
    assert.match(readDisk('src/math.js'), /return a \+ b;/, 'Undo Restore brings back what the file was before the restore');
  });
});
