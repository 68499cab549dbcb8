/**
 * Runs a process non-interactively in its own process group, so that a timeout or a cancel kills
 * it together with everything it started. When it ends, whatever it left running is killed too —
 * its group, and every process carrying its tag (leftovers.ts) — so nothing it started goes on
 * writing to the workspace after the step. Where a cgroup can be had (cgroupJail.ts), the command
 * runs in its own, which nothing it starts can leave. Output is captured in bounded memory and
 * streamed live.
 */
// l10n-ignore-file: shell snippets, and notes in the command output for the model
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { stripVTControlCharacters } from 'node:util';
import { OutputCapture } from '../caps';
import type { CommandResult, RunOptions } from './host';
import { killAllTaggedSync, killTagged, newTag, TAG_VARIABLE } from './leftovers';
import { killAllCgroupsSync, openCommandCgroup } from './cgroupJail';
import { childEnvironment } from './commandEnvironment';

export interface ProcessSpec {
  /** A shell command line, or a program with arguments (no shell). */
  command: string;
  args?: string[];
  shell: boolean;
  cwd: string;
  env?: Record<string, string>;
}

/** Process groups still running: killed at once if the whole program must exit. */
const liveGroups = new Set<number>();

/** A long-running process group started elsewhere (an MCP server): killed with the rest if the program must exit. */
export function holdGroup(pid: number): { release(): void } {
  liveGroups.add(pid);
  return { release: () => liveGroups.delete(pid) };
}

export function killAllProcessGroups(): void {
  killAllCgroupsSync();
  killAllTaggedSync();
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  liveGroups.clear();
}

const KILL_GRACE_MS = 2000;

/** Windows has no process groups: taskkill ends the process and every process it started (/T). Untested here (Linux only). */
export function windowsKillArgs(pid: number): string[] {
  return ['/PID', String(pid), '/T', '/F'];
}

function killTreeWindows(pid: number): void {
  spawnSync('taskkill', windowsKillArgs(pid), { windowsHide: true, stdio: 'ignore', timeout: 5000 });
}

export interface ProcessLimits {
  headChars: number;
  tailChars: number;
}

/** What the command left running (in its cgroup, or escaped with its tag), killed; how many there were. */
async function sweepLeftovers(cgroup: ReturnType<typeof openCommandCgroup>, tag: string): Promise<number> {
  const [inCgroup, tagged] = await Promise.all([cgroup?.close().catch(() => 0) ?? 0, killTagged(tag).catch(() => 0)]);
  return Math.max(inCgroup, tagged);
}

