/**
 * File access that cannot be steered out of the workspace or made to hang.
 *  - Only regular files are read: a FIFO, socket or device is refused (opened non-blocking, so
 *    opening one cannot hang), and what was opened is checked again through its descriptor.
 *  - Writes on Linux walk from the workspace root one folder at a time, each opened with
 *    O_DIRECTORY|O_NOFOLLOW, and go on through /proc/self/fd/<fd>/<name> (Node has no openat): a
 *    folder swapped for a symlink after the path was checked cannot redirect the write, the
 *    temporary file is created inside the verified folder, and the folder is checked to still be
 *    inside the workspace right before the rename. Elsewhere the resolved path is checked again
 *    before the rename; the race that remains there is documented in the README.
 */
// l10n-ignore-file: host errors and notes are tool results for the model
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { HostError, PathError } from './host';
import { isInside } from './pathSafety';

const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_DIRECTORY = constants.O_DIRECTORY ?? 0;
const PROC_FD = process.platform === 'linux';

/** What a non-regular file is, in words. */
function kindOf(stat: import('node:fs').Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * Opens a regular file inside `root` for reading. `display` names it in messages. The caller closes
 * the handle. Refuses anything else without blocking on it.
 */
export async function openRegularFile(root: string, real: string, display: string): Promise<fs.FileHandle> {
  const handle = await fs.open(real, constants.O_RDONLY | O_NONBLOCK).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw new HostError(`${display} does not exist. Use list_files or search to find the right path.`);
    if (error.code === 'ENXIO') throw new HostError(`${display} is a socket or device, not a regular file; Stepwise reads only regular files.`);
    throw error;
  });
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new HostError(`${display} is a directory; use list_files to see what it holds.`);
    if (!stat.isFile()) throw new HostError(`${display} is ${kindOf(stat)}, not a regular file; Stepwise reads only regular files.`);
    if (PROC_FD) {
      // The path was checked before; what was opened is checked now (a folder may have been swapped since).
      const opened = await fs.readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
      if (opened !== undefined && !isInside(root, opened)) throw new PathError(`"${display}" leads outside the workspace; it cannot be used.`);
    }
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The whole content of a regular file (see openRegularFile). */
export async function readRegularFile(root: string, real: string, display: string): Promise<Buffer> {
  const handle = await openRegularFile(root, real, display);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

export interface WriteInside {
  /** Workspace-relative path with forward slashes (already checked by pathSafety). */
  rel: string;
  text: string | Uint8Array;
  /** The new file's mode (default: the replaced file's, else 0666 less the umask). */
  mode?: number;
  /** Called with the current bytes (undefined: no file) before the write; throws to refuse it. */
  check(existing: Buffer | undefined): void;
}

/** Writes a file inside `root` atomically (temporary file + rename), keeping the mode of the file it replaces. */
export async function writeFileInside(root: string, write: WriteInside): Promise<void> {
  if (PROC_FD) return writeThroughDirFd(root, write);
  return writeByPath(root, write);
}

async function writeThroughDirFd(root: string, { rel, text, check, mode }: WriteInside): Promise<void> {
  const parts = rel.split('/').filter(Boolean);
  const name = parts.pop();
  if (!name) throw new HostError('A file name is needed.');
  let dir = await fs.open(root, constants.O_RDONLY | O_DIRECTORY);
  try {
    for (const part of parts) {
      const at = `/proc/self/fd/${dir.fd}/${part}`;
      const next = await fs.open(at, constants.O_RDONLY | O_DIRECTORY | O_NOFOLLOW).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw linkError(error, rel);
        await fs.mkdir(at).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw e;
        });
        return fs.open(at, constants.O_RDONLY | O_DIRECTORY | O_NOFOLLOW).catch((e: NodeJS.ErrnoException) => {
          throw linkError(e, rel);
        });
      });
      await dir.close();
      dir = next;
    }
    const target = `/proc/self/fd/${dir.fd}/${name}`;
    const existing = await readExisting(target, rel);
    check(existing?.bytes);
    const temp = `/proc/self/fd/${dir.fd}/.${name}.stepwise-${randomBytes(4).toString('hex')}.tmp`;
    const file = await fs.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, mode ?? existing?.mode ?? 0o666);
    try {
      await file.writeFile(text);
      if (mode !== undefined || existing) await file.chmod(mode ?? existing!.mode);
    } finally {
      await file.close();
    }
    try {
      // The folder is still inside the workspace (it may have been moved out since it was opened).
      const where = await fs.readlink(`/proc/self/fd/${dir.fd}`);
      if (!isInside(root, where)) throw new PathError(`The folder of "${rel}" was moved outside the workspace; nothing was written.`);
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  } finally {
    await dir.close();
  }
}

async function writeByPath(root: string, { rel, text, check, mode }: WriteInside): Promise<void> {
  const real = path.join(root, ...rel.split('/'));
  const existing = await readExisting(real, rel);
  check(existing?.bytes);
  await fs.mkdir(path.dirname(real), { recursive: true });
  const temp = path.join(path.dirname(real), `.${path.basename(real)}.stepwise-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.writeFile(temp, text, { mode: mode ?? existing?.mode, flag: 'wx' });
    if (mode !== undefined) await fs.chmod(temp, mode);
    const folder = await fs.realpath(path.dirname(real));
    if (!isInside(root, folder)) throw new PathError(`The folder of "${rel}" now leads outside the workspace; nothing was written.`);
    await fs.rename(temp, real);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/** The file being replaced, if any: a regular file only (never follows a final symlink, never blocks). */
async function readExisting(at: string, rel: string): Promise<{ bytes: Buffer; mode: number } | undefined> {
  const handle = await fs.open(at, constants.O_RDONLY | O_NONBLOCK | O_NOFOLLOW).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    if (error.code === 'EISDIR') throw new HostError(`${rel} is a directory.`);
    if (error.code === 'ENXIO') throw new HostError(`${rel} is a socket or device, not a regular file; it is left alone.`);
    throw linkError(error, rel);
  });
  if (!handle) return undefined;
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new HostError(`${rel} is a directory.`);
    if (!stat.isFile()) throw new HostError(`${rel} is ${kindOf(stat)}, not a regular file; it is left alone.`);
    return { bytes: await handle.readFile(), mode: stat.mode & 0o7777 };
  } finally {
    await handle.close();
  }
}

function linkError(error: NodeJS.ErrnoException, rel: string): Error {
  if (error.code === 'ELOOP' || error.code === 'ENOTDIR' || error.code === 'EMLINK') {
    return new PathError(`"${rel}" goes through a symbolic link (it changed after it was checked); nothing was written.`);
  }
  return error;
}
