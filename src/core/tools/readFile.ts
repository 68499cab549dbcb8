/** read_file: a text file, whole or by line range; large files by window, binary files named as such. */
// l10n-ignore-file: tool description and result are for the model
import * as z from 'zod';
import { capText } from '../caps';
import { defineTool } from './defineTool';

export const readFile = defineTool({
  name: 'read_file',
  description: 'Read a text file. For large files, read a range of lines.',
  risk: 'read',
  schema: z.object({
    path: z.string(),
    start_line: z.number().int().min(1).optional().describe('1-based, inclusive'),
    end_line: z.number().int().min(1).optional().describe('1-based, inclusive'),
  }),
  async run(args, { host, limits, signal }) {
    const start = args.start_line ?? 1;
    const requestedEnd = args.end_line ?? start + limits.maxReadLines - 1;
    if (requestedEnd < start) return { ok: false, output: 'end_line must not be before start_line.' };
    const end = Math.min(requestedEnd, start + limits.maxReadLines - 1);

    const file = await host.readFile(args.path, limits.maxReadBytes);
    if (file.kind === 'binary') return { ok: false, output: `${file.path} is a binary file (${file.size} bytes); its content cannot be shown as text.` };
    if (file.kind === 'not_utf8') return { ok: false, output: `${file.path} is not UTF-8 text (${file.size} bytes); it cannot be shown or edited.` };

    let lines: string[];
    let total: number | undefined;
    let moreFollows = false;
    let path = file.path;
    if (file.kind === 'too_large') {
      const window = await host.readLines(args.path, start, end, signal);
      lines = window.lines;
      total = window.totalLines;
      moreFollows = window.more === true;
      path = window.path;
    } else {
      const all = file.text.replace(/^\uFEFF/, '').split(/\r?\n/);
      if (all.length > 1 && all[all.length - 1] === '') all.pop();
      total = all.length;
      lines = all.slice(start - 1, end);
    }
    if (total !== undefined && start > Math.max(total, 1)) {
      return { ok: false, output: `${path} has ${total} lines; start_line ${start} is past the end.` };
    }
    const last = start + lines.length - 1;
    const whole = start === 1 && total !== undefined && last >= total;
    const header = whole ? `${path} (${total} lines)` : `${path} lines ${start}-${last}${total !== undefined ? ` of ${total}` : ''}`;
    const more =
      total !== undefined && last < total && args.end_line === undefined
        ? `\n[… ${total - last} more lines; read on with start_line ${last + 1}]`
        : moreFollows && args.end_line === undefined
          ? `\n[… more lines follow (a large file); read on with start_line ${last + 1}]`
          : '';
    return { ok: true, output: capText(`${header}\n${lines.join('\n')}${more}`, limits.maxOutputChars) };
  },
});
