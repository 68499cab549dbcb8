/**
 * `npm run bench`: prints the numbers the core is held to.
 *  - prompt overhead: o200k tokens of the first request's system message plus the tools JSON
 *  - loop overhead per step: a few hundred steps against a zero-latency in-process model, and
 *    over real HTTP against the scripted server
 *  - a ten-step task (read, edit, run) in a 4,096-token window: completes, and the largest request
 *    in o200k tokens, with native tool calls and in the text protocol
 *  - CLI start-up: spawn of dist/cli.js to the first model request arriving at the server
 *  - hostile input, bounded: an 8,000-line rewrite's approval diff, a 20 MB SSE line, the
 *    leftover-process sweep after each command
 *  - checkpoints: a command step's checkpoint on 10,000 files, cold and warm; storage per version
 *  - the extension: bundle and .vsix sizes, activation time (measured by the extension-host tests)
 */
import { factsLine } from '../src/core/context/machineFacts';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { runAgent } from '../src/core/agent/loop';
import { systemPrompt } from '../src/core/agent/prompt';
import { policyFromLevel } from '../src/core/approval';
import { NodeHost } from '../src/core/host/nodeHost';
import type { ModelClient, ModelEvent, ModelRequest } from '../src/core/model/client';
import { OpenAIClient } from '../src/core/model/openaiClient';
import { ToolProtocolClient, type ToolProtocol } from '../src/core/model/toolProtocolClient';
import { toTextRequest } from '../src/core/model/textProtocol';
import { DEFAULT_LIMITS } from '../src/core/tools/limits';
import { defaultTools } from '../src/core/tools/registry';
import { unifiedDiff } from '../src/core/tools/diffPreview';
import { createTwoFilesPatch } from 'diff';
import { startScriptedServer } from '../test/support/scriptedServer';
import { makeWorkspace, removeWorkspace } from '../test/support/workspace';
import { checkpointNumbers } from './checkpointBench';
import { commandNumbers } from './commandBench';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};
const fmt = (n: number, digits = 2) => n.toFixed(digits);

function promptOverhead(): { system: number; tools: number } {
  const tools = defaultTools()
    .specs()
    .map((spec) => ({ type: 'function', function: spec }));
  // With the machine facts a task starts with (OS, shell, date, the test command).
  const facts = factsLine({ os: 'Linux (x64)', shell: '/bin/sh', date: '2026-11-30', testCommand: 'npm test' });
  return { system: encode(systemPrompt('my-project', undefined, facts)).length, tools: encode(JSON.stringify(tools)).length };
}

/** A model that answers instantly: a small read each step, so only the loop's own cost remains. */
class InstantModel implements ModelClient {
  readonly model = 'instant';
  private n = 0;
  constructor(private readonly steps: number) {}
  async *stream(request: ModelRequest): AsyncIterable<ModelEvent> {
    const n = this.n++;
    yield { type: 'text', delta: 'Reading.' };
    const call =
      n + 1 >= this.steps
        ? { id: `c${n}`, name: 'finish', arguments: '{"summary":"done"}' }
        : { id: `c${n}`, name: 'read_file', arguments: JSON.stringify({ path: 'src/a.ts', start_line: (n % 5) + 1, end_line: (n % 5) + 3 }) };
    yield { type: 'tool_call', call };
    // What a server would report (about 4 characters per token, the tool definitions included: a server
    // counts them too), so no truncation is suspected.
    const chars = request.messages.reduce(
      (n, m) => n + m.content.length + (m.role === 'assistant' ? JSON.stringify(m.toolCalls ?? []).length : 0),
      JSON.stringify(request.tools ?? []).length,
    );
    yield { type: 'usage', promptTokens: Math.ceil(chars / 4), completionTokens: 10 };
    yield { type: 'finish', reason: 'tool_calls' };
  }
}

async function loopOverhead(model: ModelClient, steps: number, root: string): Promise<number[]> {
  const stamps: number[] = [];
  const outcome = await runAgent(
    'Read the file many times',
    {
      model,
      host: new NodeHost(root),
      tools: defaultTools(),
      policy: policyFromLevel('all'),
      limits: DEFAULT_LIMITS,
      maxSteps: steps + 1,
      contextTokens: 1_000_000,
      onEvent: (e) => {
        if (e.type === 'step') stamps.push(performance.now());
      },
    },
    new AbortController().signal,
  );
  if (outcome.status !== 'finished') throw new Error(`the loop benchmark did not finish: ${outcome.summary}`);
  return stamps.slice(1).map((t, i) => t - (stamps[i] ?? t));
}

