import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startScriptedServer, type Script } from '../support/scriptedServer';
import { runScripted, toolMessages } from '../support/agent';
import { makeWorkspace, read, removeWorkspace, snapshot } from '../support/workspace';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});
async function setup(script: Script, files: Record<string, string> = { 'a.txt': 'alpha\n' }) {
  const server = await startScriptedServer(script);
  const root = makeWorkspace(files);
  cleanups.push(
    () => server.close(),
    () => removeWorkspace(root),
  );
  return { server, root };
}
const finish = { toolCalls: [{ name: 'finish', arguments: { summary: 'all done' } }] };

describe('agent loop', () => {
  test('plan → read → edit → finish: the file changes and the events tell the story', async () => {
    const { server, root } = await setup([
      { text: 'I will change alpha.', toolCalls: [{ name: 'update_plan', arguments: { steps: [{ title: 'Edit a.txt', status: 'in_progress' }] } }] },
      { toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] },
      { toolCalls: [{ name: 'edit_file', arguments: { path: 'a.txt', edits: [{ search: 'alpha', replace: 'beta' }] } }] },
      finish,
    ]);
    const run = await runScripted('Change alpha to beta', { url: server.url, root });
    assert.equal(run.status, 'finished');
    assert.equal(run.summary, 'all done');
    assert.equal(read(root, 'a.txt'), 'beta\n');
    assert.deepEqual(
      run.events.filter((e) => e.type === 'plan'),
      [{ type: 'plan', steps: [{ title: 'Edit a.txt', status: 'in_progress' }] }],
    );
    assert.ok(run.events.some((e) => e.type === 'message' && e.text === 'I will change alpha.'));
    const requests = server.chatRequests();
    assert.equal(requests.length, 4);
    assert.equal(requests[0]?.body.messages[0].role, 'system');
    assert.equal(requests[0]?.body.messages[1].content, 'Change alpha to beta');
    assert.match(toolMessages(requests[2]?.body)[1] ?? '', /^a\.txt \(1 lines\)\nalpha$/);
  });

  for (const [what, args, expected] of [
    ['arguments that are not JSON', 'path: a.txt', /not valid JSON/],
    ['truncated JSON', '{"path": "a.t', /not valid JSON/],
    ['a missing field', '{}', /path: expected string/],
    ['a wrongly typed field', '{"path": "a.txt", "content": 42}', /content: expected string, received number/],
  ] as const) {
    test(`${what}: the model is told what to fix, nothing runs, the loop goes on`, async () => {
      const { server, root } = await setup([{ toolCalls: [{ name: 'write_file', arguments: args }] }, finish]);
      const before = snapshot(root);
      const run = await runScripted('Write a file', { url: server.url, root });
      assert.equal(run.status, 'finished');
      const error = toolMessages(server.chatRequests()[1]?.body)[0] ?? '';
      assert.match(error, expected);
      assert.deepEqual(snapshot(root), before);
      assert.ok(run.events.some((e) => e.type === 'tool_result' && !e.ok));
    });
  }

  test('an answer cut at its bound: its calls never run, the model is told how to split the work, in one more request', async () => {
    const cut = { text: 'Writing the whole file.', toolCalls: [{ name: 'write_file', arguments: { path: 'big.txt', content: 'x' } }], finishReason: 'length' };
    const { server, root } = await setup([cut, finish]);
    const run = await runScripted('Write a big file', { url: server.url, root, contextTokens: 8192 });
    assert.equal(run.status, 'finished');
    assert.deepEqual(Object.keys(snapshot(root)), ['a.txt'], 'the write in the cut answer never ran');
    const requests = server.chatRequests();
    assert.equal(requests.length, 2, 'one more request');
    assert.ok(
      requests.every((r) => r.body.max_tokens === 2048),
      'every request carries the answer bound (the reserved room: a quarter of an 8k window)',
    );
    const second = requests[1]!.body.messages as { role: string; content: string }[];
    assert.deepEqual(
      second.slice(-2).map((m) => m.role),
      ['assistant', 'user'],
    );
    assert.equal(second.at(-2)!.content, 'Writing the whole file.');
    assert.match(second.at(-1)!.content, /cut off at the output limit \(2048 tokens\), so none of its tool calls ran\. Split the work/);
  });

  test('answers cut again and again end the task with a clear message', async () => {
    const cut = { text: 'Again.', finishReason: 'length' };
    const { server, root } = await setup(() => cut);
    const run = await runScripted('Loop', { url: server.url, root });
    assert.equal(run.status, 'failed');
    assert.match(run.summary, /cut off at the output limit \(4096 tokens\) 3 times in a row/);
    assert.equal(server.chatRequests().length, 3);
  });

  test('an unknown tool name gets the list of tools', async () => {
    const { server, root } = await setup([{ toolCalls: [{ name: 'delete_everything', arguments: {} }] }, finish]);
    const run = await runScripted('x', { url: server.url, root });
    assert.equal(run.status, 'finished');
    assert.match(toolMessages(server.chatRequests()[1]?.body)[0] ?? '', /There is no tool named "delete_everything"\. Available tools: update_plan, read_file/);
  });

  test('a model that calls the same tool forever stops at the step limit', async () => {
    const { server, root } = await setup(() => ({ toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] }));
    const run = await runScripted('loop', { url: server.url, root, maxSteps: 6 });
    assert.equal(run.status, 'max_steps');
    assert.equal(server.chatRequests().length, 6);
    const last = toolMessages(server.chatRequests()[5]?.body);
    assert.match(last.at(-1) ?? '', /this exact read_file call \d+ times in a row; it was not run again/);
    const done = run.events.at(-1);
    assert.equal(done?.type, 'done');
    assert.deepEqual(
      { status: (done as any).status, summary: (done as any).summary },
      { status: 'max_steps', summary: 'Stopped after 6 steps without finishing.' },
    );
    assert.ok((done as any).usage.promptTokens > 0, "the task's usage comes with the end");
  });

  test('a model that only talks gets one nudge, then the task ends', async () => {
    const { server, root } = await setup(() => ({ text: 'I think you should edit the file yourself.' }));
    const run = await runScripted('talk', { url: server.url, root });
    assert.equal(run.status, 'failed');
    assert.equal(server.chatRequests().length, 2);
    const nudge = server.chatRequests()[1]?.body.messages.at(-1);
    assert.equal(nudge.role, 'user');
    assert.match(nudge.content, /call finish/);
  });

  test('a denied step is reported to the model with the feedback, and the model adapts', async () => {
    const { server, root } = await setup([{ toolCalls: [{ name: 'run_command', arguments: { command: 'rm -rf /tmp/whatever' } }] }, finish]);
    const run = await runScripted('clean', { url: server.url, root, approver: async () => ({ decision: 'deny', feedback: 'do not delete anything' }) });
    assert.equal(run.status, 'finished');
    assert.match(toolMessages(server.chatRequests()[1]?.body)[0] ?? '', /The user denied this step\. The user said: "do not delete anything"/);
  });

  test('cancelling during a long command ends the task as cancelled', async () => {
    const { server, root } = await setup([{ toolCalls: [{ name: 'run_command', arguments: { command: 'sleep 30' } }] }, finish]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const started = Date.now();
    const run = await runScripted('wait', { url: server.url, root, policy: { read: 'auto', edit: 'auto', execute: 'auto' }, signal: controller.signal });
    assert.equal(run.status, 'cancelled');
    assert.ok(Date.now() - started < 10_000);
  });

  test('a configuration error ends the run with a clear error event', async () => {
    const { server, root } = await setup(() => ({ status: 401, body: { error: { message: 'bad key' } } }));
    const run = await runScripted('x', { url: server.url, root });
    assert.equal(run.status, 'failed');
    assert.ok(run.events.some((e) => e.type === 'error' && /refused the API key/.test(e.message)));
  });

  test('old turns are compacted to fit a small window; system prompt, goal and plan stay', async () => {
    const big = 'word '.repeat(1500);
    const files = { 'one.txt': big, 'two.txt': big, 'three.txt': big, 'four.txt': big };
    const reads = ['one.txt', 'two.txt', 'three.txt', 'four.txt'].map((path) => ({ toolCalls: [{ name: 'read_file', arguments: { path } }] }));
    const { server, root } = await setup(
      [{ toolCalls: [{ name: 'update_plan', arguments: { steps: [{ title: 'Read everything', status: 'in_progress' }] } }] }, ...reads, finish],
      files,
    );
    const run = await runScripted('Read all files', { url: server.url, root, contextTokens: 8192 });
    assert.equal(run.status, 'finished');
    const last = server.chatRequests().at(-1)?.body;
    assert.equal(last.messages[0].role, 'system');
    assert.match(last.messages[1].content, /^Read all files\n\n\[The earlier steps were compacted[\s\S]*\n- read_file one\.txt: one\.txt \(1 lines\)/);
    assert.ok(JSON.stringify(last.messages).includes('Read everything'), 'the plan is still there');
    assert.match(toolMessages(last).at(-1) ?? '', /^four\.txt/);
    assert.ok(JSON.stringify(last.messages).length / 3.5 < 8192);
  });
});

