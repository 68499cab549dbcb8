/**
 * Processes a command leaves behind. Killing a command's process group catches what it started in
 * the background (`sleep 4; touch late.txt &`), but not what left the group (`setsid`, daemons).
 * So each command's environment carries a tag, and when the command ends every process whose
 * /proc/<pid>/environ holds that tag is killed too (Linux; a program that clears its environment,
 * e.g. `env -i`, escapes it — see the README).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';

export const TAG_VARIABLE = 'STEPWISE_COMMAND_TAG';
/** One per Stepwise process: every command's tag starts with it, so all can be found at exit. */
const SESSION = randomBytes(6).toString('hex');
let counter = 0;

export function newTag(): string {
  return `${SESSION}.${++counter}`;
}

/** Kills every process tagged with `tag` (or, with a session prefix, every command's); resolves once none is left. */
export async function killTagged(tag: string): Promise<number> {
  if (process.platform !== 'linux') return 0;
  let killed = 0;
  // A tagged process may fork while it is being killed: look again until nothing is found.
  for (let round = 0; round < 10; round++) {
    const pids = await taggedPids(tag);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return killed;
}

/** At exit, synchronously: every process any command of this Stepwise process started. */
export function killAllTaggedSync(): void {
  if (process.platform !== 'linux') return;
  for (const pid of scanSync(`${SESSION}.`)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function taggedPids(tag: string): Promise<number[]> {
  const needle = Buffer.from(`${TAG_VARIABLE}=${tag}\0`);
  const entries = await fs.promises.readdir('/proc').catch(() => [] as string[]);
  const found: number[] = [];
  await Promise.all(
    entries.map(async (entry) => {
      const pid = Number(entry);
      if (!Number.isInteger(pid) || pid === process.pid) return;
      const environ = await fs.promises.readFile(`/proc/${entry}/environ`).catch(() => undefined);
      if (environ && hasEntry(environ, needle)) found.push(pid);
    }),
  );
  return found;
}

/** `needle` ends with NUL, so `.1` never matches `.12`; the last entry may lack its NUL. */
function hasEntry(environ: Buffer, needle: Buffer): boolean {
  if (environ.includes(needle)) return true;
  const bare = needle.subarray(0, needle.length - 1);
  return environ.length >= bare.length && environ.subarray(environ.length - bare.length).equals(bare);
}

function scanSync(prefix: string): number[] {
  const needle = Buffer.from(`${TAG_VARIABLE}=${prefix}`);
  const found: number[] = [];
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`).includes(needle)) found.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}
