/** The messages between the embedded client (this process) and the model process (worker.ts). */

export interface WorkerMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export type ToWorker =
  | {
      type: 'load';
      /** node-llama-cpp's entry module in the user's cache (runtime.ts). */
      runtime: string;
      modelFile: string;
      /** The most context to allocate; less when the machine's memory cannot hold it. */
      maxContextTokens: number;
      gpu: boolean;
      /** The machine's cores: node-llama-cpp's own default starts more threads than a small machine has, and they spin. */
      threads: number;
    }
  | { type: 'generate'; id: number; messages: WorkerMessage[]; grammar?: string; maxTokens: number }
  | { type: 'abort'; id: number };

export type FromWorker =
  | {
      type: 'loaded';
      contextTokens: number;
      trainContextTokens: number;
      gpu: string | false;
      loadMs: number;
      /** Where the load's time went: node-llama-cpp's modules, its start (which tests its binary in a process of its own), the model, the context. */
      phases: { importMs: number; initMs: number; modelMs: number; contextMs: number };
      rssBytes: number;
    }
  | { type: 'text'; id: number; delta: string }
  | {
      type: 'done';
      id: number;
      stop: 'eog' | 'length' | 'abort';
      promptTokens: number;
      completionTokens: number;
      /** Prompt tokens evaluated for this answer (the rest came from the cache of the last one). */
      evaluatedTokens: number;
      /** From the request to the first text, and to the end. */
      firstTextMs: number | undefined;
      totalMs: number;
      rssBytes: number;
    }
  /** code 'context': the conversation does not fit the window. */
  | { type: 'error'; id?: number; message: string; code?: 'context' };