async function cliStartup(runs: number): Promise<number[]> {
  const cli = path.resolve(__dirname, '../dist/cli.js');
  const root = makeWorkspace({ 'a.txt': 'x\n' });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    let started = 0;
    let firstRequest = 0;
    const server = await startScriptedServer((_req) => {
      firstRequest ||= performance.now();
      return { toolCalls: [{ name: 'finish', arguments: { summary: 'ok' } }] };
    });
    started = performance.now();
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [cli, 'run', '--workspace', root, '--base-url', server.url, '--model', 'm', 'x'], { stdio: 'ignore' });
      child.on('close', () => resolve());
    });
    times.push(firstRequest - started);
    await server.close();
  }
  removeWorkspace(root);
  return times;
}

async function main() {
  const overhead = promptOverhead();
  const total = overhead.system + overhead.tools;
  console.log(`prompt overhead: ${total} tokens (system ${overhead.system} + tools ${overhead.tools}, o200k; target ≤ 1200)`);
  const textMode = toTextRequest({ messages: [{ role: 'system', content: systemPrompt('my-project') }], tools: defaultTools().specs() });
  console.log(
    `prompt overhead (text protocol): ${encode(textMode.messages[0]?.content ?? '').length} tokens (system prompt with the tools described in it, o200k; target ≤ 1500)`,
  );

  const root = makeWorkspace({ 'src/a.ts': Array.from({ length: 40 }, (_, i) => `export const v${i} = ${i};`).join('\n') });
  const steps = 300;
  await loopOverhead(new InstantModel(20), 20, root); // warm-up
  const instant = await loopOverhead(new InstantModel(steps), steps, root);
  console.log(
    `loop overhead per step (in-process zero-latency model, ${steps} steps): median ${fmt(median(instant))} ms, p90 ${fmt(instant.sort((a, b) => a - b)[Math.floor(instant.length * 0.9)] ?? NaN)} ms (target ≤ 5 ms)`,
  );

  const server = await startScriptedServer((_req, i) =>
    i + 1 >= steps
      ? { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] }
      : {
          text: 'Reading.',
          toolCalls: [{ name: 'read_file', arguments: { path: 'src/a.ts', start_line: (i % 5) + 1, end_line: (i % 5) + 3 } }],
          chunkSize: 64,
        },
  );
  const http = await loopOverhead(new OpenAIClient({ baseUrl: server.url, model: 'scripted' }), steps, root);
  await server.close();
  console.log(`step time over HTTP (scripted server on 127.0.0.1, SSE, ${steps} steps): median ${fmt(median(http))} ms`);
  removeWorkspace(root);

  for (const protocol of ['native', 'text'] as const) {
    const small = await smallWindowTask(protocol);
    console.log(
      `4,096-token window, ten-step task (read, edit, run ×3, finish; ${protocol} tool calls): ${small.status} in ${small.requests} requests, largest request ${small.largest} tokens (o200k; target: completes, ≤ 4096)`,
    );
  }

  const startup = await cliStartup(10);
  console.log(
    `CLI start to first model request: median ${fmt(median(startup), 0)} ms over ${startup.length} runs (target ≤ 300 ms; node alone plus one fetch: ${fmt(median(await nodeFloor(5)), 0)} ms here)`,
  );

  await hostileNumbers();
  await checkpointNumbers();
  await commandNumbers();
  extensionNumbers();
}

/** What hostile input costs now that it is bounded: a huge diff, a giant SSE line, a command's cleanup. */
async function hostileNumbers(): Promise<void> {
  const before = Array.from({ length: 8000 }, (_, i) => `old line ${i}`).join('\n') + '\n';
  const after = Array.from({ length: 8000 }, (_, i) => `new row ${i}`).join('\n') + '\n';
  let t = performance.now();
  unifiedDiff('big.txt', before, after);
  const bounded = performance.now() - t;
  t = performance.now();
  createTwoFilesPatch('a', 'b', before, after, undefined, undefined, { context: 3 });
  const unbounded = performance.now() - t;
  console.log(
    `approval diff of an 8,000-line rewrite: ${fmt(bounded, 0)} ms, shown as "whole file replaced" (without the bound: ${fmt(unbounded, 0)} ms on the extension host's thread)`,
  );

  const server = await startScriptedServer(() => ({ giantLineBytes: 20 * 1024 * 1024 }));
  const root = makeWorkspace({});
  t = performance.now();
  const failed = await runAgent(
    'x',
    {
      model: new OpenAIClient({ baseUrl: server.url, model: 'm', retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 } }),
      host: new NodeHost(root),
      tools: defaultTools(),
      policy: policyFromLevel('reads'),
      limits: DEFAULT_LIMITS,
      maxSteps: 2,
      contextTokens: 32_768,
    },
    new AbortController().signal,
  );
  console.log(`a 20 MB SSE line with no newline: refused in ${fmt(performance.now() - t, 0)} ms (${failed.status})`);
  await server.close();

  const host = new NodeHost(root);
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    t = performance.now();
    await host.runCommand('true', { timeoutMs: 10_000, signal: new AbortController().signal });
    times.push(performance.now() - t);
  }
  console.log(`run_command "true" including the sweep for processes it left behind: median ${fmt(median(times), 1)} ms over ${times.length} runs`);
  removeWorkspace(root);
}