describe('plan first', () => {
  test('edits wait for an approved plan; feedback asks for a new plan; an edited plan is followed', async () => {
    const edit = { toolCalls: [{ name: 'edit_file', arguments: { path: 'a.txt', edits: [{ search: 'alpha', replace: 'beta' }] } }] };
    const plan = (title: string) => ({ toolCalls: [{ name: 'update_plan', arguments: { steps: [{ title, status: 'pending' }] } }] });
    const { server, root } = await setup([
      { toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] },
      edit,
      plan('Rewrite everything'),
      plan('Change alpha'),
      edit,
      finish,
    ]);
    const shown: string[] = [];
    const answers = [
      { decision: 'feedback' as const, feedback: 'too broad' },
      { decision: 'approve' as const, steps: [{ title: 'Change alpha to beta only', status: 'pending' as const }] },
    ];
    const options = { url: server.url, root, policy: { read: 'auto' as const, edit: 'auto' as const, execute: 'ask' as const } };
    const run = await runScripted('Change alpha', {
      ...options,
      planApprover: async (steps) => (shown.push(steps[0]!.title), answers.shift()!),
    });
    assert.equal(run.status, 'finished');
    const results = server.chatRequests().map((r) => toolMessages(r.body).at(-1) ?? '');
    assert.match(results[1]!, /^a\.txt/, 'reads run before any plan');
    assert.match(results[2]!, /Changes wait for an approved plan/);
    assert.match(results[3]!, /did not approve this plan: "too broad"/);
    assert.match(results[4]!, /approved an edited plan; follow it:\n1\. Change alpha to beta only/);
    assert.match(results[5]!, /^Edited a\.txt/);
    assert.deepEqual(shown, ['Rewrite everything', 'Change alpha']);
    assert.equal(read(root, 'a.txt'), 'beta\n');
  });
});
