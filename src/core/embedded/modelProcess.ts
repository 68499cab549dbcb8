/**
 * The model process seen from this side: started with node's fork (IPC), loaded once, then asked
 * for one answer at a time. Cancelling a load kills the process; cancelling an answer asks it to
 * stop and kills it when it has not within half a second, so either way the memory is given back.
 * Every process started is known (running()), so a CLI that must quit at once can end them.
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

export type Loaded = Omit<Extract<FromWorker, { type: 'loaded' }>, 'type'>;
export type Answered = Extract<FromWorker, { type: 'done' }>;

/** Why a model could not be loaded or an answer not made: a sentence naming the file. */
export class ModelProcessError extends Error {
  override name = 'ModelProcessError';
  constructor(
    message: string,
    readonly phase: 'load' | 'generate',
    readonly cancelled = false,
    /** The conversation does not fit the window the process allocated. */
    readonly tooLong = false,
  ) {
    super(message);
  }
}

type Listener = (message: FromWorker) => void;

/** How long a stopped answer may take to end before the process is killed (node-llama-cpp does not stop while it reads a prompt). */
const STOP_GRACE_MS = 500;

const running = new Set<ModelProcess>();

export class ModelProcess {
  private readonly listeners = new Set<Listener>();
  private stderr = '';
  private exited: string | undefined;
  private nextId = 1;
  private busy = false;

  /** The model processes running now. */
  static running(): ModelProcess[] {
    return [...running];
  }

  private constructor(
    private readonly child: ChildProcess,
    readonly modelFile: string,
  ) {
    running.add(this);
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.stderr = (this.stderr + d).slice(-4000)));
    child.on('message', (m: FromWorker) => this.tell(m));
    // A fork that fails, or a message sent as the process dies: told to whoever waits, never thrown.
    child.on('error', (error) => this.gone(error.message));
    child.on('exit', (code, signal) => {
      this.exited = signal ? `signal ${signal}` : `exit code ${code}`; // l10n-ignore: a status, inside a translated sentence
      running.delete(this);
    });
    // After exit, once its stderr is read whole: llama.cpp's last words are in the message.
    child.on('close', () => this.gone());
  }

  static async load(options: LoadOptions, signal: AbortSignal): Promise<{ process: ModelProcess; loaded: Loaded }> {
    const child = fork(options.workerPath, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [], serialization: 'json' });
    const proc = new ModelProcess(child, options.modelFile);
    try {
      const { type: _, ...loaded } = await proc.request<Extract<FromWorker, { type: 'loaded' }>>(
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

  /** One answer (one at a time): its text as it comes (onText), then how it ended and its token counts. */
  async generate(
    messages: WorkerMessage[],
    grammar: string | undefined,
    maxTokens: number,
    onText: (delta: string) => void,
    signal: AbortSignal,
  ): Promise<Answered> {
    if (signal.aborted) throw new ModelProcessError(l10n.t('Cancelled.'), 'generate', true);
    if (this.busy) throw new ModelProcessError(l10n.t('The embedded model is still answering another request.'), 'generate');
    const id = this.nextId++;
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      this.send({ type: 'abort', id });
      killTimer = setTimeout(() => this.dispose(), STOP_GRACE_MS);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    this.busy = true;
    try {
      return await this.request<Answered>({ type: 'generate', id, messages, ...(grammar ? { grammar } : {}), maxTokens }, undefined, (m, done, fail) => {
        if ('id' in m && m.id !== undefined && m.id !== id) return;
        if (m.type === 'text') onText(m.delta);
        else if (m.type === 'done') done(m);
        else if (m.type === 'error')
          fail(new ModelProcessError(signal.aborted ? l10n.t('Cancelled.') : m.message, 'generate', signal.aborted, m.code === 'context'));
      });
    } finally {
      this.busy = false;
      clearTimeout(killTimer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  get alive(): boolean {
    return this.exited === undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Ends the process and with it the model's memory. */
  dispose(): void {
    running.delete(this);
    if (this.alive) this.child.kill('SIGKILL');
  }

  private tell(m: FromWorker): void {
    for (const listen of [...this.listeners]) listen(m);
  }

  private gone(reason?: string): void {
    this.tell({ type: 'error', message: this.exitMessage(reason) });
  }

  private send(message: ToWorker): void {
    if (!this.alive || !this.child.connected) return;
    // A process that dies as the message leaves reports through 'error'/'close', not a throw.
    this.child.send(message, (error) => error && this.gone(error.message));
  }

  private request<T>(
    message: ToWorker,
    signal: AbortSignal | undefined,
    handle: (m: FromWorker, done: (value: T) => void, fail: (error: Error) => void) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = () => {
        settled = true;
        this.listeners.delete(listener);
        signal?.removeEventListener('abort', onAbort);
      };
      const listener: Listener = (m) =>
        settled ||
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

  private exitMessage(reason?: string): string {
    const last = this.stderr.trim().split('\n').slice(-2).join(' ').trim();
    const detail = [reason, last].filter(Boolean).join(': ');
    return l10n.t('the model process stopped ({0}){1}', this.exited ?? l10n.t('it could not be reached'), detail ? `: ${detail}` : '');
  }
}

/** A load failure in the user's words: the file, what llama.cpp said, and what to do. */
function loadFailure(file: string, reason: string): string {
  return l10n.t('Could not load the model {0}: {1}. The file may be cut short or damaged; download it again, or choose another GGUF file.', file, reason);
}