/** Three modules read, edited and checked with a command, then finish, with a 4,096-token window. */
async function smallWindowTask(protocol: ToolProtocol): Promise<{ status: string; requests: number; largest: number }> {
  const source = Array.from({ length: 60 }, (_, i) => `export const value${i} = ${i}; // a line of the module`).join('\n') + '\n';
  const root = makeWorkspace({ 'm0.ts': source, 'm1.ts': source, 'm2.ts': source });
  const script: { name: string; arguments: Record<string, unknown> }[] = [0, 1, 2].flatMap((i) => [
    { name: 'read_file', arguments: { path: `m${i}.ts` } },
    {
      name: 'edit_file',
      arguments: { path: `m${i}.ts`, edits: [{ search: `export const value${i} = ${i};`, replace: `export const value${i} = ${i + 100};` }] },
    },
    { name: 'run_command', arguments: { command: `grep -c value m${i}.ts` } },
  ]);
  script.push({ name: 'finish', arguments: { summary: 'bumped' } });
  // In text mode the model writes its calls as text, as a small local model would.
  const server = await startScriptedServer((_req, i) => {
    const call = script[Math.min(i, script.length - 1)]!;
    return protocol === 'text' ? { text: `<tool_call>${JSON.stringify(call)}</tool_call>` } : { toolCalls: [call] };
  });
  try {
    const outcome = await runAgent(
      'Bump the first value of each module and check it',
      {
        model: new ToolProtocolClient(new OpenAIClient({ baseUrl: server.url, model: 'scripted' }), protocol),
        host: new NodeHost(root),
        tools: defaultTools(),
        policy: policyFromLevel('all'),
        limits: DEFAULT_LIMITS,
        maxSteps: 20,
        contextTokens: 4096,
      },
      new AbortController().signal,
    );
    const sizes = server.chatRequests().map((r) => encode(JSON.stringify({ messages: r.body.messages, tools: r.body.tools ?? [] })).length);
    return {
      status: outcome.status === 'finished' ? 'finished' : `${outcome.status}: ${outcome.summary}`,
      requests: sizes.length,
      largest: Math.max(...sizes),
    };
  } finally {
    await server.close();
    removeWorkspace(root);
  }
}

/** Sizes of what ships, and the activation time the extension-host tests measured in a real VS Code. */
function extensionNumbers(): void {
  const repo = path.resolve(__dirname, '..');
  const kb = (file: string) => (fs.existsSync(file) ? `${(fs.statSync(file).size / 1024).toFixed(1)} KB` : 'missing');
  console.log(
    `dist/extension.js: ${kb(path.join(repo, 'dist/extension.js'))} minified (loaded at activation; target ≤ 1 MB); dist/runtime.js: ${kb(path.join(repo, 'dist/runtime.js'))} (loaded when a goal starts)`,
  );
  console.log(`stepwise.vsix: ${kb(path.join(repo, 'stepwise.vsix'))} (target ≤ 2 MB)`);
  const activation = path.join(repo, 'test-results/activation.json');
  if (fs.existsSync(activation)) {
    const { activationMs } = JSON.parse(fs.readFileSync(activation, 'utf8')) as { activationMs: number };
    console.log(`activation: ${fmt(activationMs)} ms in code-server's extension host, from the last npm run test:vscode (target ≤ 50 ms)`);
  } else {
    console.log('activation: not measured yet (run npm run test:vscode, which measures it in a real extension host)');
  }
}

/** Node starting and making one HTTP request: the floor under the CLI's start-up time. */
async function nodeFloor(runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    let first = 0;
    const server = await startScriptedServer(() => ((first ||= performance.now()), { text: 'x' }));
    const started = performance.now();
    await new Promise<void>((resolve) => {
      spawn(process.execPath, ['-e', "fetch(process.argv[1] + '/chat/completions', { method: 'POST', body: '{}' }).then((r) => r.text())", server.url], {
        stdio: 'ignore',
      }).on('close', () => resolve());
    });
    times.push(first - started);
    await server.close();
  }
  return times;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
