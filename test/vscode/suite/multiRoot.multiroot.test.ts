/**
 * A workspace of three folders (test/fixtures/multi-root): app (first, with its own docs/), docs and
 * lib. Every result says which folder a path is in, a path that could be in two folders is refused
 * naming both, each folder's protected paths always ask, and checkpoints cover the first folder.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScriptedServer } from '../../support/scriptedServer';
import { api, configure, endGoal, lastToolMessages, scriptedModel, waitFor } from './helpers';

type Result = { status: string; task?: string } | undefined;
type Outcome = { restored: string[] } | undefined;

const finish = { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] };
const call = (name: string, args: Record<string, unknown>) => ({ toolCalls: [{ name, arguments: args }] });

function folder(name: string): string {
  const found = vscode.workspace.workspaceFolders?.find((f) => f.name === name);
  if (!found) throw new Error(`the multi-root tests need a folder named ${name}`);
  return fs.realpathSync(found.uri.fsPath);
}
const disk = (name: string, rel: string) => fs.readFileSync(path.join(folder(name), rel), 'utf8');

describe('a multi-root workspace', () => {
  let server: ScriptedServer | undefined;
  const originals = new Map<string, string>();
  before(() => {
    assert.deepEqual(
      vscode.workspace.workspaceFolders?.map((f) => f.name),
      ['app', 'docs', 'lib'],
    );
    for (const [name, rel] of [
      ['app', 'src/main.js'],
      ['app', 'docs/guide.md'],
      ['docs', 'guide.md'],
      ['lib', 'index.js'],
    ] as const)
      originals.set(`${name}/${rel}`, disk(name, rel));
  });
  afterEach(async () => {
    await endGoal(server);
    server = undefined;
    for (const [key, text] of originals) fs.writeFileSync(path.join(folder(key.split('/')[0]!), key.split('/').slice(1).join('/')), text);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await configure({ 'approval.edit': undefined, 'approval.execute': undefined });
  });

  it('lists and search results say which folder each path is in', async () => {
    server = await scriptedModel([call('search', { query: 'needle' }), call('list_files', { path: 'lib' }), finish]);
    assert.equal((await vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Find the needles'))?.status, 'finished');
    const [found, listed] = lastToolMessages(server);
    assert.match(found ?? '', /^app\/docs\/guide\.md:1: App guide/m);
    assert.match(found ?? '', /^app\/src\/main\.js:1: /m);
    assert.match(found ?? '', /^lib\/index\.js:1: /m);
    // docs is also a folder inside app: its own files are shown by absolute path, which cannot be misread.
    assert.ok((found ?? '').includes(`${path.join(folder('docs'), 'guide.md')}:1: Docs guide`), found);
    assert.match(listed ?? '', /^lib\/index\.js$/m);
    const system = server.chatRequests()[0]?.body.messages[0]?.content ?? '';
    assert.match(system, /several folders: app, docs, lib\. Paths start with the folder's name/);
  });

  it("a path that could be in two folders is refused naming both; a folder's name or an absolute path edits the one meant", async () => {
    const edit = (p: string, search: string, replace: string) => call('edit_file', { path: p, edits: [{ search, replace }] });
    server = await scriptedModel([
      call('read_file', { path: 'docs/guide.md' }),
      edit('app/docs/guide.md', 'App guide', 'App guide (edited)'),
      edit(path.join(folder('docs'), 'guide.md'), 'Docs guide', 'Docs guide (edited)'),
      edit('lib/index.js', '"needle"', '"thread"'),
      edit('src/main.js', '"needle"', '"pin"'),
      finish,
    ]);
    await configure({ 'approval.edit': 'auto' });
    assert.equal((await vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Edit in every folder'))?.status, 'finished');
    const [refused] = lastToolMessages(server);
    assert.match(refused ?? '', /"docs\/guide\.md" is ambiguous/);
    assert.ok(refused?.includes('"app/docs/guide.md"') && refused.includes(path.join(folder('docs'), 'guide.md')), refused);
    assert.match(disk('app', 'docs/guide.md'), /App guide \(edited\)/);
    assert.match(disk('docs', 'guide.md'), /Docs guide \(edited\)/);
    assert.match(disk('lib', 'index.js'), /"thread"/);
    assert.match(disk('app', 'src/main.js'), /"pin"/, 'a path without a folder name is in the first folder');
  });

  it("each folder's protected paths always ask, even with edits auto-approved", async () => {
    server = await scriptedModel([call('write_file', { path: 'lib/.vscode/settings.json', content: '{}\n' }), finish]);
    await configure({ 'approval.edit': 'auto' });
    const stepwise = await api();
    const running = vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Change lib settings');
    const pending = await waitFor('the protected write to ask', () => stepwise.pendingApproval());
    assert.deepEqual(pending.protectedPaths, ['lib/.vscode/settings.json']);
    assert.equal(await vscode.commands.executeCommand('stepwise.rejectStep', { approvalId: pending.approvalId, feedback: 'no' }), true);
    assert.equal((await running)?.status, 'finished');
    assert.match(disk('lib', '.vscode/settings.json'), /tabSize/);
  });

  it('checkpoints record the first folder and name the others; a restore puts back the first folder only', async () => {
    server = await scriptedModel([
      call('edit_file', { path: 'app/src/main.js', edits: [{ search: '"needle"', replace: '"changed"' }] }),
      call('edit_file', { path: 'lib/index.js', edits: [{ search: '"needle"', replace: '"changed"' }] }),
      finish,
    ]);
    await configure({ 'approval.edit': 'auto' });
    const result = await vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Change both');
    assert.equal(result?.status, 'finished');
    const restored = await vscode.commands.executeCommand<Outcome>('stepwise.restoreCheckpoint', { task: result!.task, step: 1, yes: true });
    assert.deepEqual(restored?.restored, ['src/main.js']);
    assert.equal(disk('app', 'src/main.js'), originals.get('app/src/main.js'));
    assert.match(disk('lib', 'index.js'), /"changed"/, 'another folder is not covered by checkpoints');
  });
});
