/**
 * Blocks with elision markers on both sides: `// ... existing code ...` in the search and at the
 * same place in the replacement. The parts between markers are anchors; each is found with the
 * usual tolerance ladder, and the edit applies only when exactly one way to place them all exists:
 * in order, without overlap, and with the code a marker stands for at least as indented as the
 * marker (it is code inside the same block, not the next function). That code is kept byte for
 * byte; each anchor is replaced by the replacement's part at the same place.
 */
import { width } from './indent';
import { TextLines } from './lines';
import { locate, type FileFacts } from './match';
import { isBlank, leadingWs } from './normalize';
import { prepare } from './prepare';
import * as refuse from './refusal';
import type { Rendered } from './render';

/** A block's lines split at its marker lines: segments[k] lies between marker groups k-1 and k. */
export interface Layout {
  search: string[][];
  repl: string[][];
  /** Per marker group between segments k and k+1: its indentation width in the search. */
  markerIndent: number[];
  /** Search line number (0-based) where each segment starts, for messages. */
  at: number[];
}

type Candidate = { first: number; last: number; rendered?: Rendered };
export type ElidedStep = { ok: true; body: string; first: number; last: number } | { ok: false; message: string };

const MAX_CANDIDATES = 64;
const TAB = 4;

/** Splits both sides at their markers; undefined when the markers do not stand at the same places. */
export function layoutOf(
  search: string[],
  repl: string[],
  isSearchMarker: (i: number) => boolean,
  isReplMarker: (line: string) => boolean,
): Layout | undefined {
  const s = split(search, isSearchMarker);
  const r = split(repl, (i) => isReplMarker(repl[i] ?? ''));
  if (s.segments.length !== r.segments.length) return undefined;
  return { search: s.segments, repl: r.segments, markerIndent: s.indents, at: s.at };
}

function split(lines: string[], isMarker: (i: number) => boolean) {
  const segments: string[][] = [[]];
  const indents: number[] = [];
  const at: number[] = [0];
  let inMarker = false;
  lines.forEach((line, i) => {
    if (isMarker(i)) {
      const w = width(leadingWs(line), TAB);
      if (inMarker) indents[indents.length - 1] = Math.min(indents.at(-1)!, w);
      else {
        indents.push(w);
        segments.push([]);
        at.push(i + 1);
      }
      inMarker = true;
      return;
    }
    inMarker = false;
    segments.at(-1)!.push(line);
    if (segments.at(-1)!.length === 1) at[at.length - 1] = i;
  });
  return { segments: segments.map(trimBlankEdges), indents, at };
}

function trimBlankEdges(lines: string[]): string[] {
  let from = 0;
  let to = lines.length;
  while (from < to && isBlank(lines[from]!)) from++;
  while (to > from && isBlank(lines[to - 1]!)) to--;
  return lines.slice(from, to);
}

/** Places every anchor and writes each one's replacement; refuses naming the anchor that cannot be placed. */
export function applyElided(doc: TextLines, layout: Layout, facts: FileFacts, label: string): ElidedStep {
  const anchors = layout.search.flatMap((seg, k) => (seg.length ? [k] : []));
  if (!anchors.length) return { ok: false, message: refuse.elisionOnlyMarkers(label) };
  const stray = layout.search.findIndex((seg, k) => !seg.length && (layout.repl[k]?.length ?? 0) > 0);
  if (stray >= 0) return { ok: false, message: refuse.elisionUnplaceable(label, layout.at[stray] ?? 0) };

  const options: Candidate[][] = [];
  for (const k of anchors) {
    const found = candidates(doc, layout, k, facts, label);
    if ('message' in found) return { ok: false, message: found.message };
    options.push(found);
  }
  const chosen = placeAnchors(doc, layout, anchors, options, label);
  if ('message' in chosen) return { ok: false, message: chosen.message };

  const edits: Rendered[] = [];
  for (let a = 0; a < anchors.length; a++) {
    const k = anchors[a]!;
    const c = chosen[a]!;
    if (same(layout.search[k]!, layout.repl[k]!)) continue;
    const rendered = c.rendered ?? renderWithin(doc, c, segmentEdit(layout, k), facts);
    if (!rendered) return { ok: false, message: refuse.elisionAnchor(label, 'missing', anchorText(layout, k), layout.at[k] ?? 0) };
    edits.push(rendered);
  }
  let body = doc.body;
  for (const e of edits.sort((x, y) => y.start - x.start)) body = body.slice(0, e.start) + e.text + body.slice(e.end);
  return { ok: true, body, first: chosen[0]!.first, last: chosen.at(-1)!.last };
}

function segmentEdit(layout: Layout, k: number) {
  const repl = layout.repl[k] ?? [];
  return prepare({ search: `${layout.search[k]!.join('\n')}\n`, replace: repl.length ? `${repl.join('\n')}\n` : '' });
}

