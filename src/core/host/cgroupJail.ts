/**
 * A cgroup (v2) per command, where one can be had (Linux, a cgroup2 hierarchy this process may
 * write to: root, or a delegated subtree). Every process the command starts inherits it, and none
 * can leave it without write access to another cgroup — unlike a process group (setsid) or an
 * environment tag (a process can rewrite its environment). When the command ends, `cgroup.kill`
 * ends everything in it. Elsewhere, null: the caller falls back to the group and the tag.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CommandCgroup {
  /** The file a process writes its pid to, to join (the command's own shell does, first thing). */
  procsFile: string;
  /** Kills everything in the cgroup and removes it; resolves with how many processes were still there. */
  close(): Promise<number>;
}

let base: string | null | undefined;
let counter = 0;

/** Our own folder in the cgroup2 hierarchy for this Stepwise process, made on first use; null when there is none. */
function sessionFolder(): string | null {
  if (base !== undefined) return base;
  base = null;
  if (process.platform !== 'linux') return base;
  try {
    const mount = fs
      .readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .find((fields) => fields[fields.indexOf('-') + 1] === 'cgroup2')?.[4];
    const own = /^0::(.*)$/m.exec(fs.readFileSync('/proc/self/cgroup', 'utf8'))?.[1];
    if (!mount || own === undefined) return base;
    const folder = path.join(mount, own, `stepwise-${process.pid}`);
    fs.mkdirSync(folder);
    // A probe: the hierarchy must take processes and offer cgroup.kill (Linux 5.14+).
    if (!fs.existsSync(path.join(folder, 'cgroup.kill'))) {
      fs.rmdirSync(folder);
      return base;
    }
    base = folder;
    process.once('exit', () => {
      killAllCgroupsSync();
      removeCgroupsSync();
    });
  } catch {
    base = null;
  }
  return base;
}

export function openCommandCgroup(): CommandCgroup | null {
  const folder = sessionFolder();
  if (!folder) return null;
  const dir = path.join(folder, `command-${++counter}`);
  try {
    fs.mkdirSync(dir);
  } catch {
    return null;
  }
  return {
    procsFile: path.join(dir, 'cgroup.procs'),
    close: async () => {
      let left = 0;
      for (let round = 0; round < 50; round++) {
        const pids = readPids(dir);
        if (round === 0) left = pids.length;
        if (pids.length === 0) break;
        try {
          fs.writeFileSync(path.join(dir, 'cgroup.kill'), '1');
        } catch {
          for (const pid of pids) {
            try {
              process.kill(pid, 'SIGKILL');
            } catch {
              // gone
            }
          }
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      try {
        fs.rmdirSync(dir);
      } catch {
        // still emptying: removed with the session folder at exit
      }
      return left;
    },
  };
}

function readPids(dir: string): number[] {
  try {
    return fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** At exit, synchronously: every command cgroup of this process is killed and removed. */
export function killAllCgroupsSync(): void {
  if (!base) return;
  for (const name of safeList(base)) {
    const dir = path.join(base, name);
    try {
      fs.writeFileSync(path.join(dir, 'cgroup.kill'), '1');
    } catch {
      // not a command folder, or already gone
    }
  }
}

/** Removes the (emptied) session folder; best effort, at the end of the process. */
export function removeCgroupsSync(): void {
  if (!base) return;
  for (const name of safeList(base)) {
    try {
      fs.rmdirSync(path.join(base, name));
    } catch {
      // still has processes (they are being killed) or not a folder
    }
  }
  try {
    fs.rmdirSync(base);
  } catch {
    // not empty yet
  }
}

function safeList(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
}
