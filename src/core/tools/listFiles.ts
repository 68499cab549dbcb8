/** list_files: a folder's entries, or every file below it; honours .gitignore. */
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
  async run(args, { host, limits }) {
    const result = await host.listFiles(args.path ?? '', { recursive: args.recursive ?? false, limit: limits.maxListEntries });
    if (result.entries.length === 0) return { ok: true, output: '(empty)' };
    const more = result.omitted ? `\n[… ${result.omitted} more not shown; list a subfolder or use search]` : '';
    return { ok: true, output: result.entries.join('\n') + more };
  },
});
