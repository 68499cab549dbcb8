/**
 * A fresh VS Code: nothing set up. A goal looks for a model by itself (the local servers' usual
 * ports, VS Code's language models), says what is missing in VS Code's words (never a command-line
 * flag), and treats VS Code's models as not available once the user refused Stepwise access.
 * These tests take the local servers' ports (1234 for LM Studio) for themselves.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startScriptedServer, type ScriptedServer } from '../../support/scriptedServer';
import { configure, endGoal, eventually } from './helpers';
import { type TestProvider, testProvider } from './lmProvider';
import { portTaken } from '../../support/ports';

type Result = { status: string; summary: string } | undefined;
type Report = { canRun: boolean; lines: { status: string; what: string; detail: string; next?: string }[] };
const PORTS = [11434, 1234, 8080, 8000];
const finish = { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] };

async function lmOffered(provider: TestProvider, offered: boolean): Promise<void> {
  provider.setAvailable(offered);
  await eventually(
    `VS Code's models to be ${offered ? 'offered' : 'gone'}`,
    async () => (await vscode.lm.selectChatModels({ vendor: provider.vendor })).length > 0 === offered,
  );
}

describe('a fresh VS Code finds its model', () => {
  let provider: TestProvider;
  let server: ScriptedServer | undefined;
  before(async function () {
    const busy = [];
    for (const port of PORTS) if (await portTaken(port)) busy.push(port);
    if (busy.length) this.skip(); // ports in use on this machine: the looking cannot be tested here
    provider = await testProvider();
    await configure({ baseUrl: undefined, provider: undefined, model: undefined, planFirst: false });
  });
  afterEach(async () => {
    await endGoal(server);
    server = undefined;
  });
  after(async () => {
    await lmOffered(provider, true);
    provider.reset();
  });

  it('nothing set up and nothing running: the goal says what to do in VS Code, and Check Setup says why', async () => {
    await lmOffered(provider, false);
    const result = await vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Anything');
    assert.equal(result?.status, 'failed');
    assert.match(result!.summary, /No model found: no local server answers \(looked for Ollama on 127\.0\.0\.1:11434, LM Studio on 127\.0\.0\.1:1234/);
    assert.match(result!.summary, /Set one up in the Stepwise sidebar: VS Code's language models, a local server/);
    assert.doesNotMatch(result!.summary, /--[a-z]|OPENAI_API_KEY/, 'no command-line flag or variable in VS Code');
    const report = await vscode.commands.executeCommand<Report>('stepwise.checkSetup');
    assert.equal(report?.canRun, false);
    const server_ = report!.lines.find((l) => l.what === 'server');
    assert.equal(server_?.status, 'fail');
    assert.doesNotMatch(server_?.next ?? '', /--[a-z]/);
    assert.ok(report!.lines.some((l) => l.what === "VS Code's language models" && /none offered/.test(l.detail)));
  });

  it("a server only on LM Studio's port is found and used without the key; the next goal uses it again", async () => {
    server = await startScriptedServer([finish, finish], { port: 1234, models: ['nomic-embed-text', 'qwen-local'] });
    const first = await vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Say done');
    assert.equal(first?.status, 'finished', first?.summary);
    assert.equal(server.chatRequests()[0]?.body.model, 'qwen-local');
    for (const r of server.requests) assert.ok(!r.headers.authorization || r.headers.authorization === 'Bearer no-key', 'no key goes to a found server');
    const again = await vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Say done again');
    assert.equal(again?.status, 'finished');
    assert.equal(server.chatRequests().length, 2);
    const report = await vscode.commands.executeCommand<Report>('stepwise.checkSetup');
    assert.match(
      report!.lines.find((l) => l.what === 'server')?.detail ?? '',
      /LM Studio at http:\/\/127\.0\.0\.1:1234\/v1 \(used last time, still answering\)/,
    );
  });

  it("VS Code's language models, found alone, are used; once the user refuses access they count as not available, with the reason", async () => {
    await lmOffered(provider, true);
    provider.setScript([
      [{ lmError: 'NoPermissions', message: 'The user did not grant access' }],
      [{ lmError: 'NoPermissions', message: 'The user did not grant access' }],
    ]);
    const refused = await vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Anything');
    assert.equal(refused?.status, 'failed');
    assert.match(refused!.summary, /did not allow Stepwise to use "Stepwise Test Model"/);
    const next = await vscode.commands.executeCommand<Result>('stepwise.startGoal', 'Anything');
    assert.equal(next?.status, 'failed');
    assert.match(next!.summary, /you did not allow Stepwise to use them/);
    const report = await vscode.commands.executeCommand<Report>('stepwise.checkSetup');
    const lm = report!.lines.find((l) => l.what === "VS Code's language models");
    assert.match(lm?.detail ?? '', /offered \(Stepwise Test Model \(stepwise-test\)\) but not available: you did not allow Stepwise/);
  });
});
