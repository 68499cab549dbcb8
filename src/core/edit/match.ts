/**
 * The tolerance ladder for one block: exact text, line endings, then the line levels (see
 * candidates.ts), then similarity. The first level with any candidate decides: one candidate is
 * the match, several are a refusal. A looser level is never consulted to break a tie.
 */
// l10n-ignore-file: edit refusals and match notes are tool results for the model
import { alreadyThereLines, alreadyThereRaw } from './applied';
import { type BlockShape, grade, type Graded, LINE_LEVELS, lineCandidates } from './candidates';
import { planIndent, rebase, width } from './indent';
import { blockLines, type TextLines } from './lines';
import { isBlank, leadingWs } from './normalize';
import { type LineRegion, renderLines, renderSubstring, type Rendered } from './render';
import { similarRegion, type Scored } from './similarity';
import { exactHits, type Hit, lineEndingHits } from './substring';

/** Enough hits to report an ambiguity; the count beyond is not needed. */
const HIT_CAP = 10_000;

/** One block, read once: BOM stripped, LF versions, lines. */
export interface Prepared {
  search: string;
  searchLF: string;
  replLF: string;
  searchHadCR: boolean;
  shape: BlockShape;
  repl: string[];
  unitHint: number;
}

/** Lazily computed facts about the whole file. */
export interface FileFacts {
  eol: () => '\n' | '\r\n';
  usesTabs: () => boolean;
}

export type Located =
  | { kind: 'match'; via: string; approximate: boolean; first: number; last: number; rendered: Rendered }
  | { kind: 'ambiguous'; via: string; ranges: Array<readonly [number, number]>; total: number }
  | { kind: 'none'; near: Scored[] }
  | { kind: 'already'; first: number; last: number }
  /** The replacement's indentation fits neither the search's nor the file's (columns of the first lines). */
  | { kind: 'indent'; first: number; last: number; search: number; file: number; repl: number };

export function locate(doc: TextLines, p: Prepared, facts: FileFacts): Located {
  for (const [via, hits] of [
    ['exact', () => exactHits(doc.body, p.search, HIT_CAP)],
    ['line endings', () => lineEndingHits(doc.body, p.searchLF, p.searchHadCR, HIT_CAP)],
  ] as const) {
    const found = hits().filter((h) => !splitsWords(doc.body, h, p.searchLF));
    if (found.length === 1) {
      const hit = found[0]!;
      const first = doc.lineOf(hit.start);
      const last = hit.end > hit.start ? doc.lineOf(hit.end - 1) : first;
      if (alreadyThereRaw(doc.body, hit, p.searchLF, p.replLF)) return { kind: 'already', first, last };
      const rendered = renderHit(doc, hit, p, facts);
      if ('conflict' in rendered) return { kind: 'indent', first, last, ...rendered.conflict };
      return { kind: 'match', via, approximate: false, first, last, rendered };
    }
    if (found.length > 1) {
      const ranges = found.map((h) => [doc.lineOf(h.start), doc.lineOf(Math.max(h.start, h.end - 1))] as const);
      return { kind: 'ambiguous', via, ranges, total: found.length };
    }
  }

  const graded = lineCandidates(doc, p.shape)
    .map((c) => grade(doc, c, p.shape, p.unitHint, facts.usesTabs))
    .filter((g): g is Graded => g !== null);
  if (graded.length > 0) {
    const level = Math.min(...graded.map((g) => g.level));
    const best = graded.filter((g) => g.level === level);
    const via = LINE_LEVELS[level] ?? 'blank lines';
    if (best.length > 1) {
      return { kind: 'ambiguous', via, ranges: best.map((g) => [g.first, g.last] as const), total: best.length };
    }
    const g = best[0]!;
    const core = level === 0 ? p.shape.lines : p.shape.core;
    const repl = level === 0 ? p.repl : trimBlankEdges(p.repl, p.shape.lead, p.shape.trail);
    if (alreadyThereLines(doc, g.first, g.last, core, repl)) return { kind: 'already', first: g.first, last: g.last };
    const region = reframe(doc, g, core, repl);
    if ('conflict' in region) return { kind: 'indent', first: g.first, last: g.last, ...region.conflict };
    return { kind: 'match', via, approximate: false, first: g.first, last: g.last, rendered: renderLines(doc, region, core, repl, facts.eol()) };
  }

  const similar = similarRegion(doc, p.shape, p.unitHint, facts.usesTabs);
  if ('near' in similar) return { kind: 'none', near: similar.near };
  const { core } = p.shape;
  const first = similar.start;
  const last = first + core.length - 1;
  const repl = trimBlankEdges(p.repl, p.shape.lead, p.shape.trail);
  const region = reframe(doc, { first, last, map: core.map((_, i) => first + i), plan: similar.plan }, core, repl);
  if ('conflict' in region) return { kind: 'indent', first, last, ...region.conflict };
  return { kind: 'match', via: 'similarity', approximate: true, first, last, rendered: renderLines(doc, region, core, repl, facts.eol()) };
}

