/**
 * Line-level matching for the tolerance levels. One pass finds every region whose non-blank lines
 * equal the block's under the loosest key (found through a literal anchor and indexOf, so the
 * file is not normalised whole); each region is then graded with the strictest level it meets.
 * A level is usable only when exactly one region meets it.
 */
// l10n-ignore-file: edit refusals and match notes are tool results for the model
import { type IndentPlan, planIndent } from './indent';
import type { TextLines } from './lines';
import { indentKey, isBlank, literalPieces, looseKey, spaceKey, trailingKey } from './normalize';

/** Line levels from strict to loose; the names are the `via` strings reported to callers. */
export const LINE_LEVELS = ['trailing whitespace', 'blank lines at the edges', 'indentation', 'whitespace', 'typographic quotes', 'blank lines'] as const;
export type LineLevel = (typeof LINE_LEVELS)[number];

/** The search block seen as lines. */
export interface BlockShape {
  /** Every line, LF, without the block's final newline. */
  lines: string[];
  /** Blank lines at the start and end, which the looser levels drop. */
  lead: number;
  trail: number;
  /** The lines without the blank edges. */
  core: string[];
  /** Indices in core of the non-blank lines, and their loose keys. */
  nbPos: number[];
  nbKeys: string[];
}

export function shapeOf(lines: string[]): BlockShape {
  let lead = 0;
  while (lead < lines.length && isBlank(lines[lead] ?? '')) lead++;
  let trail = 0;
  while (trail < lines.length - lead && isBlank(lines[lines.length - 1 - trail] ?? '')) trail++;
  const core = lines.slice(lead, lines.length - trail);
  const nbPos: number[] = [];
  const nbKeys: string[] = [];
  core.forEach((line, i) => {
    if (!isBlank(line)) {
      nbPos.push(i);
      nbKeys.push(looseKey(line));
    }
  });
  return { lines, lead, trail, core, nbPos, nbKeys };
}

/** A region whose non-blank lines equal the core's non-blank lines under the loose key. */
export interface LineCandidate {
  /** File line of each non-blank core line. */
  nbMap: number[];
}

export function lineCandidates(doc: TextLines, shape: BlockShape): LineCandidate[] {
  const { nbKeys } = shape;
  if (nbKeys.length === 0 || doc.count === 0) return [];
  const { anchor, anchorAt } = pickAnchor(doc.body, nbKeys);
  const found: LineCandidate[] = [];
  const tryLine = (line: number): void => {
    if (doc.looseKey(line) !== nbKeys[anchorAt]) return;
    const nbMap = extend(doc, nbKeys, anchorAt, line);
    if (nbMap) found.push({ nbMap });
  };
  if (anchor.length >= 3) {
    let last = -1;
    let at = doc.body.indexOf(anchor);
    while (at !== -1) {
      const line = doc.lineOf(at);
      if (line !== last) tryLine(line);
      last = line;
      at = doc.body.indexOf(anchor, doc.next(line));
    }
  } else {
    for (let line = 0; line < doc.count; line++) tryLine(line);
  }
  return found;
}

/** Occurrences beyond this make an anchor too common: try the next one. */
const COMMON = 64;

/**
 * The literal to look for: the longest piece of a block line, unless it is common in the file
 * (`function`, `return`), in which case the next longest pieces are tried (a few at most).
 */
function pickAnchor(body: string, keys: string[]): { anchor: string; anchorAt: number } {
  const pieces = keys
    .flatMap((key, t) => literalPieces(key).map((anchor) => ({ anchor, anchorAt: t })))
    .filter((p) => p.anchor.length >= 3)
    .sort((a, b) => b.anchor.length - a.anchor.length);
  let best = pieces[0] ?? { anchor: '', anchorAt: 0 };
  let bestCount = Infinity;
  for (const piece of pieces.slice(0, 6)) {
    let count = 0;
    for (let at = body.indexOf(piece.anchor); at !== -1 && count < COMMON; at = body.indexOf(piece.anchor, at + 1)) count++;
    if (count < bestCount) {
      best = piece;
      bestCount = count;
    }
    if (count < COMMON) break;
  }
  return best;
}

/** Walk out from the anchor line, skipping blank file lines, matching each non-blank key in turn. */
function extend(doc: TextLines, keys: string[], anchorAt: number, line: number): number[] | null {
  const map: number[] = new Array<number>(keys.length).fill(-1);
  map[anchorAt] = line;
  let j = line;
  for (let t = anchorAt - 1; t >= 0; t--) {
    j--;
    while (j >= 0 && doc.looseKey(j) === '') j--;
    if (j < 0 || doc.looseKey(j) !== keys[t]) return null;
    map[t] = j;
  }
  j = line;
  for (let t = anchorAt + 1; t < keys.length; t++) {
    j++;
    while (j < doc.count && doc.looseKey(j) === '') j++;
    if (j >= doc.count || doc.looseKey(j) !== keys[t]) return null;
    map[t] = j;
  }
  return map;
}

export interface Graded {
  level: number;
  plan: IndentPlan;
  /** First and last file line of the region at this level (blank edges included at level 0). */
  first: number;
  last: number;
  /** File line for each line of the block as matched at this level (-1: not tied to a file line). */
  map: number[];
}

/** The strictest level a candidate meets, or null when no constant indentation shift explains it. */
export function grade(doc: TextLines, cand: LineCandidate, shape: BlockShape, unitHint: number, fileUsesTabs: () => boolean): Graded | null {
  const { core, nbPos, lead, trail } = shape;
  const pairs = nbPos.map((p, t) => [doc.content(cand.nbMap[t] ?? 0), core[p] ?? ''] as const);
  const plan = planIndent(pairs, unitHint, fileUsesTabs);
  if (!plan) return null;
  const first = cand.nbMap[0] ?? 0;
  const last = cand.nbMap[cand.nbMap.length - 1] ?? first;
  const sameLayout = cand.nbMap.every((line, t) => line - first === (nbPos[t] ?? 0) - (nbPos[0] ?? 0));
  if (!sameLayout) {
    const map = new Array<number>(core.length).fill(-1);
    nbPos.forEach((p, t) => (map[p] = cand.nbMap[t] ?? -1));
    return { level: 5, plan, first, last, map };
  }
  const coreMap = core.map((_, i) => first + i);
  const at = (level: number): Graded => ({ level, plan, first, last, map: coreMap });
  if (!pairs.every(([f, s]) => spaceKey(f) === spaceKey(s))) return at(4);
  if (!pairs.every(([f, s]) => indentKey(f) === indentKey(s))) return at(3);
  if (!plan.identity || !pairs.every(([f, s]) => trailingKey(f) === trailingKey(s))) return at(2);
  const top = first - lead;
  const bottom = last + trail;
  let edges = top >= 0 && bottom < doc.count;
  for (let i = top; edges && i < first; i++) edges = isBlank(doc.content(i));
  for (let i = last + 1; edges && i <= bottom; i++) edges = isBlank(doc.content(i));
  if (lead + trail > 0 && !edges) return at(1);
  return { level: 0, plan, first: top, last: bottom, map: shape.lines.map((_, i) => top + i) };
}
