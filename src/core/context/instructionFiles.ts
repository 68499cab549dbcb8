/**
 * Reading one instruction file through the Host: inside the workspace only (a link out is refused
 * by path safety), never a file .stepwiseignore keeps from the model, text only, and capped (the
 * head is kept, with a note of what was cut). What is not read is named with the reason.
 */
import * as l10n from '@vscode/l10n';
import { HostError, PathError, type Host } from '../host/host';

export interface InstructionFile {
  /** As Stepwise shows it (workspace-relative, with its folder's name in a multi-root workspace). */
  path: string;
  text: string;
  /** The file's size when only its head was kept. */
  cutFrom?: number;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export type ReadResult = { file: InstructionFile } | { skipped: SkippedFile } | { missing: true };

export async function readInstructionFile(host: Host, requested: string, isPrivate: (path: string) => boolean, maxChars: number): Promise<ReadResult> {
  let path: string;
  try {
    path = await host.resolve(requested);
  } catch (error) {
    if (error instanceof PathError) return { skipped: { path: requested, reason: l10n.t('not read: {0}', error.message) } };
    throw error;
  }
  const stat = await host.stat(path).catch(() => undefined);
  if (!stat) return { missing: true };
  if (stat.type !== 'file') return { skipped: { path, reason: l10n.t('not a regular file: not read') } };
  if (isPrivate(path)) return { skipped: { path, reason: l10n.t('kept from the model by .stepwiseignore: not read') } };
  try {
    const read = await host.readFile(path, maxChars * 4);
    switch (read.kind) {
      case 'binary':
        return { skipped: { path, reason: l10n.t('a binary file: not read') } };
      case 'not_utf8':
        return { skipped: { path, reason: l10n.t('not UTF-8 text: not read') } };
      case 'too_large': {
        const window = await host.readLines(path, 1, 2000);
        return { file: { path, text: window.lines.join('\n').slice(0, maxChars), cutFrom: read.size } };
      }
      case 'text': {
        const text = read.text.replace(/^\uFEFF/, '');
        return { file: { path, text: text.slice(0, maxChars), ...(text.length > maxChars ? { cutFrom: Buffer.byteLength(text) } : {}) } };
      }
    }
  } catch (error) {
    if (error instanceof PathError || error instanceof HostError) return { skipped: { path, reason: l10n.t('not read: {0}', error.message) } };
    throw error;
  }
}

/** The block the model reads: each file under its path, a cut one marked. */
export function filesBlock(files: readonly InstructionFile[], verb: 'shown' | 'attached' = 'shown'): string {
  return files
    .map((f) => {
      // l10n-ignore: the block is for the model
      const cut = f.cutFrom ? `\n[… cut: only the first ${f.text.length} characters of ${f.cutFrom} bytes are ${verb}]` : '';
      return `--- ${f.path} ---\n${f.text.trimEnd()}${cut}`;
    })
    .join('\n\n');
}
