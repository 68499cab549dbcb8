/** get_diagnostics: errors and warnings the editor knows about, for one file or all. */
// l10n-ignore-file: tool description and result are for the model
import * as z from 'zod';
import { capText } from '../caps';
import { defineTool } from './defineTool';

export const getDiagnostics = defineTool({
  name: 'get_diagnostics',
  description: 'Errors and warnings for a file, or the whole workspace.',
  risk: 'read',
  schema: z.object({ path: z.string().optional() }),
  async run(args, { host, limits }) {
    const report = await host.getDiagnostics(args.path);
    return { ok: true, output: capText(report || 'No problems.', limits.maxOutputChars) };
  },
});
