import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScriptedServer } from '../../support/scriptedServer';
import { api, configure, file, lastToolMessages, readDisk, restore, scriptedModel, waitFor } from './helpers';

const MATH = fs.readFileSync(file('src/math.js'), 'utf8');
const DATA = fs.readFileSync(file('data.json'), 'utf8');
const finish = (summary = 'done') => ({ toolCalls: [{ name: 'finish', arguments: { summary } }] });
const edit = (p: string, edits: { search: string; replace: string }[]) => ({ toolCalls: [{ name: 'edit_file', arguments: { path: p, edits } }] });
const fixAdd = edit('src/math.js', [{ search: '  return a - b;', replace: '  // sum\n  return a + b;' }]);

type Result = { status: string; summary: string; task?: string } | undefined;

/** A change in two places (two hunks), and a request on both functions that gets it. */
const fixBoth = edit('src/math.js', [
  { search: '  return a - b;', replace: '  return a + b;' },
  { search: '  return a * b;', replace: '  return a ** b;' },
]);
async function requestOnBoth(): Promise<{ editor: vscode.TextEditor; running: Thenable<Result> }> {
  const editor = await openMath(new vscode.Range(0, 0, 6, 1));
  return { editor, running: vscode.commands.executeCommand<Result>('stepwise.editSelection', { request: 'fix both', confirm: false }) };
}

async function openMath(select: vscode.Range = new vscode.Range(0, 0, 2, 1)): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(file('src/math.js'));
  const editor = await vscode.window.showTextDocument(document);
  editor.selection = new vscode.Selection(select.start, select.end);
  return editor;
}

