/**
 * The prefix-stable context policy and compaction, through the real loop against the scripted
 * server: the assertions read the exact requests the server received.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { TaskControl } from '../../src/core/agent/loop';
import { fiftyStepTask, longTaskFiles, prefixStats } from '../../bench/prefixBench';
import { runScripted, toolMessages } from '../support/agent';
import { startScriptedServer, type RecordedRequest, type ScriptStep } from '../support/scriptedServer';
import { makeWorkspace, read, removeWorkspace } from '../support/workspace';

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

const PLAN = {
  steps: [
    { title: 'Read the modules', status: 'in_progress' },
    { title: 'Fix step1_0', status: 'pending' },
  ],
};
const SUMMARY = '## Files\n- src/mod01.ts: step functions\n## Edits\n- none\n## Commands\n- none\n## Open questions\n- none\n## Next step\n- keep reading';
const isCompaction = (r: RecordedRequest) => r.body?.tool_choice === 'none';

/** A plan, `reads` reads of the 3 KB modules, an edit, finish; compaction requests get `summary`. */
function longScript(reads: number, summary: (r: RecordedRequest) => ScriptStep = () => ({ text: SUMMARY })) {
  const steps: ScriptStep[] = [{ toolCalls: [{ name: 'update_plan', arguments: PLAN }] }];
  for (let i = 0; i < reads; i++) steps.push({ toolCalls: [{ name: 'read_file', arguments: { path: `src/mod${String((i % 20) + 1).padStart(2, '0')}.ts` } }] });
  steps.push({
    toolCalls: [{ name: 'edit_file', arguments: { path: 'src/mod01.ts', edits: [{ search: 'return value * 0 + 1;', replace: 'return value + 1;' }] } }],
  });
  steps.push({ toolCalls: [{ name: 'finish', arguments: { summary: 'fixed' } }] });
  let next = 0;
  return (request: RecordedRequest): ScriptStep => (isCompaction(request) ? summary(request) : steps[Math.min(next++, steps.length - 1)]!);
}

async function setup(script: (r: RecordedRequest) => ScriptStep, files = longTaskFiles()) {
  const server = await startScriptedServer(script);
  const root = makeWorkspace(files);
  cleanups.push(
    () => server.close(),
    () => removeWorkspace(root),
  );
  return { server, root };
}

const auto = { read: 'auto', edit: 'auto', execute: 'auto' } as const;
const messagesOf = (r: RecordedRequest) => r.body.messages as any[];

/**
 * Between compactions every request extends the one before: the earlier messages are sent byte for
 * byte. Returns how many task requests did not (each must be the first after a compaction).
 */
function rewrites(requests: RecordedRequest[]): number {
  let rewrites = 0;
  for (let i = 1; i < requests.length; i++) {
    const before = messagesOf(requests[i - 1]!);
    const now = messagesOf(requests[i]!);
    if (isCompaction(requests[i]!)) {
      assert.deepEqual(now.slice(0, before.length), before, `compaction request ${i} extends the request before it`);
      continue;
    }
    const sameStart = JSON.stringify(now.slice(0, before.length)) === JSON.stringify(isCompaction(requests[i - 1]!) ? before.slice(0, -1) : before);
    if (!sameStart) rewrites++;
  }
  return rewrites;
}

function assertKeptTheEssentials(request: RecordedRequest, goal: string, plan: unknown = PLAN): void {
  const messages = messagesOf(request);
  assert.equal(messages[0].role, 'system');
  assert.equal(messages[1].role, 'user');
  assert.ok(messages[1].content.startsWith(goal), 'the goal is sent verbatim, first');
  const planned = messages.some(
    (m) => m.role === 'assistant' && (m.tool_calls ?? []).some((c: any) => c.function.name === 'update_plan' && c.function.arguments === JSON.stringify(plan)),
  );
  assert.ok(planned, 'the plan call is sent verbatim');
  const ids = new Set<string>();
  for (const m of messages) {
    for (const c of m.tool_calls ?? []) ids.add(c.id);
    if (m.role === 'tool') assert.ok(ids.has(m.tool_call_id), 'every result follows its call');
  }
}

