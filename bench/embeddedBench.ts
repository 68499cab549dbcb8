/**
 * The embedded model on the tiny generated models (and on a real GGUF named by STEPWISE_BENCH_GGUF):
 * time from start to the first token (target ≤ 1 s on the tiny model), prompt and generation
 * tokens/s, a grammar-constrained call, how soon a stop ends an answer or a load (target ≤ 1 s),
 * and the model process's memory. The runtime is installed into the tests' cache if missing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { callGrammar } from '../src/core/embedded/callGrammar';
import { type LoadOptions, ModelProcess } from '../src/core/embedded/modelProcess';
import { ensureRuntime } from '../src/core/embedded/runtime';
import { systemPrompt } from '../src/core/agent/prompt';
import { toTextRequest } from '../src/core/model/textProtocol';
import { defaultTools } from '../src/core/tools/registry';
import { TEST_CACHE } from '../test/support/cli';
import { writeModels } from '../test/support/embedded';

const WORKER = path.resolve(__dirname, '../dist/embedded.js');
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
const never = () => new AbortController().signal;

function messages(goal: string) {
  const tools = defaultTools().specs();
  const sent = toTextRequest({
    messages: [
      { role: 'system', content: systemPrompt('project') },
      { role: 'user', content: goal },
    ],
    tools,
  });
  return { tools, messages: sent.messages.map((m) => ({ role: m.role as 'system' | 'user', content: m.content })) };
}

async function measure(label: string, options: LoadOptions, callModel?: string): Promise<void> {
  const started = performance.now();
  const { process: proc, loaded } = await ModelProcess.load(options, never());
  const { tools, messages: prompt } = messages('List the files of this project and say what it does.');
  const free = await proc.generate(prompt, undefined, 128, () => undefined, never());
  const firstToken = performance.now() - started - free.totalMs + (free.firstTextMs ?? free.totalMs);
  const p = loaded.phases;
  const gen = (free.completionTokens - 1) / ((free.totalMs - (free.firstTextMs ?? 0)) / 1000);
  const pp = free.evaluatedTokens / ((free.firstTextMs ?? free.totalMs) / 1000);
  console.log(
    `embedded ${label}: loaded in ${loaded.loadMs} ms (${loaded.gpu || 'CPU'}, context ${loaded.contextTokens}); first token ${Math.round(firstToken)} ms from the process's start (node-llama-cpp's modules ${p.importMs} ms, its start with its binary self-test ${p.initMs} ms, the model ${p.modelMs} ms, the context ${p.contextMs} ms) and ${Math.round(free.firstTextMs ?? NaN)} ms from the request${label.startsWith('tiny') ? ' (target ≤ 1,000 ms)' : ''}; prompt ${Math.round(pp)} tokens/s (${free.evaluatedTokens} tokens); generation ${gen.toFixed(1)} tokens/s (${free.completionTokens} tokens); memory ${mb(free.rssBytes)}`,
  );
  proc.dispose();
  if (!callModel) return;
  const { process: caller } = await ModelProcess.load({ ...options, modelFile: callModel }, never());
  const call = await caller.generate(prompt, callGrammar(tools), 512, () => undefined, never());
  console.log(`embedded ${label}: one grammar-constrained tool call in ${Math.round(call.totalMs)} ms (${call.completionTokens} tokens, ${call.stop})`);
  caller.dispose();
}

/** From the stop to the answer's end (the process asked to stop), and from a stop during a load to the process's exit. */
async function stops(options: LoadOptions): Promise<void> {
  const { process: proc } = await ModelProcess.load(options, never());
  const stop = new AbortController();
  let stoppedAt = 0;
  const answer = proc.generate(
    messages('Talk').messages,
    undefined,
    4096,
    () => {
      if (!stoppedAt) {
        stoppedAt = performance.now();
        stop.abort();
      }
    },
    stop.signal,
  );
  const end = await answer;
  const answerStop = performance.now() - stoppedAt;
  // A long prompt (about 12,000 tokens with this vocabulary), stopped while it is read.
  const reading = new AbortController();
  const long = messages(`Summarise: ${'The quick brown fox jumps over the lazy dog. '.repeat(270)}`).messages;
  const read = proc.generate(long, undefined, 64, () => undefined, reading.signal).catch((e: Error) => e);
  // Stopped 200 ms in: reading 12,000 tokens takes most of a second here.
  let readStart = 0;
  setTimeout(() => ((readStart = performance.now()), reading.abort()), 200);
  const readEnd = await read;
  const promptStop = performance.now() - readStart;
  proc.dispose();
  const loading = new AbortController();
  const load = ModelProcess.load(options, loading.signal);
  const t = performance.now();
  loading.abort();
  await load.catch(() => undefined);
  const readOutcome = readEnd instanceof Error ? readEnd.message : `${readEnd.stop}, ${readEnd.evaluatedTokens} prompt tokens read`;
  console.log(
    `embedded stop (target ≤ 1,000 ms): an answer being written ends ${Math.round(answerStop)} ms after the stop (${end.stop}); a long prompt being read ends ${Math.round(promptStop)} ms after the stop, 200 ms into it (${readOutcome}); a load is abandoned in ${Math.round(performance.now() - t)} ms (the process killed)`,
  );
}

async function main(): Promise<void> {
  const runtime = await ensureRuntime({ cacheDir: path.join(TEST_CACHE, 'stepwise'), env: process.env, signal: never(), say: (l) => console.log(l) });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-embedded-bench-'));
  try {
    const models = writeModels(dir);
    const base = { workerPath: WORKER, runtimeEntry: runtime.entry, maxContextTokens: 16_384, gpu: true, threads: os.availableParallelism() };
    await measure('tiny model', { ...base, modelFile: models.talker }, models.lister);
    await stops({ ...base, modelFile: models.talker });
    const real = process.env.STEPWISE_BENCH_GGUF;
    if (real) await measure(path.basename(real), { ...base, modelFile: real, maxContextTokens: 8192 });
    else console.log('embedded real model: skipped (set STEPWISE_BENCH_GGUF to a GGUF file to measure one)');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
