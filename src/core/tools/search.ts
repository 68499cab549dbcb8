/** search: text or regex across the workspace, as path:line: text. */
import * as l10n from '@vscode/l10n';
import * as z from 'zod';
import { capText } from '../caps';
import { defineTool } from './defineTool';

export const search = defineTool({
  name: 'search',
  description: 'Search file contents. Case-insensitive unless the query has capitals.', // l10n-ignore: for the model
  risk: 'read',
  schema: z.object({
    query: z.string().min(1),
    path: z.string().optional().describe('Folder or file to search in'), // l10n-ignore: for the model
    regex: z.boolean().optional(),
    glob: z.string().optional().describe('e.g. *.ts'),
  }),
  async run(args, { host, limits, isPrivate, approve, hasPrivateRules, signal }) {
    // Stop, or the time limit: what was found by then is returned, marked as partial.
    const stop = AbortSignal.any([signal, AbortSignal.timeout(limits.searchTimeoutS * 1000)]);
    const result = await host.search({
      query: args.query,
      regex: args.regex ?? false,
      path: args.path,
      glob: args.glob,
      maxMatches: limits.maxSearchMatches,
      signal: stop,
    });
    if (signal.aborted) return { ok: false, output: 'The search was stopped: the task was cancelled.' }; // l10n-ignore: for the model
    let matches = result.matches;
    let withheld = '';
    // Lines from files listed in .stepwiseignore are shown only when the user allows it.
    const privateFiles = [...new Set(matches.map((m) => m.path).filter(isPrivate))];
    if (privateFiles.length) {
      const outcome = await approve({
        tool: 'search',
        risk: 'read',
        title:
          privateFiles.length === 1
            ? l10n.t('Show search results from a file listed in .stepwiseignore')
            : l10n.t('Show search results from {0} files listed in .stepwiseignore', privateFiles.length),
        detail: privateFiles.join('\n'),
        paths: privateFiles,
      });
      // Dropped without a word: saying how many (or whether any) would let the model probe the files by searching.
      if (!outcome.approved) matches = matches.filter((m) => !privateFiles.includes(m.path));
    }
    if (hasPrivateRules) withheld = '\n[Files listed in .stepwiseignore are searched only when the user allows it; matches in them may be left out.]'; // l10n-ignore: for the model
    const partial = result.stopped ? `\n[The search stopped after ${limits.searchTimeoutS} s before it was through; narrow it with path or glob.]` : ''; // l10n-ignore: for the model
    if (matches.length === 0) return { ok: true, output: `No matches${result.stopped ? ' so far' : ''}.${partial}${withheld}` }; // l10n-ignore: for the model
    const lines = matches.map((m) => `${m.path}:${m.line}: ${m.text}`);
    const more = result.truncated ? `\n[more than ${result.matches.length} matches; narrow the query, path or glob]` : partial; // l10n-ignore: for the model
    return { ok: true, output: capText(lines.join('\n') + more + withheld, limits.maxOutputChars) };
  },
});
