/**
 * The terminal's input, read the whole time a task runs. A line typed before a question was
 * printed — typed ahead while a command ran, say — is thrown away: it can never answer a question
 * the user has not seen. Ctrl+D (end of input) answers every question "n".
 */
export class TerminalInput {
  private buffer = '';
  private waiter: ((line: string) => void) | undefined;
  private ended = false;

  constructor(private readonly input: NodeJS.ReadableStream) {
    input.setEncoding('utf8');
    input.on('data', this.onData);
    input.on('end', this.onEnd);
  }

  /** Writes the question and resolves with the first line typed after it; rejects if the task is stopped. */
  ask(output: NodeJS.WritableStream, question: string, signal: AbortSignal): Promise<string> {
    this.buffer = ''; // half a line typed ahead goes too
    if (signal.aborted) return Promise.reject(new Error('cancelled'));
    output.write(question);
    if (this.ended) return Promise.resolve('n');
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiter = undefined;
        reject(new Error('cancelled'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiter = (line) => {
        signal.removeEventListener('abort', onAbort);
        resolve(line);
      };
    });
  }

  /** Stops reading, so the process can end. */
  close(): void {
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.input.pause();
    this.waiter?.('n');
    this.waiter = undefined;
  }

  private readonly onData = (chunk: string | Buffer): void => {
    this.buffer += String(chunk);
    for (let nl = this.buffer.indexOf('\n'); nl !== -1; nl = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      const waiter = this.waiter;
      this.waiter = undefined;
      // No question is waiting: the line was typed ahead, and is dropped.
      waiter?.(line);
    }
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    this.waiter?.('n');
    this.waiter = undefined;
  };
}
