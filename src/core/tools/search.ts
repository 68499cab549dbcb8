/** search: text or regex across the workspace, as path:line: text. */
import * as z from 'zod';
import { capText } from '../caps';
import { defineTool } from './defineTool';

export const search = defineTool({
  name: 'search',
  description: 'Search file contents. Case-insensitive unless the query has capitals.',
  risk: 'read',
  schema: z.object({
    query: z.string().min(1),
    path: z.string().optional().describe('Folder or file to search in'),
    regex: z.boolean().optional(),
    glob: z.string().optional().describe('e.g. *.ts'),
  }),
  async run(args, { host, limits }) {
    const result = await host.search({
      query: args.query,
      regex: args.regex ?? false,
      path: args.path,
      glob: args.glob,
      maxMatches: limits.maxSearchMatches,
    });
    if (result.matches.length === 0) return { ok: true, output: 'No matches.' };
    const lines = result.matches.map((m) => `${m.path}:${m.line}: ${m.text}`);
    const more = result.truncated ? `\n[more than ${result.matches.length} matches; narrow the query, path or glob]` : '';
    return { ok: true, output: capText(lines.join('\n') + more, limits.maxOutputChars) };
  },
});
