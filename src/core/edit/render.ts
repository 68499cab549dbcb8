/**
 * Writing a matched region's replacement. Outside the region nothing changes. Inside it, lines
 * the model left as they were (the common head and tail of search and replace) keep the file's
 * own bytes; new lines get the region's line ending and the matched indentation shift, and the
 * file's final newline (or its absence) survives.
 */
import { type IndentPlan, reindent } from './indent';
import { type Eol, mostCommonEol, type TextLines } from './lines';
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

export function renderLines(
  doc: TextLines,
  region: LineRegion,
  core: string[],
  repl: string[],
  fileEol: '\n' | '\r\n',
): Rendered {
  const { first, last, map, plan } = region;
  const n = core.length;
  const r = repl.length;
  let same = 0;
  while (same < n && same < r && core[same] === repl[same]) same++;
  let sameEnd = 0;
  while (sameEnd < n - same && sameEnd < r - same && core[n - 1 - sameEnd] === repl[r - 1 - sameEnd]) sameEnd++;

  let headEnd = first - 1;
  let from = 0;
  for (let t = same - 1; t >= 0; t--) {
    const line = map[t] ?? -1;
    if (line >= 0) {
      headEnd = line;
      from = t + 1;
      break;
    }
  }
  let tailStart = last + 1;
  let to = r;
  for (let t = n - sameEnd; t < n; t++) {
    const line = map[t] ?? -1;
    if (line >= 0) {
      tailStart = line;
      to = r - (n - t);
      break;
    }
  }

  const regionEols: Eol[] = [];
  for (let i = first; i <= last; i++) regionEols.push(doc.eol(i));
  const eol = mostCommonEol(regionEols, fileEol);
  const lastEol = doc.eol(last);
  const body = doc.body;
  let text = headEnd >= first ? body.slice(doc.start(first), doc.next(headEnd)) : '';
  const added = repl.slice(from, Math.max(from, to)).map((line) => reindent(line, plan));
  const hasTail = tailStart <= last;
  // The file's last line (no final newline) kept as head but no longer last: give it an ending.
  if (headEnd >= first && doc.eol(headEnd) === '' && added.length > 0) text += eol;
  added.forEach((line, i) => {
    text += line + (i === added.length - 1 && !hasTail ? lastEol : eol);
  });
  if (hasTail) text += body.slice(doc.start(tailStart), doc.next(last));
  else if (added.length === 0 && lastEol === '' && text !== '') text = stripEol(text);

  let start = doc.start(first);
  if (text === '' && lastEol === '' && first > 0) start -= doc.eol(first - 1).length;
  return { start, end: doc.next(last), text };
}

/**
 * A raw-text region (exact or line-ending level), with the same rule for line endings as
 * renderLines: lines the model left unchanged keep theirs, new lines take the region's most common.
 */
export function renderSubstring(
  doc: TextLines,
  hit: Hit,
  searchLF: string,
  replLF: string,
  fileEol: '\n' | '\r\n',
): Rendered {
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

function stripEol(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}
