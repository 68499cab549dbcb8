/**
 * Keeps the API key from the commands the agent runs. They run as the same user, so they could
 * read it from this process's /proc/<pid>/environ and /proc/<pid>/cmdline, which keep what the
 * process was started with whatever process.env says afterwards. On Linux both areas are
 * rewritten in place: the process title replaces the command line (a `--api-key` with it), and
 * the key's bytes in the start-up environment are zeroed through /proc/self/mem. Every variable
 * holding the key leaves process.env too, so no child inherits it.
 *
 * What remains (README, "What leaves your machine"): the key is in this process's memory while it
 * runs (readable by root, or by the same user where ptrace is allowed); --api-key-file's path is
 * visible, and the file readable by the user's own commands; elsewhere than Linux only process.env
 * is cleaned, so prefer --api-key-file (or a key the server does not need).
 */
import * as fs from 'node:fs';

export interface HideResult {
  /** Whether /proc no longer shows the key (always true where there is no /proc). */
  hidden: boolean;
  reason?: string;
}

/** Keys at least this long are looked for inside other variables' values too. */
const MIN_EMBEDDED_KEY = 16;

export function hideSecrets(secret: string | undefined, title = 'stepwise'): HideResult {
  if (!secret) return { hidden: true };
  // The title first: it replaces the whole command line (a `--api-key` in it, the goal and paths too).
  try {
    process.title = title;
  } catch {
    // some platforms refuse; the check below tells
  }
  // A variable holding the key goes; one that merely contains it only when the key is long enough
  // to be one (a local server's "ollama" must not take PATH=/opt/ollama/bin with it).
  for (const [name, value] of Object.entries(process.env))
    if (value === secret || (secret.length >= MIN_EMBEDDED_KEY && value?.includes(secret))) delete process.env[name];
  if (process.platform !== 'linux') return { hidden: true };
  try {
    scrub('/proc/self/environ', secret, envRange());
    scrub('/proc/self/cmdline', secret, argRange());
  } catch (error) {
    return { hidden: !stillVisible(secret), reason: (error as Error).message };
  }
  return stillVisible(secret) ? { hidden: false, reason: 'the key is still visible in /proc/self' } : { hidden: true };
}

function stillVisible(secret: string): boolean {
  for (const file of ['/proc/self/environ', '/proc/self/cmdline']) {
    try {
      if (fs.readFileSync(file).includes(Buffer.from(secret))) return true;
    } catch {
      // not readable: nothing to see there
    }
  }
  return false;
}

/** Zeroes every occurrence of the secret in [start, end) of this process's memory, when the view shows one. */
function scrub(view: string, secret: string, [start, end]: [number, number]): void {
  if (!fs.readFileSync(view).includes(Buffer.from(secret)) || !(end > start)) return;
  const needle = Buffer.from(secret);
  const fd = fs.openSync('/proc/self/mem', 'r+');
  try {
    const area = Buffer.alloc(end - start);
    fs.readSync(fd, area, 0, area.length, start);
    for (let at = area.indexOf(needle); at !== -1; at = area.indexOf(needle, at + needle.length)) {
      const blank = Buffer.alloc(needle.length, 'x'.charCodeAt(0));
      fs.writeSync(fd, blank, 0, blank.length, start + at);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Fields 48–51 of /proc/self/stat: arg_start, arg_end, env_start, env_end. */
function statFields(): number[] {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [48, 49, 50, 51].map((field) => Number(rest[field - 3]));
}

function argRange(): [number, number] {
  const [a, b] = statFields();
  return [a ?? 0, b ?? 0];
}

function envRange(): [number, number] {
  const [, , a, b] = statFields();
  return [a ?? 0, b ?? 0];
}