/** Where anchor k may stand: every region its text matches at the strictest level that matches. */
function candidates(doc: TextLines, layout: Layout, k: number, facts: FileFacts, label: string): Candidate[] | { message: string } {
  const found = locate(doc, segmentEdit(layout, k), facts);
  const text = anchorText(layout, k);
  const at = layout.at[k] ?? 0;
  switch (found.kind) {
    case 'match':
      return [{ first: found.first, last: found.last, rendered: found.rendered }];
    case 'already':
      // An unchanged anchor is "already there" by definition; a changed one means the edit was made.
      return same(layout.search[k]!, layout.repl[k]!)
        ? [{ first: found.first, last: found.last }]
        : { message: refuse.alreadyApplied(label, found.first, found.last) };
    case 'ambiguous':
      if (found.total > MAX_CANDIDATES) return { message: refuse.elisionAnchor(label, 'many', text, at, found.ranges, found.total) };
      return found.ranges.map(([first, last]) => ({ first, last }));
    case 'none':
      return { message: refuse.elisionAnchor(label, 'missing', text, at) };
    case 'indent':
      return { message: refuse.indentConflict(label, found) };
  }
}

/**
 * The one placement of all anchors (forward and backward counts, capped at 2); refuses naming the
 * first anchor that cannot be placed after the one before it, or that fits several places.
 */
function placeAnchors(doc: TextLines, layout: Layout, anchors: number[], options: Candidate[][], label: string): Candidate[] | { message: string } {
  const deep = deepEnough(doc);
  const fits = (a: number, x: Candidate, y: Candidate): boolean => {
    if (x.last >= y.first) return false;
    const markers = layout.markerIndent.slice(anchors[a]!, anchors[a + 1]!);
    const floor = Math.min(...markers) + shiftOf(doc, layout.search[anchors[a]!]!, x);
    return floor <= 0 || deep(x.last + 1, y.first - 1, floor);
  };
  const forward = options.map((o) => o.map(() => 0));
  forward[0] = options[0]!.map(() => 1);
  for (let a = 1; a < options.length; a++) {
    forward[a] = options[a]!.map((y) =>
      Math.min(
        2,
        options[a - 1]!.reduce((n, x, i) => n + (forward[a - 1]![i]! && fits(a - 1, x, y) ? forward[a - 1]![i]! : 0), 0),
      ),
    );
    if (forward[a]!.every((n) => n === 0)) {
      return { message: refuse.elisionAnchor(label, 'order', anchorText(layout, anchors[a]!), layout.at[anchors[a]!] ?? 0) };
    }
  }
  const last = options.length - 1;
  const backward = options.map((o) => o.map(() => 0));
  backward[last] = options[last]!.map(() => 1);
  for (let a = last - 1; a >= 0; a--) {
    backward[a] = options[a]!.map((x) =>
      Math.min(
        2,
        options[a + 1]!.reduce((n, y, j) => n + (backward[a + 1]![j]! && fits(a, x, y) ? backward[a + 1]![j]! : 0), 0),
      ),
    );
  }
  const chosen: Candidate[] = [];
  for (let a = 0; a < options.length; a++) {
    const viable = options[a]!.filter((_, i) => forward[a]![i]! > 0 && backward[a]![i]! > 0);
    if (viable.length !== 1) {
      const k = anchors[a]!;
      const ranges = viable.map((c) => [c.first, c.last] as const);
      return { message: refuse.elisionAnchor(label, viable.length ? 'many' : 'order', anchorText(layout, k), layout.at[k] ?? 0, ranges, viable.length) };
    }
    chosen.push(viable[0]!);
  }
  return chosen;
}

/** Columns the file indents the anchor's first line more than the search does (its placement's shift). */
function shiftOf(doc: TextLines, segment: string[], c: Candidate): number {
  const mine = segment.find((l) => !isBlank(l)) ?? '';
  for (let line = c.first; line <= c.last; line++) {
    const theirs = doc.content(line);
    if (!isBlank(theirs)) return width(leadingWs(theirs), TAB) - width(leadingWs(mine), TAB);
  }
  return 0;
}

/**
 * Whether every non-blank line in a range of the file is indented at least `floor` columns. Scans
 * and stops at the first shallower line: a wrong placement usually meets one soon (the next
 * declaration), so this stays cheap on large files.
 */
function deepEnough(doc: TextLines): (from: number, to: number, floor: number) => boolean {
  const depths = new Map<number, number>();
  const depth = (i: number) => {
    let d = depths.get(i);
    if (d === undefined) {
      const line = doc.content(i);
      depths.set(i, (d = isBlank(line) ? Number.POSITIVE_INFINITY : width(leadingWs(line), TAB)));
    }
    return d;
  };
  return (from, to, floor) => {
    for (let i = from; i <= to; i++) if (depth(i) < floor) return false;
    return true;
  };
}

/** An anchor found among several places: its replacement written against those lines alone. */
function renderWithin(doc: TextLines, c: Candidate, p: ReturnType<typeof prepare>, facts: FileFacts): Rendered | undefined {
  const offset = doc.start(c.first);
  const part = new TextLines(doc.body.slice(offset, doc.next(c.last)));
  const found = locate(part, p, facts);
  return found.kind === 'match' ? { start: found.rendered.start + offset, end: found.rendered.end + offset, text: found.rendered.text } : undefined;
}

function anchorText(layout: Layout, k: number): string {
  return layout.search[k]?.find((l) => !isBlank(l)) ?? '';
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((l, i) => l === b[i]);
}
