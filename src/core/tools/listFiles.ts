/** list_files: a folder's entries, or every file below it; honours .gitignore. */
// l10n-ignore-file: tool description and result are for the model
import * as z from 'zod';
import { defineTool } from './defineTool';

export const listFiles = defineTool({
  name: 'list_files',
  description: 'List a folder (default: workspace root). Folders end with "/". Ignored files are skipped.',
  risk: 'read',
  schema: z.object({
    path: z.string().optional(),
    recursive: z.boolean().optional().describe('List all files below the folder'),
  }),
  async run(args, { host, limits, isPrivate }) {
    const result = await host.listFiles(args.path ?? '', { recursive: args.recursive ?? false, limit: limits.maxListEntries });
    // What is inside a folder listed in .stepwiseignore is not listed (unless that folder itself was asked for, and allowed).
    const target = (await host.resolve(args.path ?? '')).replace(/\/$/, '');
    const closed = new Set<string>();
    const entries = result.entries.filter((entry) => {
      const folder = privateAncestor(entry, target, isPrivate);
      if (folder) closed.add(folder);
      return !folder;
    });
    for (const folder of closed) entries.push(`${folder}/ [listed in .stepwiseignore: its contents are not listed]`);
    if (entries.length === 0) return { ok: true, output: '(empty)' };
    const more = result.omitted ? `\n[… ${result.omitted} more not shown; list a subfolder or use search]` : '';
    return { ok: true, output: entries.join('\n') + more };
  },
});

/** The closest folder above `entry` (and below the listed folder) that is private, if any. */
function privateAncestor(entry: string, target: string, isPrivate: (path: string) => boolean): string | undefined {
  const parts = entry.replace(/\/$/, '').split('/');
  const skip = target ? target.split('/').length : 0;
  for (let i = Math.max(1, skip + 1); i < parts.length; i++) {
    const folder = parts.slice(0, i).join('/');
    if (isPrivate(folder) || isPrivate(`${folder}/`)) return folder;
  }
  return undefined;
}
