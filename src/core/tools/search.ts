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
  async run(args, { host, limits, isPrivate, approve }) {
    const result = await host.search({
      query: args.query,
      regex: args.regex ?? false,
      path: args.path,
      glob: args.glob,
      maxMatches: limits.maxSearchMatches,
    });
    let matches = result.matches;
    let withheld = '';
    // Lines from files listed in .stepwiseignore are shown only when the user allows it.
    const privateFiles = [...new Set(matches.map((m) => m.path).filter(isPrivate))];
    if (privateFiles.length) {
      const outcome = await approve({
        tool: 'search',
        risk: 'read',
        title: `Show search results from ${privateFiles.length === 1 ? 'a file' : `${privateFiles.length} files`} listed in .stepwiseignore`,
        detail: privateFiles.join('\n'),
        paths: privateFiles,
      });
      if (!outcome.approved) {
        const hidden = matches.filter((m) => privateFiles.includes(m.path)).length;
        matches = matches.filter((m) => !privateFiles.includes(m.path));
        withheld = `\n[${hidden} match${hidden === 1 ? '' : 'es'} in ${privateFiles.join(', ')} withheld: listed in .stepwiseignore and not allowed by the user]`;
      }
    }
    if (matches.length === 0) return { ok: true, output: `No matches.${withheld}` };
    const lines = matches.map((m) => `${m.path}:${m.line}: ${m.text}`);
    const more = result.truncated ? `\n[more than ${result.matches.length} matches; narrow the query, path or glob]` : '';
    return { ok: true, output: capText(lines.join('\n') + more + withheld, limits.maxOutputChars) };
  },
});
