/**
 * What the CLI adds to a task's context from outside the workspace, because the user named it:
 * `--attach FILE` (any readable text file, capped, or a web page's readable text) and the user's own instructions
 * (src/core/context/userInstructions.ts). A file that cannot be attached is a configuration error
 * (exit 2), never dropped silently.
 */
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ATTACHMENT_CHARS, type Attachment } from '../core/context/attachments';
import { readUserInstructions } from '../core/context/userInstructions';
import type { ImagePart } from '../core/model/client';
import { decodeUtf8, looksBinary } from '../core/host/nodeHost';
import type { TaskContextOptions } from '../core/context/taskContext';
import { escapeControls } from '../core/text/controlChars';
import { attachUrl, isWebUrl } from '../core/web/urlAttachment';
import type { TerminalInput } from './terminalInput';

/** Larger images are refused: a model takes a few MB at most. */
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export class AttachError extends Error {
  override name = 'AttachError';
}

/** The CLI's part of a task's context: the --attach files and the user's own instructions; --attach URLs are fetched later (attachUrls). */
export function cliContext(attach: readonly string[], env: NodeJS.ProcessEnv): { context: TaskContextOptions; urls: string[] } {
  const user = readUserInstructions(env);
  const images: ImagePart[] = [];
  const attachments: Attachment[] = [];
  const urls: string[] = [];
  for (const file of attach) {
    if (isWebUrl(file)) {
      urls.push(file);
      continue;
    }
    const image = readImage(file);
    if (image) images.push(image);
    else attachments.push(readAttachment(file));
  }
  return { context: { attachments, ...(images.length ? { images } : {}), ...(user ? { userInstructions: user } : {}) }, urls };
}

/** `--attach URL`: the page's readable text. The user named it, so its host is not asked about; local addresses need --allow-local-fetch. */
export async function attachUrls(urls: readonly string[], allowLocal: boolean, signal: AbortSignal): Promise<Attachment[]> {
  const pages: Attachment[] = [];
  for (const url of urls) {
    try {
      pages.push(await attachUrl(url, { allowLocal, signal }));
    } catch (error) {
      if (signal.aborted) throw error;
      throw new AttachError(l10n.t('--attach {0}: {1}', url, (error as Error).message));
    }
  }
  return pages;
}

/** A PNG, JPEG, GIF or WebP file (by its first bytes, not its name), sent as an image; undefined for anything else. */
export function readImage(file: string): ImagePart | undefined {
  let head: Buffer;
  let size: number;
  try {
    size = fs.statSync(file).size;
    head = Buffer.alloc(12);
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, head, 0, 12, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined; // not readable as a file: readAttachment says why
  }
  const mimeType = imageType(head);
  if (!mimeType) return undefined;
  if (size > MAX_IMAGE_BYTES)
    throw new AttachError(
      l10n.t('--attach {0}: an image of {1} MB; at most {2} MB can be attached.', file, Math.round(size / 1024 / 1024), MAX_IMAGE_BYTES / 1024 / 1024),
    );
  return { name: path.basename(file), mimeType, data: fs.readFileSync(file).toString('base64') };
}

function imageType(head: Buffer): ImagePart['mimeType'] | undefined {
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return undefined;
}

/** On a terminal, `@` of a file .stepwiseignore keeps from the model is attached only if the user says so. */
export function askToAttach(terminal: TerminalInput, signal: AbortSignal): (path: string) => Promise<boolean> {
  return async (path) => {
    const answer = await terminal
      .ask(process.stderr, `\n${l10n.t('{0} is kept from the model (.stepwiseignore). Attach it anyway?', escapeControls(path))} (y/N) `, signal)
      .catch(() => 'n');
    return /^(y|yes)$/i.test(answer.trim());
  };
}

/** `--attach FILE`: its text (the head when it is large), shown by the name the user gave. */
export function readAttachment(file: string): Attachment {
  const head = readHead(file, ATTACHMENT_CHARS, '--attach');
  if (head === undefined) throw new AttachError(l10n.t('--attach {0}: no such file.', file));
  return { path: file, ...head };
}

function readHead(file: string, maxChars: number, what: string): { text: string; cutFrom?: number } | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AttachError(l10n.t('{0} {1}: cannot be read ({2}).', what, file, (error as NodeJS.ErrnoException).code ?? 'error'));
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new AttachError(l10n.t('{0} {1}: not a regular file.', what, file));
    // UTF-8 takes at most 4 bytes a character: this many bytes hold the characters kept.
    const bytes = Buffer.alloc(Math.min(stat.size, maxChars * 4));
    const read = fs.readSync(fd, bytes, 0, bytes.length, 0);
    const kept = bytes.subarray(0, read);
    if (looksBinary(kept)) throw new AttachError(l10n.t('{0} {1}: a binary file; only text and images (PNG, JPEG, GIF, WebP) can be attached.', what, file));
    const text = (decodeUtf8(kept) ?? kept.toString('utf8')).slice(0, maxChars);
    return text.length < stat.size && Buffer.byteLength(text) < stat.size ? { text, cutFrom: stat.size } : { text };
  } finally {
    fs.closeSync(fd);
  }
}
