/**
 * Programs that run another command: `env`, `timeout`, `nice`, `nohup`, `time`, `command`,
 * `exec`, `stdbuf`, `setsid`, `xargs`, `bash|sh|zsh -c TEXT`, `eval TEXT`, and the privilege
 * wrappers (`sudo`, `doas`, `su`, `pkexec`, `run0`). Rules are matched against the command they
 * run, so `timeout 60 npm test` is `npm test`, and `bash -c 'npm test; curl x | sh'` is read as
 * the script it runs.
 */
// l10n-ignore-file: command-check reasons are shown on approval cards and also given to the model as why a step was asked
import { parseOptions, type OptionSpec } from './options';
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
  /** A wrapper option Stepwise does not follow (`env -C DIR`, `time -o FILE`, one it does not know). */
  unsure?: string;
  /** A shell given no script (`… | sh`, `sh -s`): it runs what it reads from its input. */
  stdinShell?: boolean;
}

interface WrapperSpec extends OptionSpec {
  /** Positional words before the command (timeout's duration). */
  positional?: number;
  privileged?: boolean;
  /** Options that make the wrapper do something this does not follow (run elsewhere, split a string). */
  unsure?: readonly string[];
  /** Options after which nothing runs (`command -v`). */
  noRun?: readonly string[];
}

const SIGNALS = ['block-signal', 'default-signal', 'ignore-signal'];
const WRAPPERS: Record<string, WrapperSpec> = {
  env: {
    flags: 'i0v',
    values: 'uCS',
    longFlags: ['ignore-environment', 'null', 'debug', 'list-signal-handling'],
    longValues: ['unset', 'chdir', 'split-string'],
    longOptional: SIGNALS,
    unsure: ['-C', '--chdir', '-S', '--split-string'],
  },
  timeout: { flags: 'v', values: 'sk', longFlags: ['preserve-status', 'foreground', 'verbose'], longValues: ['signal', 'kill-after'], positional: 1 },
  nice: { values: 'n', longValues: ['adjustment'] },
  nohup: {},
  time: { flags: 'pvqa', values: 'fo', longFlags: ['portability', 'verbose', 'quiet', 'append'], longValues: ['format', 'output'], unsure: ['-o', '--output'] },
  command: { flags: 'pvV', noRun: ['-v', '-V'] },
  exec: { flags: 'cl', values: 'a' },
  stdbuf: { values: 'ioe', longValues: ['input', 'output', 'error'] },
  setsid: { flags: 'cfw', longFlags: ['ctty', 'fork', 'wait'] },
  busybox: {},
  ionice: { flags: 'tx', values: 'cnpPu', longFlags: ['ignore'], longValues: ['class', 'classdata', 'pid', 'pgid', 'uid'] },
  taskset: { flags: 'acpV', longFlags: ['all-tasks', 'cpu-list', 'pid'], positional: 1 },
  unbuffer: { flags: 'p' },
  setpriv: { unsure: ['-'] },
  strace: { flags: 'fFhiqrtTvVxyDcCwk', values: 'abeIoOpPsSUuEX', unsure: ['-o', '-p'] },
  ltrace: { flags: 'bcCfhiLrStTV', values: 'aAeFlnopsuwxD', unsure: ['-o', '-p'] },
  flock: {
    flags: 'sxunoEFVh',
    values: 'wcE',
    longFlags: ['shared', 'exclusive', 'unlock', 'nonblock', 'close', 'no-fork', 'verbose'],
    longValues: ['timeout', 'conflict-exit-code', 'command'],
    positional: 1,
    unsure: ['-c', '--command'],
  },
  xargs: {
    flags: '0prtx',
    values: 'aEdILnPs',
    optional: 'eil',
    longFlags: ['null', 'interactive', 'no-run-if-empty', 'show-limits', 'verbose', 'exit', 'open-tty'],
    longValues: ['arg-file', 'delimiter', 'max-args', 'max-procs', 'max-chars', 'process-slot-var'],
    longOptional: ['eof', 'replace', 'max-lines'],
    unsure: ['-a', '--arg-file'],
  },
  sudo: {
    flags: 'AbEHiKklnPSsVv',
    values: 'CDghpRrTtUu',
    longFlags: [
      'askpass',
      'background',
      'preserve-env',
      'set-home',
      'login',
      'remove-timestamp',
      'reset-timestamp',
      'list',
      'non-interactive',
      'preserve-groups',
      'stdin',
      'shell',
      'validate',
    ],
    longValues: ['close-from', 'chdir', 'group', 'host', 'prompt', 'chroot', 'role', 'type', 'command-timeout', 'other-user', 'user'],
    privileged: true,
  },
  doas: { flags: 'Lns', values: 'Cu', privileged: true },
  pkexec: { longFlags: ['disable-internal-agent', 'keep-cwd'], longValues: ['user'], privileged: true },
  run0: {
    longFlags: ['no-ask-password', 'pty', 'pipe'],
    longValues: ['user', 'group', 'chdir', 'setenv', 'nice', 'unit', 'property', 'description', 'slice', 'machine'],
    values: 'ugDp',
    privileged: true,
  },
};

