/**
 * The stdio transport for an MCP server, started like the commands the agent runs: its own process
 * group, a tag in its environment (src/core/host/leftovers.ts), the commands' filtered environment
 * (never Stepwise's key) plus the server's own `env`. Closing it kills the group and anything
 * tagged that escaped it, so a server is reaped whatever it started. The last lines of its stderr
 * are kept to explain a failed start.
 */
// l10n-ignore-file: transport errors are tool results and log lines
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { killTagged, newTag, TAG_VARIABLE } from '../host/leftovers';
import { childEnvironment } from '../host/commandEnvironment';
import { groupKiller, holdGroup } from '../host/processRunner';

/** A server's answers may be large (they are capped for the model later); beyond this the server is stopped. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
const STDERR_KEPT = 4000;

export interface StdioOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Each line the server writes to stderr (for the output channel / log). */
  onStderr?(line: string): void;
}

export class StdioProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly buffer = new ReadBuffer({ maxBufferSize: MAX_MESSAGE_BYTES });
  private readonly tag = newTag();
  private stderr = '';
  private exit: string | undefined;
  private held: { release(): void } | undefined;
  private pid: number | undefined;

  constructor(private readonly options: StdioOptions) {}

  /** The end of what the server wrote to stderr. */
  stderrTail(): string {
    return this.stderr.trim();
  }

  /** How the process ended ("exit code 3", "signal SIGKILL"), once it has. */
  exitReason(): string | undefined {
    return this.exit;
  }

  start(): Promise<void> {
    const windows = process.platform === 'win32';
    return new Promise((resolve, reject) => {
      // The server's own env is written by the user and kept as written (a key of its own included);
      // only what it would inherit is filtered.
      const env = { ...childEnvironment(), ...this.options.env, [TAG_VARIABLE]: this.tag };
      const child = spawn(this.options.command, this.options.args, { cwd: this.options.cwd, env, detached: !windows, windowsHide: true });
      this.child = child;
      this.pid = child.pid;
      if (child.pid !== undefined && !windows) this.held = holdGroup(child.pid);
      child.once('error', (error) => {
        this.exit = error.message;
        reject(error);
        this.onerror?.(error);
      });
      child.once('spawn', () => resolve());
      // On exit, not close: a process the server left behind may hold its pipes open for ever.
      child.once('exit', (code, signal) => {
        this.exit ??= code !== null ? `exit code ${code}` : `signal ${signal}`;
        // What it wrote just before exiting (a crash's message) is still read, for a moment.
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
        }, 200).unref();
        this.reap();
        this.onclose?.();
      });
      child.stdout.on('data', (chunk: Buffer) => this.read(chunk));
      child.stdin.on('error', (error) => this.onerror?.(error));
      child.stderr.setEncoding('utf8').on('data', (text: string) => {
        this.stderr = (this.stderr + text).slice(-STDERR_KEPT);
        for (const line of text.split('\n')) if (line.trim()) this.options.onStderr?.(line);
      });
    });
  }

  private read(chunk: Buffer): void {
    try {
      this.buffer.append(chunk);
      for (let message = this.buffer.readMessage(); message; message = this.buffer.readMessage()) this.onmessage?.(message);
    } catch (error) {
      // Malformed JSON-RPC or an oversized message: the server cannot be talked to any more.
      this.exit = `it sent what is not JSON-RPC (${(error as Error).message.slice(0, 200)})`;
      this.onerror?.(new Error(this.exit));
      void this.close();
    }
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed) return Promise.reject(new Error(`the server is not running (${this.exit ?? 'not started'})`));
    return new Promise((resolve) => (stdin.write(serializeMessage(message)) ? resolve() : stdin.once('drain', () => resolve())));
  }

  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    const exited = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
    child.stdin.end();
    const killer = groupKiller(child.pid, process.platform === 'win32');
    killer.stop(); // SIGTERM now, SIGKILL after a grace period
    // SIGKILL ends it within the grace period; the cap only guards against a process that cannot be signalled.
    let cap: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((resolve) => (cap = setTimeout(resolve, 5_000)))]);
    clearTimeout(cap);
    killer.dispose();
    this.reap();
  }

  /** Whatever the server left in its group or tagged: it goes with the server. */
  private reap(): void {
    this.held?.release();
    this.held = undefined;
    if (this.pid !== undefined && process.platform !== 'win32') groupKiller(this.pid, false).killGroup('SIGKILL');
    void killTagged(this.tag).catch(() => undefined);
  }
}
