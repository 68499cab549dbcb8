/**
 * The search/replace edit matcher. applyEdits applies every block in order to the text as it
 * stands after the blocks before it, or refuses the whole call: a block must match exactly one
 * region, at the strictest tolerance level where it matches anything (see match.ts). Pure: no I/O.
 *
 * Bytes outside each edited region are kept as they were: a leading BOM (U+FEFF), CRLF or mixed
 * line endings, a missing final newline. Replacements are written by the model with LF; their
 * line breaks take the endings of the region they replace.
 */
import { shapeOf } from './candidates';
import { closestLine, closestRegions } from './closest';
import { isElisionMarker } from './elision';
import { indentUnitHint, mostlyTabs } from './indent';
import { blockLines, dominantEol, TextLines, toLF } from './lines';
import { type FileFacts, locate, type Prepared } from './match';
import { literalAnchor, looseKey } from './normalize';
import * as refuse from './refusal';
import type { BlockMatch, EditBlock, EditOutcome, RefusalReason } from './types';

export type { BlockMatch, EditBlock, EditOutcome, RefusalReason } from './types';

const BOM = '\uFEFF';

type Step = { ok: true; body: string; match: BlockMatch } | { ok: false; reason: RefusalReason; message: string };

export function applyEdits(text: string, edits: EditBlock[]): EditOutcome {
  if (edits.length === 0) {
    return { ok: false, block: 0, reason: 'invalid', message: 'No edits were given: pass at least one {search, replace} block.' };
  }
  const bom = text.startsWith(BOM);
  const original = bom ? text.slice(1) : text;
  let body = original;
  const matches: BlockMatch[] = [];
  for (let block = 0; block < edits.length; block++) {
    const step = applyOne(body, original, edits[block]!, block, edits.length);
    if (!step.ok) return { ok: false, block, reason: step.reason, message: step.message };
    body = step.body;
    matches.push(step.match);
  }
  return { ok: true, text: (bom ? BOM : '') + body, matches };
}

function applyOne(body: string, original: string, edit: EditBlock, block: number, total: number): Step {
  const label = refuse.editLabel(block, total);
  const p = prepare(edit);
  if (p.searchLF === p.replLF) return { ok: false, reason: 'invalid', message: refuse.noChange(label) };
  if (p.searchLF.trim() === '') {
    if (body !== '') return { ok: false, reason: 'invalid', message: refuse.emptySearch(label) };
    const replace = stripBom(edit.replace);
    return { ok: true, body: replace, match: { block, startLine: 1, endLine: 1, via: 'empty file', approximate: false } };
  }
  if (body === '') return { ok: false, reason: 'no_match', message: refuse.emptyFile(label) };

  const doc = new TextLines(body);
  const elided = findElision(doc, p);
  if (elided) return { ok: false, reason: 'elision', message: refuse.elision(label, elided.line, elided.index, elided.where) };

  const facts = factsOf(body);
  const found = locate(doc, p, facts);
  if (found.kind === 'match') {
    const { start, end, text } = found.rendered;
    const match = { block, startLine: found.first + 1, endLine: found.last + 1, via: found.via, approximate: found.approximate };
    return { ok: true, body: body.slice(0, start) + text + body.slice(end), match };
  }
  if (found.kind === 'already') {
    return { ok: false, reason: 'invalid', message: refuse.alreadyApplied(label, found.first, found.last) };
  }
  if (found.kind === 'ambiguous') {
    return { ok: false, reason: 'ambiguous', message: refuse.ambiguous(label, found.via, found.ranges, found.total) };
  }
  const before = block > 0 && body !== original ? locate(new TextLines(original), p, factsOf(original)) : null;
  const [top, second] = found.near;
  const twoAlike = top !== undefined && second !== undefined && top.score >= 0.7 && second.score >= top.score - 0.1;
  const regions = closestRegions(doc, p.shape, twoAlike ? 2 : 1);
  const near = regions.length === 0 ? closestLine(doc, p.shape) : null;
  const message = refuse.noMatch(label, regions, near && { ...near, text: doc.content(near.line) }, before?.kind === 'match');
  return { ok: false, reason: 'no_match', message };
}

function prepare(edit: EditBlock): Prepared {
  const search = stripBom(edit.search);
  const searchLF = toLF(search);
  const replLF = toLF(stripBom(edit.replace));
  const lines = blockLines(searchLF);
  const repl = blockLines(replLF);
  return {
    search,
    searchLF,
    replLF,
    searchHadCR: search !== searchLF,
    shape: shapeOf(lines),
    repl,
    unitHint: indentUnitHint([...lines, ...repl]),
  };
}

function factsOf(body: string): FileFacts {
  let eol: '\n' | '\r\n' | undefined;
  let tabs: boolean | undefined;
  return {
    eol: () => (eol ??= dominantEol(body)),
    usesTabs: () => (tabs ??= mostlyTabs(body)),
  };
}

/** An elision marker in the search that the file does not contain, or one the replacement adds. */
function findElision(doc: TextLines, p: Prepared): { line: string; index: number; where: 'search' | 'replace' } | null {
  const lines = p.shape.lines;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (isElisionMarker(line, true) && !fileHasLine(doc, line)) return { line, index: i, where: 'search' };
  }
  const searchKeys = new Set(lines.map((l) => looseKey(l)));
  for (let i = 0; i < p.repl.length; i++) {
    const line = p.repl[i] ?? '';
    if (isElisionMarker(line, false) && !searchKeys.has(looseKey(line)) && !fileHasLine(doc, line)) {
      return { line, index: i, where: 'replace' };
    }
  }
  return null;
}

function fileHasLine(doc: TextLines, line: string): boolean {
  const key = looseKey(line);
  const anchor = literalAnchor(key);
  if (anchor === '') {
    for (let i = 0; i < doc.count; i++) if (doc.looseKey(i) === key) return true;
    return false;
  }
  for (let at = doc.body.indexOf(anchor); at !== -1; ) {
    const i = doc.lineOf(at);
    if (doc.looseKey(i) === key) return true;
    at = doc.body.indexOf(anchor, doc.next(i));
  }
  return false;
}

function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}
