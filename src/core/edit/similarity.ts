/**
 * The last-resort level: a region of the same length whose lines mostly equal the block's and
 * whose other lines are close. It applies only when the best region is unique and clearly better
 * than any other (by score, or by differing on fewer lines than every close rival, none of which
 * is within the allowed differences), and is reported as approximate. Bounded: candidate regions
 * come from votes of distinctive lines (at most MAX_WINDOWS of them), and lines are compared only
 * when they differ.
 */
import type { BlockShape } from './candidates';
import { type IndentPlan, planIndent } from './indent';
import type { TextLines } from './lines';
import { denseKey, isBlank, leadingWs, looseKey } from './normalize';

const MAX_WINDOWS = 40;
/** A key found on more lines than this is too common to say where a block is. */
const MAX_KEY_LINES = 50;
const MIN_LINES = 3;
const MIN_SCORE = 0.9;
const MIN_LINE_SCORE = 0.6;
const MARGIN = 0.1;

export interface Window {
  start: number;
  votes: number;
}

/** Start lines of regions where distinctive block lines appear at their block offset, most votes first. */
export function votedWindows(doc: TextLines, shape: BlockShape, limit: number): Window[] {
  const wanted = new Map<string, number[]>();
  shape.nbKeys.forEach((key, t) => {
    const list = wanted.get(key) ?? [];
    list.push(shape.nbPos[t] ?? 0);
    wanted.set(key, list);
  });
  const seen = new Map<string, number[]>();
  for (let line = 0; line < doc.count; line++) {
    const key = doc.looseKey(line);
    const list = wanted.has(key) ? seen.get(key) : undefined;
    if (list) list.push(line);
    else if (wanted.has(key)) seen.set(key, [line]);
  }
  const votes = new Map<number, number>();
  for (const [key, lines] of seen) {
    if (lines.length > MAX_KEY_LINES) continue;
    for (const offset of wanted.get(key) ?? []) {
      for (const line of lines) votes.set(line - offset, (votes.get(line - offset) ?? 0) + 1);
    }
  }
  return [...votes]
    .filter(([start]) => start > -shape.core.length && start < doc.count)
    .map(([start, n]) => ({ start, votes: n }))
    .sort((a, b) => b.votes - a.votes || a.start - b.start)
    .slice(0, limit);
}

export interface Scored {
  start: number;
  score: number;
  differing: number;
  ok: boolean;
  plan: IndentPlan | null;
}

/**
 * What may differ on a line and still be a typo: a few characters, or most of the line kept. A
 * search line that is word for word another line of the file was copied from there (lines were
 * skipped or spliced), not mistyped.
 */
const TYPO_CHARS = 3;
const TYPO_RATIO = 0.7;

export function scoreWindow(
  doc: TextLines,
  shape: BlockShape,
  start: number,
  unitHint: number,
  fileUsesTabs: () => boolean,
  inFile: (key: string) => boolean = () => false,
): Scored {
  const { core } = shape;
  let total = 0;
  let got = 0;
  let differing = 0;
  let worst = 1;
  let typos = true;
  const pairs: Array<readonly [string, string]> = [];
  for (let t = 0; t < core.length; t++) {
    const line = start + t;
    const mine = core[t] ?? '';
    if (line < 0 || line >= doc.count) return { start, score: 0, differing: core.length, ok: false, plan: null };
    const theirs = doc.content(line);
    if (isBlank(mine) && isBlank(theirs)) continue;
    const a = looseKey(mine);
    const b = doc.looseKey(line);
    const weight = Math.max(a.length, b.length, 1);
    let sim: number;
    if (a === b) {
      sim = 1;
      pairs.push([theirs, mine]);
    } else {
      differing++;
      sim = denseKey(mine) === denseKey(theirs) ? 0.95 : ratio(a, b);
      worst = Math.min(worst, sim);
      const small = sim >= TYPO_RATIO || (1 - sim) * Math.max(a.length, b.length) <= TYPO_CHARS;
      if (!small || inFile(a)) typos = false;
    }
    total += weight;
    got += sim * weight;
  }
  const score = total === 0 ? 0 : got / total;
  const plan = planIndent(pairs, unitHint, fileUsesTabs);
  const allowed = Math.max(1, Math.floor(shape.nbPos.length / 4));
  const ok =
    shape.nbPos.length >= MIN_LINES &&
    differing <= allowed &&
    worst >= MIN_LINE_SCORE &&
    score >= MIN_SCORE &&
    plan !== null &&
    typos &&
    !crossesDeclaration(doc, core, start);
  return { start, score, differing, ok, plan };
}

export type Approximate = { start: number; plan: IndentPlan } | { near: Scored[] };

/** Lines that only close a block: they end a declaration rather than start one. */
const CLOSER = /^[)\]}>;,]+$|^end\b/;

/**
 * The region crosses into another top-level declaration that the block does not: a line at the
 * region's outermost indentation (other than its first, or a closer) where the block's line at
 * the same place is indented deeper.
 */
function crossesDeclaration(doc: TextLines, core: string[], start: number): boolean {
  const depth = (line: string) => (isBlank(line) ? Number.POSITIVE_INFINITY : leadingWs(line).replace(/\t/g, '    ').length);
  const fileDepths = core.map((_, t) => depth(doc.content(start + t)));
  const blockDepths = core.map(depth);
  const fileTop = Math.min(...fileDepths);
  const blockTop = Math.min(...blockDepths);
  return core.some((_, t) => {
    const line = doc.content(start + t).trim();
    return t > 0 && fileDepths[t] === fileTop && !CLOSER.test(line) && blockDepths[t]! > blockTop;
  });
}

/** The unique, clearly best similar region, or the closest regions when there is none. */
export function similarRegion(doc: TextLines, shape: BlockShape, unitHint: number, fileUsesTabs: () => boolean): Approximate {
  let keys: Set<string> | undefined;
  const inFile = (key: string) => (keys ??= new Set(Array.from({ length: doc.count }, (_, i) => doc.looseKey(i)))).has(key);
  const scored = votedWindows(doc, shape, MAX_WINDOWS)
    .map((w) => scoreWindow(doc, shape, w.start, unitHint, fileUsesTabs, inFile))
    .sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  if (best?.ok && best.plan) {
    // Clearly best by score, or the only close region within the allowed differences while the
    // others differ on more lines (a near-duplicate the block names apart, e.g. by its last line).
    const rivals = scored.slice(1).filter((s) => s.score >= best.score - MARGIN);
    if (!second || rivals.length === 0 || rivals.every((s) => !s.ok && s.differing > best.differing)) {
      return { start: best.start, plan: best.plan };
    }
  }
  return { near: scored.slice(0, 3) };
}

/** 1 - edit distance / longer length; long lines are compared on their first 400 characters. */
export function ratio(a: string, b: string): number {
  const x = a.slice(0, 400);
  const y = b.slice(0, 400);
  const longer = Math.max(x.length, y.length);
  if (longer === 0) return 1;
  return 1 - levenshtein(x, y) / longer;
}

function levenshtein(a: string, b: string): number {
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] ?? 0;
}