/** A short task whose user asks to compact while request `at` (0-based) is answered; the run and its requests. */
async function compactOnRequest(steps: ScriptStep[], at: number) {
  const control = new TaskControl();
  let next = 0;
  const { server, root } = await setup((r) => {
    if (isCompaction(r)) return { text: SUMMARY };
    if (next === at) control.requestCompaction();
    return steps[Math.min(next++, steps.length - 1)]!;
  });
  const run = await runScripted('Read two modules', { url: server.url, root, policy: auto, control });
  assert.equal(run.status, 'finished', run.summary);
  return { run, requests: server.chatRequests() };
}

const readStep = (path: string): ScriptStep => ({ toolCalls: [{ name: 'read_file', arguments: { path } }] });
const planStep: ScriptStep = { toolCalls: [{ name: 'update_plan', arguments: PLAN }] };
const finishStep: ScriptStep = { toolCalls: [{ name: 'finish', arguments: { summary: 'read' } }] };

describe('prefix-stable context', () => {
  test('a long task at 16k: rare compactions by the model (tool_choice "none", same tools), append-only in between; goal, plan and latest results kept', async () => {
    const { server, root } = await setup(longScript(20));
    const goal = 'Fix step1_0 after reading every module';
    const run = await runScripted(goal, { url: server.url, root, contextTokens: 16384, policy: auto, maxSteps: 40 });
    assert.equal(run.status, 'finished', run.summary);
    const requests = server.chatRequests();
    const compactions = requests.filter(isCompaction);
    assert.ok(compactions.length >= 1 && compactions.length <= 6, `${compactions.length} compactions`);
    for (const c of compactions) {
      const i = requests.indexOf(c);
      assert.deepEqual(c.body.tools, requests[i - 1]!.body.tools, 'the same tools, so the prefix stays');
      assert.match(messagesOf(c).at(-1).content, /## Files[\s\S]*## Next step[\s\S]*do not call any tools/);
      const next = requests[i + 1]!;
      assertKeptTheEssentials(next, goal);
      assert.match(messagesOf(next)[1].content, /this is your own summary of them[\s\S]*## Files\n- src\/mod01\.ts: step functions/);
      // The results the model had not seen yet are sent whole.
      assert.deepEqual(messagesOf(next).at(-1), messagesOf(c).at(-2));
    }
    assert.equal(rewrites(requests), compactions.length, 'no message already sent was rewritten outside a compaction');
    const events = run.events.filter((e) => e.type === 'compaction' && e.turns > 0);
    assert.equal(events.length, compactions.length);
    assert.ok(events.every((e) => e.type === 'compaction' && e.method === 'model' && e.turns > 0 && e.tokensAfter < e.tokensBefore * 0.7));
    assert.equal(read(root, 'src/mod01.ts').includes('return value + 1;'), true);
    const usage = run.events.filter((e) => e.type === 'usage').length;
    assert.equal(usage, requests.length, 'compaction requests count in the usage');
    assert.ok(prefixStats(requests).reuse > 0.75, `prefix reuse ${prefixStats(requests).reuse}`);
  });

  test('at 8k the mechanical digest is used (no summary request); every request stays in the window', async () => {
    const { server, root } = await setup(longScript(20));
    const run = await runScripted('Fix step1_0 after reading every module', { url: server.url, root, contextTokens: 8192, policy: auto, maxSteps: 40 });
    assert.equal(run.status, 'finished', run.summary);
    const requests = server.chatRequests();
    assert.equal(requests.filter(isCompaction).length, 0);
    const events = run.events.filter((e) => e.type === 'compaction' && e.turns > 0);
    assert.ok(events.length >= 2);
    const last = requests.at(-1)!;
    assertKeptTheEssentials(last, 'Fix step1_0');
    assert.match(messagesOf(last)[1].content, /a list Stepwise kept[\s\S]*Steps done so far[\s\S]*- read_file src\/mod\d\d\.ts: /);
    assert.equal(rewrites(requests), events.length, 'rewritten only by a compaction');
  });

  test('a 50-step task finishes in a 4,096-token window: old turns become a bounded digest', async () => {
    const { files, steps } = fiftyStepTask();
    let next = 0;
    const { server, root } = await setup(() => steps[Math.min(next++, steps.length - 1)]!, files);
    const run = await runScripted('Capitalise the first word of the first six files', {
      url: server.url,
      root,
      contextTokens: 4096,
      policy: auto,
      maxSteps: 60,
    });
    assert.equal(run.status, 'finished', run.summary);
    const requests = server.chatRequests();
    assert.equal(requests.length, 50);
    assert.equal(read(root, 'f5.txt').startsWith('FILE 5'), true);
    const largest = Math.max(...requests.map((r) => JSON.stringify({ m: r.body.messages, t: r.body.tools }).length));
    assert.ok(largest / 3.5 < 4096, `largest request about ${Math.round(largest / 3.5)} tokens`);
    const plan = (steps[0] as { toolCalls: { arguments: unknown }[] }).toolCalls[0]!.arguments;
    for (const r of requests.slice(-10)) assertKeptTheEssentials(r, 'Capitalise', plan);
    const digests = run.events.flatMap((e) => (e.type === 'compaction' && e.turns > 0 ? [e.summary] : []));
    assert.equal(rewrites(requests), digests.length, 'rewritten only by a compaction');
    assert.ok(
      digests.some((d) => /- edit_file f5\.txt: Edited f5\.txt/.test(d)),
      digests.at(-1),
    );
    assert.ok(
      digests.some((d) => /- run_command grep -l FILE f0\.txt f5\.txt: Exit code: 0/.test(d)),
      digests.at(-1),
    );
    assert.match(digests.at(-1)!, /earlier steps not listed/, 'the digest is capped');
  });

  test('the user asks to compact: done before the next request, even far from the window', async () => {
    const { run, requests } = await compactOnRequest([planStep, readStep('src/mod01.ts'), readStep('src/mod02.ts'), finishStep], 2);
    const event = run.events.find((e) => e.type === 'compaction');
    assert.ok(event && event.type === 'compaction' && event.trigger === 'user' && event.method === 'model' && event.turns === 2, JSON.stringify(event));
    assert.equal(requests.filter(isCompaction).length, 1);
    const after = requests[requests.findIndex(isCompaction) + 1]!;
    assertKeptTheEssentials(after, 'Read two modules');
    assert.match(messagesOf(after)[1].content, /this is your own summary of them\.[^\]]*\]\n## Files/);
    assert.match(toolMessages(after.body).at(-1)!, /^src\/mod02\.ts \(60 lines\)/, 'the latest results are sent whole');
    assert.equal(toolMessages(after.body).length, 2, 'the plan result and the latest read: the first read was compacted');
  });

  test('after a nudge, compaction keeps the latest results (not only the text-only answer) and one user message asks', async () => {
    const { requests } = await compactOnRequest([planStep, readStep('src/mod01.ts'), readStep('src/mod02.ts'), { text: 'Thinking about it.' }, finishStep], 3);
    const ask = requests.find(isCompaction)!;
    assert.deepEqual(
      messagesOf(ask)
        .slice(-3)
        .map((m) => m.role),
      ['tool', 'assistant', 'user'],
      'the nudge and the question are one user message',
    );
    assert.match(messagesOf(ask).at(-1).content, /^Continue the task with a tool call[\s\S]*## Files/);
    const after = requests[requests.indexOf(ask) + 1]!;
    assert.match(toolMessages(after.body).at(-1)!, /^src\/mod02\.ts \(60 lines\)/);
    assertKeptTheEssentials(after, 'Read two modules');
  });

  test('a plan call that failed is not the plan kept: the last accepted one is', async () => {
    const badPlan: ScriptStep = { toolCalls: [{ name: 'update_plan', arguments: { steps: [] } }] };
    const { requests } = await compactOnRequest([planStep, badPlan, readStep('src/mod01.ts'), readStep('src/mod02.ts'), finishStep], 3);
    assert.equal(requests.filter(isCompaction).length, 1);
    assertKeptTheEssentials(requests[requests.findIndex(isCompaction) + 1]!, 'Read two modules');
  });

  test('a summary request that would pass the task budget is not sent: the list is used, nobody is asked twice', async () => {
    const { server, root } = await setup(longScript(14));
    let asked = 0;
    const run = await runScripted('Fix step1_0', {
      url: server.url,
      root,
      contextTokens: 16384,
      policy: auto,
      maxSteps: 40,
      taskBudget: { tokens: 1000 },
      budgetApprover: async () => (asked++, true),
    });
    assert.equal(run.status, 'finished', run.summary);
    const event = run.events.find((e) => e.type === 'compaction' && e.fallback);
    assert.ok(event && event.type === 'compaction' && /would pass the task budget/.test(event.fallback ?? ''), JSON.stringify(event));
    assert.equal(server.chatRequests().filter(isCompaction).length, 0);
    assert.ok(asked >= 1, 'the task requests still ask');
  });

  test('in the text protocol the summary request still goes out (as text) and the task goes on', async () => {
    let next = 0;
    const steps: ScriptStep[] = [{ text: `<tool_call>${JSON.stringify({ name: 'update_plan', arguments: PLAN })}</tool_call>` }];
    for (let i = 1; i <= 14; i++)
      steps.push({ text: `<tool_call>${JSON.stringify({ name: 'read_file', arguments: { path: `src/mod${String(i).padStart(2, '0')}.ts` } })}</tool_call>` });
    steps.push({ text: `<tool_call>${JSON.stringify({ name: 'finish', arguments: { summary: 'read' } })}</tool_call>` });
    const { server, root } = await setup((r) =>
      /do not call any tools\.$/.test(messagesOf(r).at(-1)?.content ?? '') ? { text: SUMMARY } : steps[Math.min(next++, steps.length - 1)]!,
    );
    const run = await runScripted('Read the modules', { url: server.url, root, contextTokens: 16384, policy: auto, maxSteps: 40, toolProtocol: 'text' });
    assert.equal(run.status, 'finished', run.summary);
    const event = run.events.find((e) => e.type === 'compaction');
    assert.ok(event && event.type === 'compaction' && event.method === 'model', JSON.stringify(event));
    for (const r of server.chatRequests()) {
      const roles = messagesOf(r).map((m) => m.role);
      assert.ok(
        roles.every((role, i) => i === 0 || role !== roles[i - 1]),
        `turns alternate: ${roles.join(',')}`,
      );
    }
  });
});

describe('compaction: bad input', () => {
  for (const [name, answer, why] of [
    ['empty', { text: '' }, /empty/],
    ['enormous (cut at its bound)', { text: '## Files\n## Edits\n'.repeat(50), finishReason: 'length' }, /too long/],
    ['in the wrong format', { text: 'OK, done.' }, /not a summary in the form asked for/],
    ['a tool call instead', { toolCalls: [{ name: 'read_file', arguments: { path: 'src/mod01.ts' } }] }, /called a tool instead of writing the summary/],
    [
      'enormous (longer than asked, not cut)',
      { text: `## Files\n## Next step\n${'a long line of the summary that goes on and on\n'.repeat(200)}` },
      /too long \(over \d+ tokens\)/,
    ],
  ] as const) {
    test(`the model's summary is ${name}: the mechanical digest is used and the task goes on`, async () => {
      const { server, root } = await setup(longScript(14, () => answer as ScriptStep));
      const run = await runScripted('Fix step1_0', { url: server.url, root, contextTokens: 16384, policy: auto, maxSteps: 40 });
      assert.equal(run.status, 'finished', run.summary);
      const event = run.events.find((e) => e.type === 'compaction');
      assert.ok(event && event.type === 'compaction' && event.method === 'mechanical', JSON.stringify(event));
      assert.match(event.fallback ?? '', why);
      const after = server.chatRequests()[server.chatRequests().findIndex(isCompaction) + 1]!;
      assert.match(messagesOf(after)[1].content, /a list Stepwise kept/);
    });
  }

  test('the summary request fails: the task keeps its history while it fits, later compacts mechanically; nothing runs twice', async () => {
    const { server, root } = await setup(longScript(14, () => ({ status: 500, body: { error: { message: 'model crashed' } } })));
    const run = await runScripted('Fix step1_0', { url: server.url, root, contextTokens: 16384, policy: auto, maxSteps: 40 });
    assert.equal(run.status, 'finished', run.summary);
    const requests = server.chatRequests();
    const failed = requests.findIndex(isCompaction);
    const after = requests.slice(failed + 1).find((r) => !isCompaction(r))!;
    const beforeTask = requests.slice(0, failed).at(-1)!;
    assert.deepEqual(messagesOf(after).slice(0, messagesOf(beforeTask).length), messagesOf(beforeTask), 'the uncompacted history was sent');
    const event = run.events.find((e) => e.type === 'compaction');
    assert.ok(
      event && event.type === 'compaction' && event.method === 'mechanical' && /failed earlier \(.*model crashed/.test(event.fallback ?? ''),
      JSON.stringify(event),
    );
    const results = run.events.filter((e) => e.type === 'tool_result').length;
    const calls = run.events.filter((e) => e.type === 'tool_call').length;
    assert.equal(results, calls, 'every call ran once');
    assert.equal(read(root, 'src/mod01.ts').split('return value + 1;').length, 2, 'the edit applied once');
  });

  test('the summary request fails and the history no longer fits: the task stops with a clear message', async () => {
    const big = 'a line of ordinary text in a large file, as logs and sources are\n'.repeat(500);
    const reads = (...names: string[]) => ({ toolCalls: names.map((path) => ({ name: 'read_file', arguments: { path } })) });
    // Four large reads, then a large new file: past the window at once (a call's own text is never
    // cut), with room left to ask for a summary.
    const write = { toolCalls: [{ name: 'write_file', arguments: { path: 'new.txt', content: big.slice(0, 28_000) } }] };
    const steps: ScriptStep[] = [reads('a', 'b', 'c', 'd'), write, { toolCalls: [{ name: 'finish', arguments: { summary: 'never' } }] }];
    let next = 0;
    const { server, root } = await setup(
      (r) => (isCompaction(r) ? { cutAfterEvents: 1, text: SUMMARY } : steps[Math.min(next++, steps.length - 1)]!),
      Object.fromEntries(['a', 'b', 'c', 'd'].map((n) => [n, big])),
    );
    const run = await runScripted('Read them all', { url: server.url, root, contextTokens: 24000, policy: auto });
    assert.equal(run.status, 'failed', run.summary);
    assert.match(
      run.summary,
      /The model could not summarise the earlier steps \(.*Gave up after 3 attempts\.\), and the task no longer fits its context window \(24000 tokens, about \d+ needed\)\. Start a new task/,
    );
    assert.equal(read(root, 'new.txt'), big.slice(0, 28_000), 'the file was written once, before');
    assert.ok(server.chatRequests().some(isCompaction), 'the summary was asked for');
    assert.equal(server.chatRequests().filter((r) => !isCompaction(r)).length, 2, 'nothing more was sent');
  });

  test('one tool output larger than the whole window is cut (head and tail, with a note) before it is first sent', async () => {
    const huge = Array.from({ length: 3000 }, (_, i) => `line ${i} of a very long log`).join('\n');
    const steps: ScriptStep[] = [
      { toolCalls: [{ name: 'run_command', arguments: { command: 'cat huge.log' } }] },
      { toolCalls: [{ name: 'finish', arguments: { summary: 'seen' } }] },
    ];
    let next = 0;
    const { server, root } = await setup(() => steps[Math.min(next++, 1)]!, { 'huge.log': huge });
    const run = await runScripted('Look at the log', { url: server.url, root, contextTokens: 4096, policy: auto });
    assert.equal(run.status, 'finished', run.summary);
    const output = toolMessages(server.chatRequests()[1]!.body)[0]!;
    assert.match(output, /lines cut to fit the context window/);
    assert.match(output, /line 2999 of a very long log/);
  });
});
