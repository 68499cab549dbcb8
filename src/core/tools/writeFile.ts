/** write_file: create a file, or replace one whole (the user sees the diff against what is there). */
import * as l10n from '@vscode/l10n';
import * as z from 'zod';
import { defineTool, deniedResult } from './defineTool';
import { newProblemsNote, partialAcceptNote, unifiedDiff } from './diffPreview';

export const writeFile = defineTool({
  name: 'write_file',
  description: 'Create a file, or replace a whole file. Prefer edit_file for changes to existing files.', // l10n-ignore: for the model
  risk: 'edit',
  schema: z.object({ path: z.string(), content: z.string() }),
  async run(args, { host, limits, approve, isPrivate }) {
    const path = await host.resolve(args.path);
    const stat = await host.stat(path);
    if (stat && stat.type !== 'file') return { ok: false, output: `${path} exists and is not a file.` }; // l10n-ignore: for the model
    let before = '';
    let version: string | null = null;
    if (stat) {
      const file = await host.readFile(path, limits.maxReadBytes);
      if (file.kind !== 'text') return { ok: false, output: `${path} exists and is not a text file this tool can replace.` }; // l10n-ignore: for the model
      before = file.text;
      version = file.version;
      // Keep the file's BOM and line endings: the model writes plain LF text.
      const crlf = /\r\n/.test(before) && !/(^|[^\r])\n/.test(before);
      let content = crlf ? args.content.replace(/\r?\n/g, '\r\n') : args.content;
      if (before.startsWith('\uFEFF') && !content.startsWith('\uFEFF')) content = `\uFEFF${content}`;
      args = { ...args, content };
    }
    // For a file listed in .stepwiseignore, "already has this content" would tell the model what is in it: it is asked like any change.
    if (stat && before === args.content && !isPrivate(path)) return { ok: true, output: `${path} already has this content; nothing changed.` }; // l10n-ignore: for the model
    const decision = await approve({
      tool: 'write_file',
      risk: 'edit',
      title: stat ? l10n.t('Replace {0}', path) : l10n.t('Create {0}', path),
      detail: unifiedDiff(path, before, args.content),
      paths: [path],
      proposedContent: args.content,
      originalContent: before,
    });
    if (!decision.approved) return deniedResult(decision);
    const written = decision.revisedContent ?? args.content;
    await host.writeFile(path, written, version);
    // A final newline ends the last line; it does not start another.
    const lines = written === '' ? 0 : written.split('\n').length - (written.endsWith('\n') ? 1 : 0);
    const partial = partialAcceptNote(path, args.content, written);
    return {
      ok: true,
      output: `${stat ? 'Replaced' : 'Created'} ${path} (${lines} ${lines === 1 ? 'line' : 'lines'}).${partial}${await newProblemsNote(host, path)}`,
    };
  },
});