async function reviewLenses(document: vscode.TextDocument): Promise<vscode.Command[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? [];
    const ours = all.map((l) => l.command).filter((c): c is vscode.Command => !!c && c.command.startsWith('stepwise.'));
    if (ours.length) return ours;
    if (Date.now() > deadline) throw new Error('timed out waiting for the review lenses');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitForAsync(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function run(command: vscode.Command | undefined): Promise<unknown> {
  assert.ok(command, 'the lens is there');
  return vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
}

function firstUserMessage(server: ScriptedServer): string {
  const messages = server.chatRequests()[0]?.body?.messages ?? [];
  return messages.find((m: any) => m.role === 'user')?.content ?? '';
}

describe('inline code-task requests', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await vscode.commands.executeCommand('stepwise.stop');
    await server?.close();
    server = undefined;
    await restore('src/math.js', MATH);
    await restore('data.json', DATA);
    await vscode.commands.executeCommand('workbench.action.closeAllGroups');
    await configure({ 'approval.edit': undefined });
  });

  it('a selection and a request: the change is shown in place, nothing is written until Accept; one undo restores', async () => {
    server = await scriptedModel([fixAdd, finish('add adds')]);
    const editor = await openMath();
    const running = vscode.commands.executeCommand<Result>('stepwise.editSelection', { request: 'make add add', confirm: false });

    const commands = await reviewLenses(editor.document);
    assert.deepEqual(
      commands.map((c) => c.title),
      ['$(check) Accept', '$(discard) Reject', '$(diff) Diff'],
    );
    assert.equal(editor.document.getText(), MATH, 'nothing is written while the change is under review');
    const goal = firstUserMessage(server);
    assert.match(goal, /^make add add\n/);
    assert.match(goal, /the selection in src\/math\.js \(lines 1-3\)/);
    assert.match(goal, /```javascript\nfunction add\(a, b\) \{\n  return a - b;\n\}\n```/);

    await run(commands[0]);
    const result = await running;
    assert.deepEqual({ status: result?.status, summary: result?.summary }, { status: 'finished', summary: 'add adds' });
    assert.match(result?.task ?? '', /^\d{8}-\d{6}-[0-9a-f]{4}$/, 'the accepted inline change has a checkpoint task');
    assert.equal(editor.document.getText(), MATH.replace('  return a - b;', '  // sum\n  return a + b;'));
    assert.equal(readDisk('src/math.js'), editor.document.getText(), 'a clean file is saved after the accepted edit');
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), MATH, 'one undo restores the file');
  });

  it('Reject leaves the file byte-identical and tells the model', async () => {
    server = await scriptedModel([fixAdd, finish('left as is')]);
    const editor = await openMath();
    const running = vscode.commands.executeCommand<Result>('stepwise.editSelection', { request: 'make add add', confirm: false });
    const commands = await reviewLenses(editor.document);
    await run(commands.find((c) => c.title.includes('Reject')));
    assert.equal((await running)?.status, 'finished');
    assert.equal(editor.document.getText(), MATH);
    assert.equal(editor.document.isDirty, false);
    assert.equal(readDisk('src/math.js'), MATH);
    assert.match(lastToolMessages(server)[0] ?? '', /denied this step\. The user said: "I rejected this change\."/);
  });

  it('several hunks: accept one, reject the other — only the accepted one is written, and the model hears which', async () => {
    server = await scriptedModel([fixBoth, finish()]);
    const { editor, running } = await requestOnBoth();
    const commands = await reviewLenses(editor.document);
    assert.deepEqual(
      commands.map((c) => c.title),
      ['$(check) Accept (1/2)', '$(discard) Reject', 'Accept All (2)', 'Reject All', '$(diff) Diff', '$(check) Accept (2/2)', '$(discard) Reject'],
    );
    await run(commands[0]);
    const left = await reviewLenses(editor.document);
    assert.deepEqual(
      left.map((c) => c.title),
      ['$(check) Accept (2/2)', '$(discard) Reject', '$(diff) Diff'],
    );
    await run(left[1]);
    assert.equal((await running)?.status, 'finished');
    assert.equal(editor.document.getText(), MATH.replace('return a - b;', 'return a + b;'));
    assert.match(lastToolMessages(server)[0] ?? '', /accepted only part of this change/);
  });

  it('a change too large for its review box also opens the diff editor; Accept (editor title) takes all of it, and the diff closes', async () => {
    const big = Array.from({ length: 250 }, (_, i) => `const line${i} = ${i};`).join('\n') + '\n';
    server = await scriptedModel([{ toolCalls: [{ name: 'write_file', arguments: { path: 'src/math.js', content: big } }] }, finish()]);
    const editor = await openMath();
    const running = vscode.commands.executeCommand<Result>('stepwise.editSelection', { request: 'rewrite', confirm: false });
    await reviewLenses(editor.document);
    const diffTab = () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'stepwise-proposed');
    await waitFor('the diff editor', () => diffTab());
    assert.equal(editor.document.getText(), MATH);
    // The editor-title button passes the editor's resource: it means "all".
    await vscode.commands.executeCommand('stepwise.acceptChange', editor.document.uri);
    assert.equal((await running)?.status, 'finished');
    assert.equal(editor.document.getText(), big);
    await waitFor('the diff editor to close', () => !diffTab());
  });

  it('a hunk rejected in place stays rejected when the step is then approved elsewhere (sidebar, Approve Pending Step)', async () => {
    server = await scriptedModel([fixBoth, finish()]);
    const { editor, running } = await requestOnBoth();
    const commands = await reviewLenses(editor.document);
    await run(commands.find((c) => c.title === '$(discard) Reject'));
    await vscode.commands.executeCommand('stepwise.approveStep');
    assert.equal((await running)?.status, 'finished');
    assert.equal(editor.document.getText(), MATH.replace('return a * b;', 'return a ** b;'), 'only the hunk not rejected was written');
  });

  it('with edits on auto, another file is edited by policy, but a protected path is still asked', async () => {
    server = await scriptedModel([
      edit('notes.md', [{ search: 'Notes', replace: 'NOTES' }]),
      { toolCalls: [{ name: 'write_file', arguments: { path: '.vscode/extra.json', content: '{}\n' } }] },
      finish(),
    ]);
    await configure({ 'approval.edit': 'auto' });
    const notes = readDisk('notes.md');
    await openMath();
    const stepwise = await api();
    const running = vscode.commands.executeCommand<Result>('stepwise.editSelection', { request: 'touch notes', confirm: false });
    const request = await waitFor('the protected-path approval', () => stepwise.pendingApproval());
    assert.equal(request.title, 'Create .vscode/extra.json');
    assert.match(readDisk('notes.md'), /^# NOTES/, "the other file was edited under the user's auto policy");
    await vscode.commands.executeCommand('stepwise.rejectStep');
    assert.equal((await running)?.status, 'finished');
    assert.ok(!fs.existsSync(file('.vscode/extra.json')));
    await restore('notes.md', notes);
  });

  it('a quick fix on a JSON problem pre-fills the request with the message; the fix is reviewed and applied', async () => {
    server = await scriptedModel([edit('data.json', [{ search: '"items": [1, 2, 3,]', replace: '"items": [1, 2, 3],' }]), finish('fixed')]);
    const document = await vscode.workspace.openTextDocument(file('data.json'));
    await vscode.window.showTextDocument(document);
    const diagnostic = await waitFor('a JSON problem', () => vscode.languages.getDiagnostics(document.uri)[0]);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.title.startsWith('Fix with Stepwise'));
    assert.ok(fix?.command, `a Stepwise quick fix among: ${actions.map((a) => a.title).join(', ')}`);

    const running = run(fix.command) as Thenable<Result>;
    // The input box opens pre-filled; the user presses Enter.
    await new Promise((r) => setTimeout(r, 500));
    await waitFor('the request to reach the model', () => {
      void vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return server!.chatRequests().length > 0;
    });
    const goal = firstUserMessage(server);
    assert.ok(goal.startsWith(`Fix this problem: ${diagnostic.message}`), goal);
    assert.match(goal, /Problems reported in this range:\n- line \d+ error/);
    await run((await reviewLenses(document))[0]);
    assert.equal((await running)?.status, 'finished');
    assert.match(document.getText(), /"items": \[1, 2, 3\],/);
  });

  it('Stop while the change is under review: the file is untouched and the review is gone', async () => {
    server = await scriptedModel([fixAdd, finish()]);
    const editor = await openMath();
    const running = vscode.commands.executeCommand<Result>('stepwise.editSelection', { request: 'make add add', confirm: false });
    await reviewLenses(editor.document);
    await vscode.commands.executeCommand('stepwise.stop');
    assert.equal((await running)?.status, 'cancelled');
    assert.equal(editor.document.getText(), MATH);
    assert.equal(editor.document.isDirty, false);
    const left = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri)) ?? [];
    assert.equal(left.filter((l) => l.command?.command.startsWith('stepwise.')).length, 0);
  });

  it('Stop while the model is still thinking cancels the run', async () => {
    server = await scriptedModel([{ ...fixAdd, delayMs: 30_000 }]);
    const editor = await openMath();
    const running = vscode.commands.executeCommand<Result>('stepwise.editSelection', { request: 'make add add', confirm: false });
    await waitFor('the model request', () => server!.chatRequests().length > 0);
    await vscode.commands.executeCommand('stepwise.stop');
    assert.equal((await running)?.status, 'cancelled');
    assert.equal(editor.document.getText(), MATH);
  });

  it('the keys decide the change at the cursor and move on to the next (off a change they only move there): Reject (Alt+N) the second, Accept (Alt+Y) the first', async () => {
    server = await scriptedModel([fixBoth, finish()]);
    const { editor, running } = await requestOnBoth();
    await reviewLenses(editor.document);
    editor.selection = new vscode.Selection(3, 0, 3, 0); // on the blank line between the functions: no change there
    assert.equal(await vscode.commands.executeCommand('stepwise.rejectHunk'), false, 'nothing decided off a change');
    await waitFor('the cursor on the next change', () => editor.selection.active.line === 5);
    assert.equal((await reviewLenses(editor.document)).length, 7, 'both changes still open');
    assert.equal(await vscode.commands.executeCommand('stepwise.rejectHunk'), true);
    assert.equal(editor.selection.active.line, 1, 'the cursor moved to the change still open');
    assert.deepEqual(
      (await reviewLenses(editor.document)).map((c) => c.title),
      ['$(check) Accept (1/2)', '$(discard) Reject', '$(diff) Diff'],
    );
    assert.equal(editor.document.getText(), MATH, 'nothing written while a change is open');
    assert.equal(await vscode.commands.executeCommand('stepwise.acceptHunk'), true);
    assert.equal((await running)?.status, 'finished');
    assert.equal(editor.document.getText(), MATH.replace('return a - b;', 'return a + b;'));
    assert.equal(await vscode.commands.executeCommand('stepwise.acceptHunk'), false, 'no review open: the key does nothing');
  });

  it('closing the file, or switching to another and back, keeps the review: reopened, its lenses are there and Accept applies to the right text', async () => {
    server = await scriptedModel([fixAdd, finish()]);
    const editor = await openMath();
    const running = vscode.commands.executeCommand<Result>('stepwise.editSelection', { request: 'make add add', confirm: false });
    await reviewLenses(editor.document);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file('notes.md')));
    await vscode.commands.executeCommand('workbench.action.closeAllGroups');
    const reopened = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file('src/math.js')));
    const commands = await reviewLenses(reopened.document);
    assert.equal(readDisk('src/math.js'), MATH, 'nothing written while the file was closed');
    await run(commands.find((c) => c.title.includes('Accept')));
    assert.equal((await running)?.status, 'finished');
    assert.equal(reopened.document.getText(), MATH.replace('  return a - b;', '  // sum\n  return a + b;'));
  });

  it('the user types in the file during the review: their text survives, the stale proposal is withdrawn and redone on fresh text', async () => {
    server = await scriptedModel([fixAdd, { toolCalls: [{ name: 'read_file', arguments: { path: 'src/math.js' } }] }, fixAdd, finish('done on fresh text')]);
    const editor = await openMath();
    const running = vscode.commands.executeCommand<Result>('stepwise.editSelection', { request: 'make add add', confirm: false });
    await reviewLenses(editor.document);
    await editor.edit((b) => b.insert(new vscode.Position(4, 0), '// typed by the user\n'));
    await waitFor('the model to hear of it', () => server!.chatRequests().length >= 2);
    assert.match(lastToolMessages(server)[0] ?? '', /while your change waited for review, so it was not applied\. Read the file again/);

    const commands = await reviewLenses(editor.document);
    await run(commands[0]);
    assert.equal((await running)?.status, 'finished');
    assert.equal(
      editor.document.getText(),
      MATH.replace('  return a - b;', '  // sum\n  return a + b;').replace('function multiply', '// typed by the user\nfunction multiply'),
    );
  });

  it('an edit to another file goes through the normal approval, never silently', async () => {
    server = await scriptedModel([edit('notes.md', [{ search: 'Notes', replace: 'NOTES' }]), finish()]);
    await configure({ 'approval.edit': 'ask' });
    const notes = readDisk('notes.md');
    const editor = await openMath();
    const stepwise = await api();
    const running = vscode.commands.executeCommand<Result>('stepwise.editSelection', { request: 'also touch notes', confirm: false });
    const request = await waitFor('the normal approval', () => stepwise.pendingApproval());
    assert.equal(request.title, 'Edit notes.md');
    const inlineLenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri)) ?? [];
    assert.equal(inlineLenses.filter((l) => l.command?.command.startsWith('stepwise.')).length, 0, 'not reviewed as part of the selection');
    await vscode.commands.executeCommand('stepwise.rejectStep');
    assert.equal((await running)?.status, 'finished');
    assert.equal(readDisk('notes.md'), notes);
  });

  it('no selection: the current line is used and the request says so', async () => {
    server = await scriptedModel([finish('nothing to do')]);
    const document = await vscode.workspace.openTextDocument(file('notes.md'));
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(2, 4, 2, 4);
    const result = await vscode.commands.executeCommand<Result>('stepwise.editSelection', { request: 'reword', confirm: false });
    assert.equal(result?.status, 'finished');
    assert.match(firstUserMessage(server), /This is about line 3 in notes\.md \(line 3\):\n```markdown\nThe first line of notes\.\n```/);
  });

  it("no selection inside a function: the enclosing function is used (from the language's symbols)", async () => {
    server = await scriptedModel([finish('nothing to do')]);
    const editor = await openMath(new vscode.Range(5, 4, 5, 4));
    // The JavaScript language server starts on first use; the request itself waits at most 1.5 s for it.
    await waitForAsync(
      'JavaScript symbols',
      async () => ((await vscode.commands.executeCommand<unknown[]>('vscode.executeDocumentSymbolProvider', editor.document.uri)) ?? []).length > 0,
      60_000,
    );
    const result = await vscode.commands.executeCommand<Result>('stepwise.editSelection', { request: 'explain', confirm: false });
    assert.equal(result?.status, 'finished');
    assert.match(firstUserMessage(server), /This is about function multiply in src\/math\.js \(lines 5-7\):/);
  });

  it('bad targets get a clear refusal and nothing runs: untitled, outside the workspace, read-only', async () => {
    server = await scriptedModel([finish()]);
    const untitled = await vscode.workspace.openTextDocument({ content: 'x = 1\n', language: 'python' });
    await vscode.window.showTextDocument(untitled);
    let result = await vscode.commands.executeCommand<Result>('stepwise.editSelection', { request: 'r', confirm: false });
    assert.equal(result?.status, 'refused');
    assert.match(result!.summary, /not saved yet\. Save it in your workspace folder/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-outside-')), 'o.js');
    fs.writeFileSync(outside, 'let o = 1;\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(outside));
    result = await vscode.commands.executeCommand<Result>('stepwise.editSelection', { request: 'r', confirm: false });
    assert.equal(result?.status, 'refused');
    assert.match(result!.summary, /is outside the workspace/);

    const locked = file('src/locked.js');
    fs.writeFileSync(locked, 'const locked = 1;\n');
    fs.chmodSync(locked, 0o444);
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(locked));
      result = await vscode.commands.executeCommand<Result>('stepwise.editSelection', { request: 'r', confirm: false });
      // root can write anyway; the permission bits still say read-only.
      assert.equal(result?.status, 'refused');
      assert.match(result!.summary, /src\/locked\.js is read-only/);
    } finally {
      fs.rmSync(locked, { force: true });
    }
    result = await vscode.commands.executeCommand<Result>('stepwise.editSelection', { request: 42 });
    assert.equal(result?.status, 'refused');
    assert.match(result!.summary, /arguments it does not understand/);
    assert.equal(server.chatRequests().length, 0, 'the model was never asked');
  });
});