const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'ash']);
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
      if (name === 'su') result.privileged ??= 'su';
      const script = shellScript(result.words, name === 'su');
      if (script === undefined) {
        const args = result.words.slice(1).map((w) => w.value);
        if (name !== 'su' && (args.includes('-s') || args.every((a) => a !== undefined && /^[-+]/.test(a)))) result.stdinShell = true;
        return result;
      }
      result.wrappers.push(name);
      result.script = script;
      result.words = [];
      return result;
    }
    const spec = WRAPPERS[name];
    if (!spec) return result;
    const inner = afterOptions(result.words, spec, name === 'env' ? result.assignments : undefined);
    if (inner.noRun) return result;
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

/** The words after the wrapper's options (and env's assignments, timeout's duration). */
function afterOptions(words: Word[], spec: WrapperSpec, assignments: string[] | undefined): { words: Word[]; unsure?: string; noRun?: boolean } {
  let i = 1;
  let positional = spec.positional ?? 0;
  let unsure: string | undefined;
  for (;;) {
    const known = words.slice(i).findIndex((w) => w.value === undefined);
    const texts = (known < 0 ? words.slice(i) : words.slice(i, i + known)).map((w) => w.value!);
    // nice -10: an old-style adjustment.
    const parsed = parseOptions(texts, { ...spec, stopAtOperand: true, ...(words[0]?.value?.endsWith('nice') ? { flags: '0123456789' } : {}) });
    const found = parsed.options.find((o) => spec.unsure?.includes(o.name))?.name ?? parsed.unknown;
    unsure ??= found;
    if (parsed.options.some((o) => spec.noRun?.includes(o.name))) return { words: [], noRun: true };
    i += parsed.rest;
    const next = words[i]?.value;
    if (next !== undefined && assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(next)) {
      assignments.push(next.slice(0, next.indexOf('=')));
      i++;
      continue;
    }
    if (next !== undefined && positional > 0 && !next.startsWith('-')) {
      positional--;
      i++;
      continue;
    }
    return { words: words.slice(i), ...(unsure ? { unsure } : {}) };
  }
}

/** The TEXT of `sh [options] -c TEXT` (null when computed), or undefined when no `-c` is given. */
function shellScript(words: Word[], su: boolean): string | null | undefined {
  let command = false;
  for (let i = 1; i < words.length; i++) {
    const value = words[i]!.value;
    if (value === undefined) return null;
    if (value.startsWith('--command=')) return value.slice('--command='.length);
    // With -c, the script is the first word that is not an option (`bash -c -e 'cmd'`, `-c -- 'cmd'`).
    if (value === '-c' || value === '--command' || (!su && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(value))) {
      command = true;
      continue;
    }
    if (value === '-o' || value === '-O' || value === '+O' || value === '+o') {
      i++;
      continue;
    }
    if (value === '--' || /^[-+]/.test(value)) continue;
    if (command) return value;
    if (!su) return undefined;
  }
  return command ? null : undefined;
}
