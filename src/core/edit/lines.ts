/**
 * Line access over a file's text that keeps each line's ending, so an edit can rewrite a few
 * lines and leave every other byte (CRLF, LF, a missing final newline) exactly as it was.
 * Per-line normalised keys are computed lazily: a 20,000-line file is never normalised whole
 * unless a slow path (similarity, refusal reporting) needs it.
 */
import { looseKey } from './normalize';

export type Eol = '' | '\n' | '\r\n';

export class TextLines {
  /** Offset of the first character of each line. */
  private readonly starts: number[] = [0];
  private readonly loose: (string | undefined)[] = [];

  constructor(readonly body: string) {
    let at = body.indexOf('\n');
    while (at !== -1) {
      this.starts.push(at + 1);
      at = body.indexOf('\n', at + 1);
    }
    // A text ending with a newline has no further line after it.
    if (body.length > 0 && this.starts[this.starts.length - 1] === body.length) this.starts.pop();
    if (body.length === 0) this.starts.length = 0;
  }

  get count(): number {
    return this.starts.length;
  }

  start(i: number): number {
    return this.starts[i] ?? this.body.length;
  }

  /** Offset just past the line's ending (the next line's start, or the end of the text). */
  next(i: number): number {
    return this.starts[i + 1] ?? this.body.length;
  }

  eol(i: number): Eol {
    const next = this.next(i);
    if (next === this.start(i) || this.body.charCodeAt(next - 1) !== 10) return '';
    return next - 2 >= this.start(i) && this.body.charCodeAt(next - 2) === 13 ? '\r\n' : '\n';
  }

  content(i: number): string {
    return this.body.slice(this.start(i), this.next(i) - this.eol(i).length);
  }

  /** The line as stored, ending included. */
  raw(i: number): string {
    return this.body.slice(this.start(i), this.next(i));
  }

  looseKey(i: number): string {
    let key = this.loose[i];
    if (key === undefined) {
      key = looseKey(this.content(i));
      this.loose[i] = key;
    }
    return key;
  }

  /** 0-based line holding the character at offset (binary search). */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

export function toLF(text: string): string {
  return text.indexOf('\r') === -1 ? text : text.replace(/\r\n/g, '\n');
}

/** Lines of a model-written block (already LF), without the one final newline that ends the last line. */
export function blockLines(textLF: string): string[] {
  if (textLF === '') return [];
  const body = textLF.endsWith('\n') ? textLF.slice(0, -1) : textLF;
  return body.split('\n');
}

/** The ending most lines of the text use; LF when there are none or it is a tie. */
export function dominantEol(body: string): '\n' | '\r\n' {
  let crlf = 0;
  let at = body.indexOf('\r\n');
  while (at !== -1) {
    crlf++;
    at = body.indexOf('\r\n', at + 2);
  }
  if (crlf === 0) return '\n';
  let lf = 0;
  at = body.indexOf('\n');
  while (at !== -1) {
    lf++;
    at = body.indexOf('\n', at + 1);
  }
  return crlf > lf - crlf ? '\r\n' : '\n';
}

/** The most common non-empty ending among the given ones, or the fallback on a tie or none. */
export function mostCommonEol(eols: Iterable<Eol>, fallback: '\n' | '\r\n'): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (const e of eols) {
    if (e === '\r\n') crlf++;
    else if (e === '\n') lf++;
  }
  if (crlf > lf) return '\r\n';
  if (lf > crlf) return '\n';
  return fallback;
}