type Conflict = { conflict: { search: number; file: number; repl: number } };

/** The region with its plan rebased on the replacement's own first line (indent.ts rebase), or why not. */
function reframe(doc: TextLines, region: LineRegion, core: string[], repl: string[]): LineRegion | Conflict {
  const at = core.findIndex((l) => !isBlank(l));
  const fileLine = at >= 0 ? (region.map[at] ?? -1) : -1;
  if (fileLine < 0) return region;
  const searchFirst = core[at]!;
  const fileFirst = doc.content(fileLine);
  const replFirst = repl.find((l) => !isBlank(l));
  const plan = rebase(region.plan, searchFirst, fileFirst, replFirst);
  if (plan) return { ...region, plan };
  const columns = (line: string) => width(leadingWs(line), region.plan.tabWidth);
  return { conflict: { search: columns(searchFirst), file: columns(fileFirst), repl: columns(replFirst ?? '') } };
}

/**
 * A raw-text hit. The replacement's final newline is made to agree with the search's (a model
 * that drops it would otherwise join two lines). A one-line search found after indentation moves
 * the extra replacement lines by that indentation, as if it had been matched as a whole line.
 */
function renderHit(doc: TextLines, hit: Hit, p: Prepared, facts: FileFacts): Rendered | Conflict {
  const body = doc.body;
  const next = body.charCodeAt(hit.end);
  const endsAfterBreak = hit.virtualEnd || (hit.end > hit.start && body.charCodeAt(hit.end - 1) === 10);
  const atLineEnd = endsAfterBreak || hit.end === body.length || next === 10 || (next === 13 && body.charCodeAt(hit.end + 1) === 10);
  let repl = p.replLF;
  const searchEndsLine = p.searchLF.endsWith('\n');
  if (searchEndsLine && repl !== '' && !repl.endsWith('\n')) repl += '\n';
  else if (!searchEndsLine && repl.endsWith('\n') && atLineEnd) repl = repl.slice(0, -1);

  const line = doc.lineOf(hit.start);
  const prefix = body.slice(doc.start(line), hit.start);
  const searchLines = blockLines(p.searchLF);
  const replLines = blockLines(repl);
  const lastLine = hit.end >= body.length ? doc.count - 1 : doc.lineOf(hit.end);
  const indentOnly = /^[ \t]*$/.test(prefix);
  if (repl === '' && indentOnly && atLineEnd) {
    // Whole lines deleted (the model may have left out the first line's indentation): take
    // their indentation and line breaks too rather than leave blank lines behind (or, at the
    // end of a file without a final newline, the break before them).
    if (searchEndsLine && !hit.virtualEnd) return { start: doc.start(line), end: hit.end, text: '' };
    const plan = planIndent([], p.unitHint, facts.usesTabs)!;
    const map = searchLines.map((_, i) => line + i);
    return renderLines(doc, { first: line, last: lastLine, map, plan }, searchLines, [], facts.eol());
  }
  if (searchLines.length === 1 && prefix !== '' && indentOnly && atLineEnd && replLines.length > 0) {
    const plan = planIndent([[doc.content(line), searchLines[0] ?? '']], p.unitHint, facts.usesTabs);
    const region = plan && reframe(doc, { first: line, last: line, map: [line], plan }, searchLines, replLines);
    if (region && 'conflict' in region) return region;
    if (region) return renderLines(doc, region, searchLines, replLines, facts.eol());
  }
  return renderSubstring(doc, hit, p.searchLF, repl, facts.eol());
}

const WORD = /[\p{L}\p{N}_$]/u;

/**
 * A raw hit that starts or ends inside a word, for a search of several words: `x = 1` inside
 * `max = 10`. The model meant a line it misremembered, not this one. A single-word search
 * (fixing part of an identifier) may still split a word.
 */
function splitsWords(body: string, hit: Hit, searchLF: string): boolean {
  if (!/\s/.test(searchLF.trim())) return false;
  const isWord = (c: string | undefined): boolean => c !== undefined && WORD.test(c);
  const startSplits = isWord(body[hit.start - 1]) && isWord(searchLF[0]);
  const endSplits = !hit.virtualEnd && isWord(body[hit.end]) && isWord(searchLF[searchLF.length - 1]);
  return startSplits || endSplits;
}

function trimBlankEdges(lines: string[], lead: number, trail: number): string[] {
  let from = 0;
  while (from < lead && from < lines.length && isBlank(lines[from] ?? '')) from++;
  let to = lines.length;
  while (lines.length - to < trail && to > from && isBlank(lines[to - 1] ?? '')) to--;
  return lines.slice(from, to);
}
