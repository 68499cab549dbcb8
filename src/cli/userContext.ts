/**
 * What the CLI adds to a task's context from outside the workspace, because the user named it:
 * `--attach FILE` (any readable text file, capped) and the user's own instructions
 * (src/core/context/userInstructions.ts). A file that cannot be attached is a configuration error
 * (exit 2), never dropped silently.
 */
import * as fs from 'node:fs';
import { ATTACHMENT_CHARS, type Attachment } from '../core/context/attachments';
import { readUserInstructions } from '../core/context/userInstructions';
import { decodeUtf8, looksBinary } from '../core/host/nodeHost';
import type { TaskContextOptions } from '../core/context/taskContext';
import { escapeControls } from '../core/text/controlChars';
import type { TerminalInput } from './terminalInput';

export class AttachError extends Error {
  override name = 'AttachError';
}

/** The CLI's part of a task's context: the --attach files and the user's own instructions. */
export function cliContext(attach: readonly string[], env: NodeJS.ProcessEnv): TaskContextOptions {
  const user = readUserInstructions(env);
  return { attachments: attach.map(readAttachment), ...(user ? { userInstructions: user } : {}) };
}

/** On a terminal, `@` of a file .stepwiseignore keeps from the model is attached only if the user says so. */
export function askToAttach(terminal: TerminalInput, signal: AbortSignal): (path: string) => Promise<boolean> {
  return async (path) => {
    const answer = await terminal
      .ask(process.stderr, `\n${escapeControls(path)} is kept from the model (.stepwiseignore). Attach it anyway? (y/N) `, signal)
      .catch(() => 'n');
    return /^(y|yes)$/i.test(answer.trim());
  };
}

/** `--attach FILE`: its text (the head when it is large), shown by the name the user gave. */
export function readAttachment(file: string): Attachment {
  const head = readHead(file, ATTACHMENT_CHARS, '--attach');
  if (head === undefined) throw new AttachError(`--attach ${file}: no such file.`);
  return { path: file, ...head };
}

function readHead(file: string, maxChars: number, what: string): { text: string; cutFrom?: number } | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AttachError(`${what} ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new AttachError(`${what} ${file}: not a regular file.`);
    // UTF-8 takes at most 4 bytes a character: this many bytes hold the characters kept.
    const bytes = Buffer.alloc(Math.min(stat.size, maxChars * 4));
    const read = fs.readSync(fd, bytes, 0, bytes.length, 0);
    const kept = bytes.subarray(0, read);
    if (looksBinary(kept)) throw new AttachError(`${what} ${file}: a binary file; only text can be attached.`);
    const text = (decodeUtf8(kept) ?? kept.toString('utf8')).slice(0, maxChars);
    return text.length < stat.size && Buffer.byteLength(text) < stat.size ? { text, cutFrom: stat.size } : { text };
  } finally {
    fs.closeSync(fd);
  }
}
