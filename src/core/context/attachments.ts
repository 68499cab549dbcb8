/**
 * What the user attached to a goal: `@path` in the goal (a path that exists in the workspace),
 * files given by the host (the CLI's --attach, the sidebar's mentions). Each is capped (the head is
 * kept, and said so); a file .stepwiseignore keeps from the model is attached only if the user
 * allows it; what cannot be attached is named, never dropped silently.
 */
import type { Host } from '../host/host';
import { type InstructionFile, readInstructionFile, type SkippedFile } from './instructionFiles';

export { filesBlock } from './instructionFiles';

/** One attached file's share of the prompt, in characters. */
export const ATTACHMENT_CHARS = 64_000;

export type Attachment = InstructionFile;

/** `@src/a.ts` in a goal: the word after `@`, without trailing punctuation (`user@host` is not one). */
export function mentionedPaths(goal: string): string[] {
  const found: string[] = [];
  for (const match of goal.matchAll(/(?:^|\s)@([^\s]+)/g)) {
    const path = match[1]!.replace(/[.,;:!?)\]}'"]+$/, '');
    if (path && !found.includes(path)) found.push(path);
  }
  return found;
}

/**
 * The files `@` names that exist in the workspace. `allowPrivate` is asked for one .stepwiseignore
 * keeps from the model (absent: not attached).
 */
export async function attachMentions(
  host: Host,
  goal: string,
  isPrivate: (path: string) => boolean,
  allowPrivate?: (path: string) => Promise<boolean>,
): Promise<{ attached: Attachment[]; skipped: SkippedFile[] }> {
  const attached: Attachment[] = [];
  const skipped: SkippedFile[] = [];
  for (const mention of mentionedPaths(goal)) {
    const stat = await host
      .resolve(mention)
      .then((p) => host.stat(p))
      .catch(() => undefined);
    if (stat?.type !== 'file') continue; // not a file in the workspace: just a word with an @
    const shown = await host.resolve(mention);
    const allowed = isPrivate(shown) && (await allowPrivate?.(shown));
    const read = await readInstructionFile(host, mention, allowed ? () => false : isPrivate, ATTACHMENT_CHARS);
    if ('file' in read) attached.push(read.file);
    else if ('skipped' in read) skipped.push(read.skipped);
  }
  return { attached, skipped };
}
