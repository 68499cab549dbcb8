/**
 * Programs that run another command: `env`, `timeout`, `nice`, `nohup`, `time`, `command`,
 * `exec`, `stdbuf`, `setsid`, `xargs`, `bash|sh|zsh -c TEXT`, `eval TEXT`, and the privilege
 * wrappers (`sudo`, `doas`, `su`, `pkexec`, `run0`). Rules are matched against the command they
 * run, so `timeout 60 npm test` is `npm test`, and `bash -c 'npm test; curl x | sh'` is read as
 * the script it runs.
 */
import type { Word } from './shellSyntax';

export interface Unwrapped {
  /** The words of the command that finally runs. */
  words: Word[];
  /** Wrappers taken off, outermost first. */
  wrappers: string[];
  /** The words at each wrapper taken off (for deny rules, which may name a wrapper). */
  layers: Word[][];
  /** Variables a wrapper sets for it (`env FOO=1 cmd`). */
  assignments: string[];
  /** The privilege wrapper it runs under, if any. */
  privileged?: string;
  /** xargs: more arguments come from its input, unseen. */
  moreArgs?: boolean;
  /** `bash -c TEXT`, `eval TEXT`: the script it runs; null when the script is computed. */
  script?: string | null;
  /** A wrapper option Stepwise does not follow (`env -C DIR`, `time -o FILE`). */
  unsure?: string;
}

interface WrapperSpec {
  /** Options that take the next word as their value. */
  withValue: readonly string[];
  /** Positional words before the command (timeout's duration). */
  positional?: number;
  privileged?: boolean;
  /** Options that make the wrapper do something this does not follow. */
  unsure?: readonly string[];
}

const WRAPPERS: Record<string, WrapperSpec> = {
  env: { withValue: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string'], unsure: ['-C', '--chdir', '-S', '--split-string'] },
  timeout: { withValue: ['-s', '--signal', '-k', '--kill-after'], positional: 1 },
  nice: { withValue: ['-n', '--adjustment'] },
  nohup: { withValue: [] },
  time: { withValue: ['-f', '--format', '-o', '--output'], unsure: ['-o', '--output'] },
  command: { withValue: [] },
  exec: { withValue: ['-a'] },
  stdbuf: { withValue: ['-i', '-o', '-e', '--input', '--output', '--error'] },
  setsid: { withValue: [] },
  xargs: { withValue: ['-a', '--arg-file', '-d', '--delimiter', '-E', '-I', '-L', '-n', '--max-args', '-P', '--max-procs', '-s', '--max-chars'], unsure: ['-a', '--arg-file'] },
  sudo: { withValue: ['-u', '--user', '-g', '--group', '-C', '--close-from', '-D', '--chdir', '-h', '--host', '-p', '--prompt', '-r', '--role', '-t', '--type', '-U', '--other-user', '-T', '--command-timeout'], privileged: true },
  doas: { withValue: ['-u', '-C'], privileged: true },
  pkexec: { withValue: ['--user'], privileged: true },
  run0: { withValue: ['-u', '--user', '-g', '--group', '-D', '--chdir', '--setenv', '--nice', '--unit', '--property', '--description', '--slice'], privileged: true },
};

const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'busybox']);
const MAX_DEPTH = 8;

/** The command under any wrappers. A bare wrapper (`env`, `nice`) is a command of its own. */
export function unwrap(words: Word[]): Unwrapped {
  const result: Unwrapped = { words, wrappers: [], layers: [], assignments: [] };
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const name = programName(result.words[0]?.value);
    if (name === undefined) return result;
    if (name === 'eval') {
      const rest = result.words.slice(1);
      result.wrappers.push('eval');
      result.script = rest.every((w) => w.value !== undefined) ? rest.map((w) => w.value).join(' ') : null;
      result.words = [];
      return result;
    }
    if (SHELLS.has(name) || name === 'su') {
      const script = shellScript(result.words, name === 'su');
      if (script === undefined) {
        if (name === 'su') result.privileged = 'su';
        return result;
      }
      result.wrappers.push(name);
      if (name === 'su') result.privileged = 'su';
      result.script = script;
      result.words = [];
      return result;
    }
    const spec = WRAPPERS[name];
    if (!spec) return result;
    if (name === 'command' && result.words.slice(1).some((w) => w.value === '-v' || w.value === '-V')) return result;
    const inner = afterOptions(result.words, spec, name === 'env' ? result.assignments : undefined);
    if (inner.unsure) result.unsure ??= `${name} ${inner.unsure}`;
    if (inner.words.length === 0) return result;
    result.wrappers.push(name);
    result.layers.push(inner.words);
    if (spec.privileged) result.privileged ??= name;
    if (name === 'xargs') result.moreArgs = true;
    result.words = inner.words;
  }
  result.unsure ??= 'too many nested wrappers';
  return result;
}

/** The program's name without its folder (`/usr/bin/env` → `env`); undefined when computed. */
export function programName(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value.slice(value.lastIndexOf('/') + 1);
}

function afterOptions(words: Word[], spec: WrapperSpec, assignments: string[] | undefined): { words: Word[]; unsure?: string } {
  let i = 1;
  let unsure: string | undefined;
  let positional = spec.positional ?? 0;
  while (i < words.length) {
    const value = words[i]!.value;
    if (value === undefined) return { words: words.slice(i), ...(unsure ? { unsure } : {}) };
    if (value === '--') {
      i++;
      break;
    }
    if (value.startsWith('-') && value.length > 1) {
      const name = value.includes('=') ? value.slice(0, value.indexOf('=')) : value;
      if (spec.unsure?.some((u) => u === name || (u.length === 2 && name.startsWith(u)))) unsure ??= name;
      i += spec.withValue.includes(value) ? 2 : 1;
      continue;
    }
    if (assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(value)) {
      assignments.push(value.slice(0, value.indexOf('=')));
      i++;
      continue;
    }
    if (positional > 0) {
      positional--;
      i++;
      continue;
    }
    break;
  }
  return { words: words.slice(i), ...(unsure ? { unsure } : {}) };
}

/** The TEXT of `sh [options] -c TEXT` (null when computed), or undefined when no `-c` is given. */
function shellScript(words: Word[], su: boolean): string | null | undefined {
  for (let i = 1; i < words.length; i++) {
    const value = words[i]!.value;
    if (value === undefined) return null;
    if (value === '-c' || value === '--command' || (!su && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(value))) {
      const script = words[i + 1];
      return script ? (script.value ?? null) : null;
    }
    if (value.startsWith('--command=')) return value.slice('--command='.length);
    if (value === '-o' || value === '-O' || value === '+O' || value === '+o') {
      i++;
      continue;
    }
    if (!value.startsWith('-') && !value.startsWith('+') && !su) return undefined;
  }
  return undefined;
}
