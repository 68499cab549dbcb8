/**
 * Indentation shifts: when the model's block matches lines that sit deeper or shallower in the
 * file (or use tabs where the model used spaces), the replacement is moved by the same amount and
 * written in the file's indentation style, so a correct edit stays correct after re-indenting.
 */
import { isBlank, leadingWs } from './normalize';

export interface IndentPlan {
  /** True when the file and the block indent every matched line identically: write the replacement as is. */
  identity: boolean;
  /** Columns to add to each replacement line's indentation. */
  delta: number;
  tabWidth: number;
  useTabs: boolean;
  /** Indentation strings seen in the block mapped to the file's string on the matched line. */
  known: Map<string, string>;
  /** Factor applied to the block's indentation width before adding delta (1 when absent). */
  scale?: number;
}

const IDENTITY: IndentPlan = { identity: true, delta: 0, tabWidth: 4, useTabs: false, known: new Map() };

export function width(ws: string, tabWidth: number): number {
  let w = 0;
  for (let i = 0; i < ws.length; i++) w += ws.charCodeAt(i) === 9 ? tabWidth : 1;
  return w;
}

/** The model's own indentation unit, guessed from the space-indented lines it wrote (default 4). */
export function indentUnitHint(lines: readonly string[]): number {
  let unit = 0;
  for (const line of lines) {
    const ws = leadingWs(line);
    if (ws.length === 0 || ws.includes('\t') || isBlank(line)) continue;
    unit = gcd(unit, ws.length);
  }
  return unit === 2 || unit === 3 || unit === 4 || unit === 8 ? unit : 4;
}

/**
 * The shift that maps the block's indentation onto the file's, from pairs of
 * (file line, block line) that matched; null when no constant shift explains them all.
 */
export function planIndent(pairs: ReadonlyArray<readonly [string, string]>, unitHint: number, fileUsesTabs: () => boolean): IndentPlan | null {
  const wsPairs = pairs.filter(([f, s]) => !isBlank(f) && !isBlank(s)).map(([f, s]) => [leadingWs(f), leadingWs(s)] as const);
  if (wsPairs.every(([f, s]) => f === s)) return IDENTITY;
  const anyTab = wsPairs.some(([f, s]) => f.includes('\t') || s.includes('\t'));
  const widths = anyTab ? unique([unitHint, 4, 2, 8, 3]) : [unitHint];
  for (const tabWidth of widths) {
    const first = wsPairs[0];
    if (!first) return IDENTITY;
    const delta = width(first[0], tabWidth) - width(first[1], tabWidth);
    if (!wsPairs.every(([f, s]) => width(f, tabWidth) - width(s, tabWidth) === delta)) continue;
    const known = new Map<string, string>();
    for (const [f, s] of wsPairs) if (!known.has(s)) known.set(s, f);
    const fileTabs = wsPairs.some(([f]) => f.includes('\t'));
    const fileSpaces = wsPairs.some(([f]) => f.includes(' '));
    const useTabs = fileTabs || (!fileSpaces && fileUsesTabs());
    return { identity: false, delta, tabWidth, useTabs, known };
  }
  return anyTab ? null : scaledPlan(wsPairs);
}

/**
 * A model that re-indented with its own unit (4 spaces for the file's 2, or 2 for 4): every file
 * width is the block's times 2 or 1/2, plus a constant. Nesting is kept, so the replacement is
 * scaled the same way. Needs two indentation depths in the block to tell a scale from a shift.
 */
function scaledPlan(wsPairs: ReadonlyArray<readonly [string, string]>): IndentPlan | null {
  const depths = new Set(wsPairs.map(([, s]) => s.length));
  if (depths.size < 2 || wsPairs.some(([f]) => f.includes('\t'))) return null;
  for (const scale of [2, 0.5]) {
    const [f0, s0] = wsPairs[0]!;
    const delta = f0.length - s0.length * scale;
    if (!wsPairs.every(([f, s]) => Number.isInteger(s.length * scale) && f.length === s.length * scale + delta)) continue;
    const known = new Map<string, string>();
    for (const [f, s] of wsPairs) if (!known.has(s)) known.set(s, f);
    return { identity: false, delta, tabWidth: 4, useTabs: false, known, scale };
  }
  return null;
}

/**
 * The frame the replacement is written in. A search written without the file's indentation is
 * moved by the plan; the replacement is moved too when its first line sits where the search's
 * first line does, but written as is when it already carries the file's indentation (moving it
 * again would indent it twice). null when it fits neither: the edit is refused.
 */
export function rebase(plan: IndentPlan, searchFirst: string, fileFirst: string, replFirst: string | undefined): IndentPlan | null {
  if (plan.identity || replFirst === undefined) return plan;
  const [s, f, r] = [searchFirst, fileFirst, replFirst].map((line) => width(leadingWs(line), plan.tabWidth));
  if (r === s) return plan;
  if (r === f) return IDENTITY;
  return null;
}

/** One replacement line moved by the plan; blank lines stay as the model wrote them. */
export function reindent(line: string, plan: IndentPlan): string {
  if (plan.identity || isBlank(line)) return line;
  const ws = leadingWs(line);
  const rest = line.slice(ws.length);
  const mapped = plan.known.get(ws);
  if (mapped !== undefined) return mapped + rest;
  const w = Math.max(0, Math.round(width(ws, plan.tabWidth) * (plan.scale ?? 1)) + plan.delta);
  const indent = plan.useTabs ? '\t'.repeat(Math.floor(w / plan.tabWidth)) + ' '.repeat(w % plan.tabWidth) : ' '.repeat(w);
  return indent + rest;
}

/** Whether the file mostly indents with tabs (looks at up to the first 2,000 lines' starts). */
export function mostlyTabs(body: string): boolean {
  let tabs = 0;
  let spaces = 0;
  let at = 0;
  for (let n = 0; n < 2000 && at < body.length; n++) {
    const c = body.charCodeAt(at);
    if (c === 9) tabs++;
    else if (c === 32) spaces++;
    const nl = body.indexOf('\n', at);
    if (nl === -1) break;
    at = nl + 1;
  }
  return tabs > spaces;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function unique(values: number[]): number[] {
  return [...new Set(values)];
}
