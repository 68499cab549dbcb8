/**
 * Writing a matched region's replacement. Outside the region nothing changes. Inside it, lines
 * the model left as they were (equal lines of search and replace, see diff.ts) keep the file's
 * own bytes, and so do blank file lines the block skipped; new lines get the region's line ending and the matched indentation shift, and the
 * file's final newline (or its absence) survives.
 */
import { keptLines } from './diff';
import { type IndentPlan, reindent } from './indent';
import { type Eol, mostCommonEol, type TextLines } from './lines';
import { isBlank } from './normalize';
import type { Hit } from './substring';

export interface Rendered {
  start: number;
  end: number;
  text: string;
}

/** A line-level region: the file lines it spans and, per block line, the file line it matched. */
export interface LineRegion {
  first: number;
  last: number;
  map: number[];
  plan: IndentPlan;
}

export function renderLines(doc: TextLines, region: LineRegion, core: string[], repl: string[], fileEol: '\n' | '\r\n'): Rendered {
  const { first, last } = region;
  const regionEols: Eol[] = [];
  for (let i = first; i <= last; i++) regionEols.push(doc.eol(i));
  const eol = mostCommonEol(regionEols, fileEol);
  const lastEol = doc.eol(last);
  const text = writeOutput(doc, outputLines(region, core, repl), eol, lastEol);
  let start = doc.start(first);
  if (text === '' && lastEol === '' && first > 0) start -= doc.eol(first - 1).length;
  return { start, end: doc.next(last), text };
}

/** An output line: a file line kept as is (its own bytes) or a new line (re-indented). */
type OutputLine = { file: number } | { text: string };

function outputLines(region: LineRegion, core: string[], repl: string[]): OutputLine[] {
  const { first, last, map, plan } = region;
  const out: OutputLine[] = [];
  const keepFile = (from: number, to: number): void => {
    for (let i = from; i <= to; i++) out.push({ file: i });
  };
  const addNew = (lines: string[]): void => {
    for (const line of lines) out.push({ text: reindent(line, plan) });
  };

  // Anchors: block lines the model left unchanged that stand for a file line. Between two
  // anchors, the file lines there are replaced by the replacement lines there.
  // A blank block line that is in no file line (the model added it) and that it kept stands
  // for nothing: an anchor that writes nothing.
  const anchors = keptLines(core, repl).filter(([i]) => (map[i] ?? -1) >= 0 || isBlank(core[i] ?? ''));
  let prevFile = first - 1;
  let prevS = -1;
  let prevR = -1;
  for (const [s, r, at] of [...anchors.map(([i, j]) => [i, j, map[i] ?? -1] as const), [core.length, repl.length, last + 1] as const]) {
    // File lines of the block lines replaced here (increasing: the map follows the file).
    let lo = -1;
    let hi = -1;
    for (let t = prevS + 1; t < s; t++) {
      const line = map[t] ?? -1;
      if (line >= 0) {
        if (lo === -1) lo = line;
        hi = line;
      }
    }
    const fileLine = at >= 0 ? at : hi >= 0 ? hi + 1 : prevFile + 1;
    let added = repl.slice(prevR + 1, r);
    if (lo === -1) {
      // Nothing of the file replaced here, only blank file lines the block skipped (or none).
      const gap = fileLine - prevFile - 1;
      if (added.length > 0 && isBlank(added[0] ?? '')) {
        keepFile(prevFile + 1, fileLine - 1);
        addNew(dropBlanks(added, gap, 'head'));
      } else {
        addNew(dropBlanks(added, gap, 'tail'));
        keepFile(prevFile + 1, fileLine - 1);
      }
    } else {
      keepFile(prevFile + 1, lo - 1);
      added = dropBlanks(added, lo - prevFile - 1, 'head');
      added = dropBlanks(added, fileLine - hi - 1, 'tail');
      addNew(added);
      // Lines deleted between two runs of blank lines: one run is enough.
      if (added.length > 0 || lo - prevFile - 1 === 0) keepFile(hi + 1, fileLine - 1);
    }
    if (at >= 0 && fileLine <= last) keepFile(fileLine, fileLine);
    prevFile = at >= 0 ? fileLine : fileLine - 1;
    prevS = s;
    prevR = r;
  }
  return out;
}

/** Kept lines keep their own ending; new ones get the region's; the last keeps the region's last (none at the end of a file without one). */
function writeOutput(doc: TextLines, out: OutputLine[], eol: Eol, lastEol: Eol): string {
  const body = doc.body;
  let text = '';
  out.forEach((item, k) => {
    const isLast = k === out.length - 1;
    if ('file' in item) {
      const own = doc.eol(item.file);
      text += body.slice(doc.start(item.file), doc.next(item.file) - own.length) + (isLast && lastEol === '' ? '' : own === '' ? eol : own);
    } else {
      text += item.text + (isLast ? lastEol : eol);
    }
  });
  return text;
}

/** Up to `count` blank lines dropped from the head or tail of the lines (the file's blank lines stand for them). */
function dropBlanks(lines: string[], count: number, end: 'head' | 'tail'): string[] {
  let from = 0;
  let to = lines.length;
  if (end === 'head') while (from < to && from < count && isBlank(lines[from] ?? '')) from++;
  else while (to > from && lines.length - to < count && isBlank(lines[to - 1] ?? '')) to--;
  return lines.slice(from, to);
}

/**
 * A raw-text region (exact or line-ending level), with the same rule for line endings as
 * renderLines: lines the model left unchanged keep theirs, new lines take the region's most common.
 */
export function renderSubstring(doc: TextLines, hit: Hit, searchLF: string, replLF: string, fileEol: '\n' | '\r\n'): Rendered {
  const body = doc.body;
  const eols: Eol[] = [];
  for (let at = body.indexOf('\n', hit.start); at !== -1 && at < hit.end; at = body.indexOf('\n', at + 1)) {
    eols.push(at - 1 >= hit.start && body.charCodeAt(at - 1) === 13 ? '\r\n' : '\n');
  }
  if (hit.virtualEnd) eols.push('');
  const lineEol = doc.eol(doc.lineOf(hit.start));
  const eol = mostCommonEol(eols, lineEol === '' ? fileEol : lineEol);

  const s = searchLF.split('\n');
  const r = replLF.split('\n');
  let same = 0;
  while (same < s.length && same < r.length && s[same] === r[same]) same++;
  let sameEnd = 0;
  while (sameEnd < s.length - same && sameEnd < r.length - same && s[s.length - 1 - sameEnd] === r[r.length - 1 - sameEnd]) {
    sameEnd++;
  }
  // Break j ends replacement line j: an unchanged line keeps its own ending, the last line of a
  // block that ends with a newline takes the region's last ending, other new lines the common one.
  const bothEndLines = r[r.length - 1] === '' && s[s.length - 1] === '';
  let text = r[0] ?? '';
  for (let j = 0; j < r.length - 1; j++) {
    let e: Eol | undefined;
    if (j < same) e = eols[j];
    else if (j >= r.length - sameEnd) e = eols[j + s.length - r.length];
    else if (j === r.length - 2 && bothEndLines) e = eols[eols.length - 1];
    // The file's missing final newline stays at the end: a break that now has lines after it is real.
    if (e === '' && j < r.length - 2) e = eol;
    text += (e ?? eol) + (r[j + 1] ?? '');
  }
  return { start: hit.start, end: hit.end, text };
}
