/**
 * What to tell the model when a block matches nowhere: the file regions most like the block,
 * aligned line by line, and the few lines that differ. Only runs on refusals, so it may read the
 * whole file, but it stays bounded (a few windows, alignment capped in size).
 */
// l10n-ignore-file: edit refusals and match notes are tool results for the model
import type { BlockShape } from './candidates';
import type { TextLines } from './lines';
import { indentKey, isBlank, literalAnchor, looseKey, spaceKey } from './normalize';
import { ratio, votedWindows } from './similarity';

const PAD = 3;
const MAX_ALIGN = 400;
const MAX_NOTES = 3;

export interface Region {
  /** 0-based, inclusive. */
  first: number;
  last: number;
  notes: string[];
}

/** Up to `limit` non-overlapping regions most like the block, best first. */
export function closestRegions(doc: TextLines, shape: BlockShape, limit: number): Region[] {
  const out: Region[] = [];
  const windows = votedWindows(doc, shape, 20)
    .map((w) => ({ start: w.start, score: likeness(doc, shape, w.start) }))
    .sort((a, b) => b.score - a.score || a.start - b.start);
  for (const w of windows) {
    if (out.length >= limit) break;
    const region = describe(doc, shape, w.start);
    if (region && !out.some((r) => region.first <= r.last && r.first <= region.last)) out.push(region);
  }
  return out;
}

/** Mean similarity of the block's lines to the file lines at the same offsets. */
function likeness(doc: TextLines, shape: BlockShape, start: number): number {
  let sum = 0;
  shape.core.forEach((line, t) => {
    const i = start + t;
    if (i >= 0 && i < doc.count) sum += ratio(looseKey(line), doc.looseKey(i));
  });
  return sum / Math.max(1, shape.core.length);
}

/** One step of an alignment: block line s against file line f; -1 when the line is on one side only. */
interface Op {
  s: number;
  f: number;
}

/** Align the block with file lines around `start` (LCS on loose keys) and note the differences. */
function describe(doc: TextLines, shape: BlockShape, start: number): Region | null {
  const mine = shape.core.slice(0, MAX_ALIGN);
  const lo = Math.max(0, start - PAD);
  const hi = Math.min(doc.count, start + mine.length + PAD);
  const theirs: number[] = [];
  for (let i = lo; i < hi; i++) theirs.push(i);
  const ops = align(
    mine.map((l) => looseKey(l)),
    theirs.map((i) => doc.looseKey(i)),
  ).map((op): Op => ({ s: op.s, f: op.f === -1 ? -1 : (theirs[op.f] ?? -1) }));
  const trimmed = trimEdges(ops, mine);
  if (!trimmed) return null;
  const fileLines = trimmed.filter((o) => o.f !== -1).map((o) => o.f);
  const first = fileLines[0];
  const last = fileLines[fileLines.length - 1];
  if (first === undefined || last === undefined) return null;
  return { first, last, notes: notesOn(doc, mine, trimmed, last) };
}

/** Up to MAX_NOTES differences between the block and the file, in the order they occur. */
function notesOn(doc: TextLines, mine: string[], ops: Op[], last: number): string[] {
  const notes: string[] = [];
  let i = 0;
  while (i < ops.length && notes.length < MAX_NOTES) {
    const op = ops[i]!;
    if (op.s !== -1 && op.f !== -1) {
      const a = mine[op.s] ?? '';
      const b = doc.content(op.f);
      if (a.trimEnd() !== b.trimEnd() && !isBlank(a)) {
        const how = indentKey(a) === indentKey(b) ? 'indentation' : spaceKey(a) === spaceKey(b) ? 'whitespace' : 'whitespace or quotes';
        notes.push(`line ${op.f + 1} differs in ${how}: file has ${quote(b)}, you wrote ${quote(a)}`);
      }
      i++;
      continue;
    }
    // A run of unaligned lines: pair file and block lines up as changed lines, the rest as extra or missing.
    const fileRun: number[] = [];
    const mineRun: number[] = [];
    while (i < ops.length && (ops[i]!.s === -1 || ops[i]!.f === -1)) {
      const o = ops[i]!;
      if (o.f !== -1) fileRun.push(o.f);
      else mineRun.push(o.s);
      i++;
    }
    const paired = Math.min(fileRun.length, mineRun.length);
    for (let k = 0; k < paired; k++) {
      const f = fileRun[k]!;
      const wrote = mine[mineRun[k]!] ?? '';
      // A line copied from another place: the block mixes two regions (say so, with where).
      const other = elsewhere(doc, wrote, f);
      const copied = other >= 0 ? ` (that is line ${other + 1}, elsewhere in the file: take the lines from one place)` : '';
      notes.push(`line ${f + 1} differs: file has ${quote(doc.content(f))}, you wrote ${quote(wrote)}${copied}`);
    }
    for (const f of fileRun.slice(paired).filter((f) => !isBlank(doc.content(f)))) {
      notes.push(`line ${f + 1} ${quote(doc.content(f))} is missing from your search text`);
    }
    const next = ops.slice(i).find((o) => o.f !== -1)?.f;
    for (const s of mineRun.slice(paired).filter((s) => !isBlank(mine[s] ?? ''))) {
      const where = next === undefined ? `after line ${last + 1}` : `before line ${next + 1}`;
      notes.push(`you wrote ${quote(mine[s] ?? '')} ${where}, which is not in the file`);
    }
  }
  return notes.slice(0, MAX_NOTES);
}

