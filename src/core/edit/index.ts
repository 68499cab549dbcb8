/**
 * The search/replace edit matcher. applyEdits applies every block in order to the text as it
 * stands after the blocks before it, or refuses the whole call: a block must match exactly one
 * region, at the strictest tolerance level where it matches anything (see match.ts). Pure: no I/O.
 *
 * Bytes outside each edited region are kept as they were: a leading BOM (U+FEFF), CRLF or mixed
 * line endings, a missing final newline. Replacements are written by the model with LF; their
 * line breaks take the endings of the region they replace.
 */
// l10n-ignore-file: edit refusals and match notes are tool results for the model
import { closestLine, closestRegions } from './closest';
import { applyElided, layoutOf } from './elided';
import { isElisionMarker } from './elision';
import { blockLines, dominantEol, TextLines, toLF } from './lines';
import { type FileFacts, locate, type Prepared } from './match';
import { literalAnchor, looseKey } from './normalize';
import { factsOf, prepare, stripBom } from './prepare';
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
  if (p.searchLF === '' || (p.searchLF.trim() === '' && body === '')) return appendOrWrite(body, edit, block);
  if (p.searchLF.trim() === '') return { ok: false, reason: 'invalid', message: refuse.emptySearch(label) };
  if (body === '') return { ok: false, reason: 'no_match', message: refuse.emptyFile(label) };

  const doc = new TextLines(body);
  const facts = factsOf(body);
  const markers = markersOf(doc, p);
  // Markers the file does not have: both sides must have them at the same places (elided.ts).
  if (markers.strict.length) return elidedStep(doc, p, markers.strict, facts, label, block);
  if (markers.added) return { ok: false, reason: 'elision', message: refuse.elision(label, markers.added.line, markers.added.index, 'replace') };

  const found = locate(doc, p, facts);
  if (found.kind === 'none' && markers.literal.length) {
    // A line such as `...` is also code (a Python stub): read as a marker only when the literal match fails.
    const step = elidedStep(doc, p, markers.literal, facts, label, block);
    if (step.ok) return step;
  }
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
  if (found.kind === 'indent') return { ok: false, reason: 'no_match', message: refuse.indentConflict(label, found) };
  const before = block > 0 && body !== original ? locate(new TextLines(original), p, factsOf(original)) : null;
  const [top, second] = found.near;
  const twoAlike = top !== undefined && second !== undefined && top.score >= 0.7 && second.score >= top.score - 0.1;
  const regions = closestRegions(doc, p.shape, twoAlike ? 2 : 1);
  const near = regions.length === 0 ? closestLine(doc, p.shape) : null;
  const message = refuse.noMatch(label, regions, near && { ...near, text: doc.content(near.line) }, before?.kind === 'match');
  return { ok: false, reason: 'no_match', message };
}

/**
 * An empty search: on an empty file it writes the replacement; on any other it appends it, after a
 * line break when the file does not end with one (in the file's own line ending).
 */
function appendOrWrite(body: string, edit: EditBlock, block: number): Step {
  const replace = stripBom(edit.replace);
  if (body === '') return { ok: true, body: replace, match: { block, startLine: 1, endLine: 1, via: 'empty file', approximate: false } };
  const eol = dominantEol(body);
  const lines = new TextLines(body).count;
  const text = toLF(replace).replace(/\n/g, eol);
  const joined = body.endsWith('\n') ? body + text : body + eol + text;
  const added = blockLines(toLF(replace)).length;
  return { ok: true, body: joined, match: { block, startLine: lines + 1, endLine: lines + Math.max(1, added), via: 'append', approximate: false } };
}

/** A block with markers: applied by its anchors when both sides have them at the same places; one side only is refused. */
function elidedStep(doc: TextLines, p: Prepared, markerLines: number[], facts: FileFacts, label: string, block: number): Step {
  const marked = new Set(markerLines);
  const code = new Set(p.shape.lines.filter((_, i) => !marked.has(i)).map((l) => looseKey(l)));
  const layout = layoutOf(
    p.shape.lines,
    p.repl,
    (i) => marked.has(i),
    (line) => isElisionMarker(line, true) && !code.has(looseKey(line)),
  );
  if (!layout) {
    const first = markerLines[0] ?? 0;
    return { ok: false, reason: 'elision', message: refuse.elision(label, p.shape.lines[first] ?? '', first, 'search') };
  }
  const step = applyElided(doc, layout, facts, label);
  if (!step.ok) return { ok: false, reason: 'elision', message: step.message };
  return { ok: true, body: step.body, match: { block, startLine: step.first + 1, endLine: step.last + 1, via: 'elision markers', approximate: false } };
}

/**
 * The block's marker lines: those the file does not have (`strict`), those it has (`literal`: code
 * unless the literal match fails), and a marker the replacement adds that the search does not have.
 */
function markersOf(doc: TextLines, p: Prepared): { strict: number[]; literal: number[]; added?: { line: string; index: number } } {
  const lines = p.shape.lines;
  const strict: number[] = [];
  const literal: number[] = [];
  lines.forEach((line, i) => {
    if (isElisionMarker(line, true)) (fileHasLine(doc, line) ? literal : strict).push(i);
  });
  const searchKeys = new Set(lines.map((l) => looseKey(l)));
  const index = p.repl.findIndex((line) => isElisionMarker(line, false) && !searchKeys.has(looseKey(line)) && !fileHasLine(doc, line));
  return { strict, literal, ...(index >= 0 ? { added: { line: p.repl[index]!, index } } : {}) };
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
