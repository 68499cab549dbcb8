import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ScriptedServer } from '../../support/scriptedServer';
import { configure, file, lastToolMessages, scriptedModel, waitFor } from './helpers';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pdfDocument } from '../../support/pdf';
import { alive } from '../../support/processes';

const finish = { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] };

describe('tools in VS Code', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await configure({ 'approval.execute': undefined, 'web.allowedHosts': undefined, 'web.allowLocalFetch': undefined });
  });

  it('run_task runs a tasks.json shell task: exit code, output and the problems its matcher found', async () => {
    server = await scriptedModel([{ toolCalls: [{ name: 'run_task', arguments: { name: 'check' } }] }, finish]);
    await configure({ 'approval.execute': 'auto' });
    assert.equal((await vscode.commands.executeCommand<{ status: string }>('stepwise.startGoal', 'Check'))?.status, 'finished');
    const result = lastToolMessages(server)[0] ?? '';
    assert.match(result, /Ran task "check"/);
    assert.match(result, /Exit code: 3/);
    assert.match(result, /checking vscode-ws|checking stepwise-vscode-ws-/);
    assert.match(result, /Problems:\nsrc\/math\.js:2:3 error: subtraction in add/);
  });

  it('run_task runs a package.json script through the npm task provider', async () => {
    server = await scriptedModel([{ toolCalls: [{ name: 'run_task', arguments: { name: 'test' } }] }, finish]);
    await configure({ 'approval.execute': 'auto' });
    await vscode.commands.executeCommand('stepwise.startGoal', 'Test');
    const result = lastToolMessages(server)[0] ?? '';
    assert.match(result, /Exit code: 1/, result);
    assert.match(result, /AssertionError/, result);
  });

  it('get_diagnostics sees a real error from the JSON language service', async () => {
    server = await scriptedModel([{ toolCalls: [{ name: 'get_diagnostics', arguments: { path: 'data.json' } }] }, finish]);
    await vscode.commands.executeCommand('stepwise.startGoal', 'Problems?');
    assert.match(lastToolMessages(server)[0] ?? '', /^data\.json:\d+:\d+ (error|warning): /m);
  });

  it('search uses the ripgrep VS Code ships', async () => {
    server = await scriptedModel([{ toolCalls: [{ name: 'search', arguments: { query: 'function add' } }] }, finish]);
    await vscode.commands.executeCommand('stepwise.startGoal', 'Find add');
    assert.equal(lastToolMessages(server)[0], 'src/math.js:1: function add(a, b) {');
  });

  it('web_fetch reads a PDF as text (pdf.js loaded by the extension from its own file) on an allowed local host', async () => {
    const site = http.createServer((_q, r) => r.writeHead(200, { 'content-type': 'application/pdf' }).end(pdfDocument(['Release notes: 2.0 drops Node 18'])));
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(site.address() as AddressInfo).port}/notes.pdf`;
      server = await scriptedModel([{ toolCalls: [{ name: 'web_fetch', arguments: { url } }] }, finish]);
      await configure({ 'web.allowedHosts': ['127.0.0.1'], 'web.allowLocalFetch': true });
      assert.equal((await vscode.commands.executeCommand<{ status: string }>('stepwise.startGoal', 'Read the notes'))?.status, 'finished');
      assert.match(lastToolMessages(server)[0] ?? '', /--- page 1 of 1 ---\nRelease notes: 2\.0 drops Node 18$/);
    } finally {
      site.closeAllConnections();
      site.close();
    }
  });

  it('Stop during a long command kills it and ends the task as cancelled', async () => {
    const pidFile = file('sleep.pid');
    server = await scriptedModel([{ toolCalls: [{ name: 'run_command', arguments: { command: `sh -c 'echo $$ > ${pidFile}; sleep 120'` } }] }, finish]);
    await configure({ 'approval.execute': 'auto' });
    const running = vscode.commands.executeCommand<{ status: string }>('stepwise.startGoal', 'Wait');
    await waitFor('the command to start', () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim());
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    await vscode.commands.executeCommand('stepwise.stop');
    assert.equal((await running)?.status, 'cancelled');
    await waitFor('the process to be gone', () => !alive(pid), 5000);
    fs.rmSync(pidFile);
  });
});