/** Another file line equal to this block line (loose key), or -1. */
function elsewhere(doc: TextLines, line: string, not: number): number {
  const key = looseKey(line);
  if (!key) return -1;
  for (let i = 0; i < doc.count; i++) if (i !== not && doc.looseKey(i) === key) return i;
  return -1;
}

/**
 * Drop window padding: file lines before the first and after the last aligned line, except as
 * many as there are unaligned block lines there (those pair up as changed lines). Null when
 * nothing but trivial lines (braces, brackets) aligned: such a region says nothing.
 */
function trimEdges(ops: Op[], mine: string[]): Op[] | null {
  const same = (o: Op): boolean => o.s !== -1 && o.f !== -1;
  const firstSame = ops.findIndex(same);
  let lastSame = -1;
  for (let k = ops.length - 1; k >= 0; k--)
    if (same(ops[k]!)) {
      lastSame = k;
      break;
    }
  if (firstSame === -1) return null;
  const meaningful = ops.some((o) => same(o) && /[A-Za-z0-9_].*[A-Za-z0-9_].*[A-Za-z0-9_]/.test(mine[o.s] ?? ''));
  if (!meaningful) return null;
  const head = ops.slice(0, firstSame);
  const tail = ops.slice(lastSame + 1);
  const headMine = head.filter((o) => o.f === -1);
  const tailMine = tail.filter((o) => o.f === -1);
  const headFile = headMine.length === 0 ? [] : head.filter((o) => o.f !== -1).slice(-headMine.length);
  const tailFile = tail.filter((o) => o.f !== -1).slice(0, tailMine.length);
  return [...headFile, ...headMine, ...ops.slice(firstSame, lastSame + 1), ...tailFile, ...tailMine];
}

/** Longest-common-subsequence alignment; -1 marks a line present on one side only. */
function align(a: string[], b: string[]): Array<{ s: number; f: number }> {
  const n = a.length;
  const m = b.length;
  const table: Uint16Array[] = [];
  for (let i = 0; i <= n; i++) table.push(new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const ops: Array<{ s: number; f: number }> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ s: i++, f: j++ });
    else if (j < m && (i >= n || table[i]![j + 1]! >= table[i + 1]![j]!)) ops.push({ s: -1, f: j++ });
    else ops.push({ s: i++, f: -1 });
  }
  return ops;
}

/** When no block line appears anywhere: the file line most like the block's longest line. */
export function closestLine(doc: TextLines, shape: BlockShape): { line: number; mine: string } | null {
  let mine = '';
  for (const p of shape.nbPos) {
    const line = shape.core[p] ?? '';
    if (line.trim().length > mine.trim().length) mine = line;
  }
  const key = looseKey(mine);
  const words = key
    .split(/[^A-Za-z0-9_$]+/)
    .filter((w) => w.length >= 4)
    .sort((x, y) => y.length - x.length);
  const probe = words[0] ?? literalAnchor(key);
  if (probe.length < 3) return null;
  let best = -1;
  let bestScore = 0.5;
  let seen = 0;
  for (let at = doc.body.indexOf(probe); at !== -1 && seen < 300; seen++) {
    const line = doc.lineOf(at);
    const score = ratio(key, doc.looseKey(line));
    if (score > bestScore) {
      bestScore = score;
      best = line;
    }
    at = doc.body.indexOf(probe, doc.next(line));
  }
  return best === -1 ? null : { line: best, mine };
}

export function quote(line: string): string {
  const t = line.length > 100 ? line.slice(0, 97) + '...' : line;
  return '`' + t.replace(/\t/g, '\\t') + '`';
}