/** Ends the command's process group (its process tree on Windows): at once, or TERM then KILL after a grace. */
export function groupKiller(pid: number | undefined, windows: boolean) {
  let forceTimer: NodeJS.Timeout | undefined;
  const killGroup = (signal: NodeJS.Signals) => {
    if (pid === undefined) return;
    try {
      if (windows) killTreeWindows(pid);
      else process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  return {
    killGroup,
    stop: () => {
      killGroup('SIGTERM');
      forceTimer ??= setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    },
    dispose: () => forceTimer && clearTimeout(forceTimer),
  };
}

/**
 * The command's output as text, escape sequences removed. One decoder per stream, so a character
 * split across two chunks is decoded whole; `close` flushes them and stops reading — even from a
 * daemon that escaped and kept the pipes open.
 */
function readOutput(child: ChildProcessByStdio<null, Readable, Readable>, take: (chunk: string) => void) {
  const decoders = { out: new StringDecoder('utf8'), err: new StringDecoder('utf8') };
  const push = (text: string) => text && take(stripVTControlCharacters(text));
  const onOut = (data: Buffer) => push(decoders.out.write(data));
  const onErr = (data: Buffer) => push(decoders.err.write(data));
  child.stdout.on('data', onOut);
  child.stderr.on('data', onErr);
  return {
    close: () => {
      push(decoders.out.end() + decoders.err.end());
      child.stdout.off('data', onOut).destroy();
      child.stderr.off('data', onErr).destroy();
    },
  };
}

/** The shell a command line runs in: Node's own choice for `shell: true` (told to the model as a machine fact). */
export function commandShell(): string {
  return process.platform === 'win32' ? process.env.ComSpec || 'cmd.exe' : '/bin/sh';
}

/**
 * Starts the command in its own process group (not on Windows), tagged in its environment, and —
 * where a cgroup could be opened — in that cgroup from its first instruction.
 */
function spawnTagged(spec: ProcessSpec, tag: string, cgroup: ReturnType<typeof openCommandCgroup>, windows: boolean) {
  const env: NodeJS.ProcessEnv = { ...childEnvironment(spec.env), [TAG_VARIABLE]: tag };
  let program = spec.command;
  let args = spec.args ?? [];
  let shell = spec.shell;
  if (cgroup) {
    // The shell joins the command's cgroup before it runs anything, so every process it starts is in it.
    env.STEPWISE_CGROUP_PROCS = cgroup.procsFile;
    const join = '{ echo $$ > "$STEPWISE_CGROUP_PROCS"; } 2>/dev/null; unset STEPWISE_CGROUP_PROCS; ';
    args = spec.shell ? ['-c', `${join}exec /bin/sh -c "$1"`, 'sh', spec.command] : ['-c', `${join}exec "$@"`, 'sh', spec.command, ...args];
    program = '/bin/sh';
    shell = false;
  }
  return spawn(program, args, { cwd: spec.cwd, shell, env, stdio: ['ignore', 'pipe', 'pipe'], detached: !windows, windowsHide: true });
}

export function runProcess(spec: ProcessSpec, options: RunOptions, limits: ProcessLimits): Promise<CommandResult> {
  // Stopped before it started: it never starts.
  if (options.signal.aborted) return Promise.resolve({ exitCode: null, output: '', timedOut: false, cancelled: true });
  return new Promise((resolve) => {
    const capture = new OutputCapture(limits.headChars, limits.tailChars);
    const windows = process.platform === 'win32';
    const tag = newTag();
    const cgroup = windows ? null : openCommandCgroup();
    const child = spawnTagged(spec, tag, cgroup, windows);
    if (child.pid !== undefined && !windows) liveGroups.add(child.pid);
    let timedOut = false;
    let cancelled = false;
    const { killGroup, stop, dispose: disposeKiller } = groupKiller(child.pid, windows);
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });

    const output = readOutput(child, (chunk) => {
      capture.push(chunk);
      options.onOutput?.(chunk);
    });

    let done = false;
    let exitGrace: NodeJS.Timeout | undefined;
    const finish = (exitCode: number | null, spawnError?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (exitGrace) clearTimeout(exitGrace);
      output.close();
      options.signal.removeEventListener('abort', onAbort);
      // The command is over: what it left running (in its group, or escaped with its tag) goes too.
      killGroup('SIGKILL');
      if (child.pid !== undefined) liveGroups.delete(child.pid);
      disposeKiller();
      if (spawnError) capture.push(`\n${spawnError.message}`);
      void sweepLeftovers(cgroup, tag).then((leftovers) => {
        if (leftovers > 0) capture.push(`\n[Stepwise stopped ${leftovers} process${leftovers === 1 ? '' : 'es'} this command left running]`);
        resolve({ exitCode: timedOut || cancelled ? null : exitCode, output: capture.text(), timedOut, cancelled });
      });
    };
    child.on('error', (error) => finish(null, error));
    child.on('close', (code) => finish(code));
    // A background child that keeps the pipes open would hold 'close' back until the timeout:
    // once the command itself has exited, give the pipes a moment, then end the whole group.
    child.on('exit', (code) => {
      exitGrace = setTimeout(() => {
        killGroup('SIGKILL');
        finish(code);
      }, 1000);
    });
  });
}
