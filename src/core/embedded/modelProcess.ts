/**
 * The model process seen from this side: started with node's fork (IPC), loaded once, then asked
 * for answers one at a time. Cancelling a load kills the process; cancelling an answer asks it to
 * stop and kills it when it has not within a second, so either way the memory is given back.
 */
import * as l10n from '@vscode/l10n';
import { type ChildProcess, fork } from 'node:child_process';
import type { FromWorker, ToWorker, WorkerMessage } from './workerProtocol';

export interface LoadOptions {
  /** The built worker (dist/embedded.js). */
  workerPath: string;
  /** node-llama-cpp's entry module (runtime.ts). */
  runtimeEntry: string;
  modelFile: string;
  maxContextTokens: number;
  gpu: boolean;
  threads: number;
}

export interface Loaded {
  contextTokens: number;
  trainContextTokens: number;
  gpu: string | false;
  loadMs: number;
  phases: { importMs: number; initMs: number; modelMs: number; contextMs: number };
  rssBytes: number;
}

/** Why a model could not be loaded or an answer not made: a sentence naming the file. */
export class ModelProcessError extends Error {
  override name = 'ModelProcessError';
  constructor(
    message: string,
    readonly phase: 'load' | 'generate',
    readonly cancelled = false,
  ) {
    super(message);
  }
}

type Listener = (message: FromWorker) => void;

/** How long a stopped answer may take to end before the process is killed. */
const STOP_GRACE_MS = 1000;

export class ModelProcess {
  private readonly listeners = new Set<Listener>();
  private stderr = '';
  private exited: string | undefined;
  private nextId = 1;

  private constructor(
    private readonly child: ChildProcess,
    readonly modelFile: string,
  ) {
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.stderr = (this.stderr + d).slice(-4000)));
    child.on('message', (m: FromWorker) => {
      for (const listen of this.listeners) listen(m);
    });
    child.on('exit', (code, signal) => {
      this.exited = signal ? `signal ${signal}` : `exit code ${code}`; // l10n-ignore: a status, inside a translated sentence
      for (const listen of this.listeners) listen({ type: 'error', message: this.exitMessage() });
    });
  }

  static async load(options: LoadOptions, signal: AbortSignal): Promise<{ process: ModelProcess; loaded: Loaded }> {
    const child = fork(options.workerPath, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [], serialization: 'json' });
    const proc = new ModelProcess(child, options.modelFile);
    try {
      const loaded = await proc.request<Loaded>(
        {
          type: 'load',
          runtime: options.runtimeEntry,
          modelFile: options.modelFile,
          maxContextTokens: options.maxContextTokens,
          gpu: options.gpu,
          threads: options.threads,
        },
        signal,
        (m, done, fail) => {
          if (m.type === 'loaded') done(m);
          else if (m.type === 'error') fail(new ModelProcessError(loadFailure(options.modelFile, m.message), 'load'));
        },
      );
      return { process: proc, loaded };
    } catch (error) {
      proc.dispose();
      throw error;
    }
  }

  /** One answer: its text as it comes (onText), then how it ended and its token counts. */
  generate(
    messages: WorkerMessage[],
    grammar: string | undefined,
    maxTokens: number,
    onText: (delta: string) => void,
    signal: AbortSignal,
  ): Promise<Extract<FromWorker, { type: 'done' }>> {
    const id = this.nextId++;
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      this.send({ type: 'abort', id });
      killTimer = setTimeout(() => this.dispose(), STOP_GRACE_MS);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    return this.request<Extract<FromWorker, { type: 'done' }>>(
      { type: 'generate', id, messages, ...(grammar ? { grammar } : {}), maxTokens },
      undefined,
      (m, done, fail) => {
        if ('id' in m && m.id !== id) return;
        if (m.type === 'text') onText(m.delta);
        else if (m.type === 'done') done(m);
        else if (m.type === 'error') fail(new ModelProcessError(signal.aborted ? l10n.t('Cancelled.') : m.message, 'generate', signal.aborted));
      },
    ).finally(() => {
      clearTimeout(killTimer);
      signal.removeEventListener('abort', onAbort);
    });
  }

  get alive(): boolean {
    return this.exited === undefined;
  }

  /** Ends the process and with it the model's memory. */
  dispose(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }

  private send(message: ToWorker): void {
    if (this.alive && this.child.connected) this.child.send(message);
  }

  private request<T>(
    message: ToWorker,
    signal: AbortSignal | undefined,
    handle: (m: FromWorker, done: (value: T) => void, fail: (error: Error) => void) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = () => {
        this.listeners.delete(listener);
        signal?.removeEventListener('abort', onAbort);
      };
      const listener: Listener = (m) =>
        handle(
          m,
          (value) => (finish(), resolve(value)),
          (error) => (finish(), reject(error)),
        );
      const onAbort = () => {
        finish();
        this.dispose();
        reject(new ModelProcessError(l10n.t('Cancelled.'), message.type === 'load' ? 'load' : 'generate', true));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.listeners.add(listener);
      if (!this.alive) return listener({ type: 'error', message: this.exitMessage() });
      this.send(message);
    });
  }

  private exitMessage(): string {
    const last = this.stderr.trim().split('\n').slice(-2).join(' ').trim();
    return l10n.t('the model process stopped ({0}){1}', this.exited ?? 'unknown', last ? `: ${last}` : '');
  }
}

/** A load failure in the user's words: the file, what llama.cpp said, and what to do. */
function loadFailure(file: string, reason: string): string {
  return l10n.t('Could not load the model {0}: {1}. The file may be cut short or damaged; download it again, or choose another GGUF file.', file, reason);
}
