/**
 * The model process: loads node-llama-cpp from the user's cache and one model, then answers
 * generate requests from its parent (embeddedClient.ts) over IPC. It is a process of its own
 * because llama.cpp aborts the whole process on some broken files and out-of-memory cases: the
 * extension host or the CLI then only sees a child exit, and killing the child frees its memory.
 */
// l10n-ignore-file: messages go to the parent, which words them for the user
import { pathToFileURL } from 'node:url';
import type { FromWorker, ToWorker, WorkerMessage } from './workerProtocol';

/** The few parts of node-llama-cpp used here (it is not a dependency of the project: see runtime.ts). */
interface Library {
  getLlama(options: object): Promise<Llama>;
  LlamaChat: new (options: { contextSequence: Sequence }) => Chat;
}
interface Llama {
  gpu: string | false;
  loadModel(options: { modelPath: string; loadSignal?: AbortSignal }): Promise<Model>;
  createGrammar(options: { grammar: string }): Promise<unknown>;
}
interface Model {
  trainContextSize: number;
  createContext(options: object): Promise<{ contextSize: number; getSequence(): Sequence }>;
}
interface Sequence {
  context: { contextSize: number };
  tokenMeter: { getState(): { usedInputTokens: number; usedOutputTokens: number } };
  contextTokens: readonly number[];
}
interface Chat {
  generateResponse(history: object[], options: object): Promise<{ metadata: { stopReason: string } }>;
}

const send = (message: FromWorker) => process.send?.(message);

let llama: Llama | undefined;
let chat: Chat | undefined;
let sequence: Sequence | undefined;
/** The grammars made, by their text: one per set of tools, and a task keeps its tools. */
const grammars = new Map<string, unknown>();
const GRAMMARS_KEPT = 4;

/** Thrown instead of dropping the start of the conversation to make room (the default of LlamaChat). */
class TooLong extends Error {}
const running = new Map<number, AbortController>();

async function load(m: Extract<ToWorker, { type: 'load' }>): Promise<void> {
  const started = Date.now();
  let at = started;
  const lap = () => -at + (at = Date.now());
  const lib = (await import(pathToFileURL(m.runtime).href)) as Library;
  const importMs = lap();
  llama = await lib.getLlama({ gpu: m.gpu ? 'auto' : false, build: 'never', logLevel: 'error', progressLogs: false, skipDownload: true });
  const initMs = lap();
  const model = await llama.loadModel({ modelPath: m.modelFile });
  const modelMs = lap();
  const max = Math.max(512, Math.min(model.trainContextSize || m.maxContextTokens, m.maxContextTokens));
  const context = await model.createContext({ contextSize: { min: Math.min(2048, max), max }, threads: m.threads });
  sequence = context.getSequence();
  chat = new lib.LlamaChat({ contextSequence: sequence });
  send({
    type: 'loaded',
    contextTokens: context.contextSize,
    trainContextTokens: model.trainContextSize,
    gpu: llama.gpu,
    loadMs: Date.now() - started,
    phases: { importMs, initMs, modelMs, contextMs: lap() },
    rssBytes: process.memoryUsage().rss,
  });
}

/** The model's chat template lays out the turns; the answer is the last, empty model turn. */
function history(messages: WorkerMessage[]): object[] {
  const items = messages.map((m) => (m.role === 'assistant' ? { type: 'model', response: [m.content] } : { type: m.role, text: m.content }));
  return [...items, { type: 'model', response: [] }];
}

async function generate(m: Extract<ToWorker, { type: 'generate' }>): Promise<void> {
  if (!llama || !chat || !sequence) throw new Error('no model is loaded');
  const controller = new AbortController();
  running.set(m.id, controller);
  try {
    let grammar = m.grammar === undefined ? undefined : grammars.get(m.grammar);
    if (m.grammar !== undefined && !grammar) {
      grammar = await llama.createGrammar({ grammar: m.grammar });
      if (grammars.size >= GRAMMARS_KEPT) grammars.delete(grammars.keys().next().value!);
      grammars.set(m.grammar, grammar);
    }
    const before = sequence.tokenMeter.getState();
    const started = performance.now();
    let firstTextMs: number | undefined;
    const result = await chat.generateResponse(history(m.messages), {
      ...(grammar ? { grammar } : {}),
      maxTokens: m.maxTokens,
      temperature: 0,
      signal: controller.signal,
      stopOnAbortSignal: true,
      // The loop keeps the conversation inside the window; if it does not fit after all, say so rather than cut it.
      contextShift: {
        strategy: () => {
          throw new TooLong(`the conversation does not fit the model's window of ${sequence?.context.contextSize ?? '?'} tokens`);
        },
      },
      onTextChunk: (delta: string) => {
        firstTextMs ??= performance.now() - started;
        send({ type: 'text', id: m.id, delta });
      },
    });
    const after = sequence.tokenMeter.getState();
    const completionTokens = after.usedOutputTokens - before.usedOutputTokens;
    const reason = result.metadata.stopReason;
    send({
      type: 'done',
      id: m.id,
      stop: reason === 'maxTokens' ? 'length' : reason === 'abort' || controller.signal.aborted ? 'abort' : 'eog',
      promptTokens: Math.max(0, sequence.contextTokens.length - completionTokens),
      completionTokens,
      evaluatedTokens: after.usedInputTokens - before.usedInputTokens,
      firstTextMs,
      totalMs: performance.now() - started,
      rssBytes: process.memoryUsage().rss,
    });
  } finally {
    running.delete(m.id);
  }
}

process.on('message', (message: ToWorker) => {
  if (message.type === 'abort') return running.get(message.id)?.abort();
  const work = message.type === 'load' ? load(message) : generate(message);
  work.catch((error: unknown) =>
    send({
      type: 'error',
      ...(message.type === 'generate' ? { id: message.id } : {}),
      message: error instanceof Error ? error.message : String(error),
      ...(error instanceof TooLong ? { code: 'context' as const } : {}),
    }),
  );
});
// The parent is gone (killed, crashed): nothing is left to answer.
process.on('disconnect', () => process.exit(0));
