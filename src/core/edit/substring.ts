/**
 * The two strictest levels, which work on the raw text so that a block may start or end
 * mid-line: the exact text, then the same text with line endings ignored (the model sends LF
 * to a CRLF file, or a final newline the file lacks).
 */

/** A region of the text (offsets into it) that a block matched. */
export interface Hit {
  start: number;
  end: number;
  /** The block's final newline stood for the end of a file that has no final newline. */
  virtualEnd: boolean;
}

/** Start offsets of every occurrence (overlapping ones too), stopping after `cap`. */
export function occurrences(haystack: string, needle: string, cap: number): number[] {
  const found: number[] = [];
  let at = haystack.indexOf(needle);
  while (at !== -1 && found.length < cap) {
    found.push(at);
    at = haystack.indexOf(needle, at + 1);
  }
  return found;
}

export function exactHits(body: string, search: string, cap: number): Hit[] {
  return occurrences(body, search, cap).map((start) => ({ start, end: start + search.length, virtualEnd: false }));
}

/**
 * Occurrences of the LF search text in the text read with every CRLF as LF, mapped back to raw
 * offsets. A match that starts or ends at a line break covers the whole CRLF pair.
 */
export function lineEndingHits(body: string, searchLF: string, searchHadCR: boolean, cap: number): Hit[] {
  const hits: Hit[] = [];
  const hasCR = body.indexOf('\r') !== -1;
  const missingFinalNewline = body.length > 0 && !body.endsWith('\n');
  if (!hasCR && !searchHadCR && !(missingFinalNewline && searchLF.endsWith('\n'))) return hits;

  if (hasCR && onlyCrlf(body)) {
    // Every break is CRLF: look for the search with CRLF breaks in the raw text (no copy needed).
    const needle = searchLF.replace(/\n/g, '\r\n');
    hits.push(...exactHits(body, needle, cap));
    if (missingFinalNewline && needle.endsWith('\r\n') && body.endsWith(needle.slice(0, -2))) {
      hits.push({ start: body.length - needle.length + 2, end: body.length, virtualEnd: true });
    }
  } else if (hasCR) {
    const crs = removedCRs(body);
    const norm = body.replace(/\r\n/g, '\n');
    for (const at of occurrences(norm, searchLF, cap)) {
      hits.push({ start: toRaw(at, crs), end: toRaw(at + searchLF.length, crs), virtualEnd: false });
    }
    if (missingFinalNewline && searchLF.endsWith('\n') && norm.endsWith(searchLF.slice(0, -1))) {
      const start = toRaw(norm.length - searchLF.length + 1, crs);
      hits.push({ start, end: body.length, virtualEnd: true });
    }
  } else {
    if (searchHadCR) hits.push(...exactHits(body, searchLF, cap));
    if (missingFinalNewline && searchLF.endsWith('\n') && body.endsWith(searchLF.slice(0, -1))) {
      hits.push({ start: body.length - searchLF.length + 1, end: body.length, virtualEnd: true });
    }
  }
  return hits.slice(0, cap);
}

/** Whether every line break of the text is CRLF. */
function onlyCrlf(body: string): boolean {
  for (let at = body.indexOf('\n'); at !== -1; at = body.indexOf('\n', at + 1)) {
    if (body.charCodeAt(at - 1) !== 13) return false;
  }
  return true;
}

/** Raw offsets of the CR of each CRLF pair, in order. */
function removedCRs(body: string): number[] {
  const out: number[] = [];
  let at = body.indexOf('\r\n');
  while (at !== -1) {
    out.push(at);
    at = body.indexOf('\r\n', at + 2);
  }
  return out;
}

/** Raw offset of a normalised offset: add the CRs removed before it (a match at a break takes its CR). */
function toRaw(offset: number, crs: number[]): number {
  // The k-th removed CR sits at normalised offset crs[k] - k; count those strictly before offset.
  let lo = 0;
  let hi = crs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((crs[mid] ?? 0) - mid < offset) lo = mid + 1;
    else hi = mid;
  }
  return offset + lo;
}
