/**
 * edit_file: search/replace blocks applied in order by the matcher (src/core/edit); all or none.
 * The user approves the exact diff; the write is refused if the file changed after that diff.
 */
import * as l10n from '@vscode/l10n';
import * as z from 'zod';
import { applyEdits } from '../edit';
import { defineTool, deniedResult } from './defineTool';
import { diffStats, newProblemsNote, partialAcceptNote, unifiedDiff } from './diffPreview';

export const editFile = defineTool({
  name: 'edit_file',
  description:
    'Edit a file: each search text must match exactly one place (copy it from the file, with a few lines of context); it is replaced by replace. An empty search appends replace to the file. Edits apply in order, all or none.', // l10n-ignore: for the model
  risk: 'edit',
  schema: z.object({
    path: z.string(),
    edits: z.array(z.object({ search: z.string(), replace: z.string() })).min(1),
  }),
  async run(args, { host, limits, approve, isPrivate }) {
    // Matching an edit against a file reveals what is in it (an edit that "changes nothing", one that
    // "does not match"): a file listed in .stepwiseignore is read only after the user allows it.
    const target = await host.resolve(args.path);
    if (isPrivate(target)) {
      const read = await approve({ tool: 'edit_file', risk: 'read', title: l10n.t('Read {0} to edit it', target), paths: [target] });
      if (!read.approved) return deniedResult(read);
    }
    const file = await host.readFile(args.path, limits.maxReadBytes);
    if (file.kind === 'binary') return { ok: false, output: `${file.path} is a binary file; it cannot be edited.` }; // l10n-ignore: for the model
    if (file.kind === 'not_utf8') return { ok: false, output: `${file.path} is not UTF-8 text; it is left unchanged.` }; // l10n-ignore: for the model
    if (file.kind === 'too_large') {
      return { ok: false, output: `${file.path} is too large to edit (${file.size} bytes, limit ${limits.maxReadBytes}).` }; // l10n-ignore: for the model
    }
    const outcome = applyEdits(file.text, args.edits);
    if (!outcome.ok) return { ok: false, output: `${outcome.message}\nThe file was not changed.` }; // l10n-ignore: for the model
    if (outcome.text === file.text) return { ok: false, output: 'These edits change nothing; the file was not changed.' }; // l10n-ignore: for the model

    const diff = unifiedDiff(file.path, file.text, outcome.text);
    const decision = await approve({
      tool: 'edit_file',
      risk: 'edit',
      title: l10n.t('Edit {0}', file.path),
      detail: diff,
      paths: [file.path],
      proposedContent: outcome.text,
      originalContent: file.text,
    });
    if (!decision.approved) return deniedResult(decision);
    const written = decision.revisedContent ?? outcome.text;
    await host.writeFile(file.path, written, file.version);

    const { added, removed } = diffStats(written === outcome.text ? diff : unifiedDiff(file.path, file.text, written));
    const where = outcome.matches.map((m) => {
      const lines = m.startLine === m.endLine ? `line ${m.startLine}` : `lines ${m.startLine}-${m.endLine}`;
      if (m.approximate) return `edit ${m.block + 1}: approximate match at ${lines} — check that this is the place you meant`; // l10n-ignore: for the model
      return `edit ${m.block + 1}: ${lines}${m.via === 'exact' ? '' : ` (matched ignoring ${m.via})`}`;
    });
    const problems = await newProblemsNote(host, file.path);
    const partial = partialAcceptNote(file.path, outcome.text, written);
    return { ok: true, output: `Edited ${file.path} (+${added} -${removed}).\n${where.join('\n')}${partial}${problems}` };
  },
});
