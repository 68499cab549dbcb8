/**
 * The tolerance normalisations, from strict to loose. Each key keeps every character that could
 * tell two places apart except the ones a model commonly gets wrong when copying code: trailing
 * whitespace, indentation, runs of whitespace, typographic quotes and dashes.
 */

const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u2035]/g;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u2036]/g;
const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2212]/g;
/** Anything the loose key might change besides the ends: tabs, double spaces, non-ASCII. */
const NEEDS_WORK = /[\t\v\f\r\u0080-\uffff]| {2}/;
/** Characters the loose key may rewrite; a literal anchor must not contain them. */
const NOT_LITERAL = /[\s'"\-\u0080-\uffff]+/;

/** Trailing whitespace ignored. */
export function trailingKey(line: string): string {
  return line.trimEnd();
}

/** Indentation and trailing whitespace ignored. */
export function indentKey(line: string): string {
  return line.slice(leadingWs(line).length).trimEnd();
}

/** Runs of whitespace count as one space; both ends ignored. */
export function spaceKey(line: string): string {
  const t = line.trim();
  return NEEDS_WORK.test(t) ? t.replace(/\s+/g, ' ') : t;
}

/** The loosest key: spaceKey plus typographic quotes and dashes read as their ASCII forms. */
export function looseKey(line: string): string {
  const t = line.trim();
  if (!NEEDS_WORK.test(t)) return t;
  return t.replace(/\s+/g, ' ').replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"').replace(DASHES, '-');
}

/** Same as looseKey but also blind to whitespace presence: `x+1` equals `x + 1`. */
export function denseKey(line: string): string {
  return looseKey(line).replace(/ /g, '');
}

/**
 * The longest run of a loose key that must appear literally in any file line with that key,
 * used with indexOf to find candidate lines without normalising the whole file.
 */
export function literalAnchor(key: string): string {
  let best = '';
  for (const piece of literalPieces(key)) if (piece.length > best.length) best = piece;
  return best;
}

/** Every run of a loose key that must appear literally in a file line with that key. */
export function literalPieces(key: string): string[] {
  return key.split(NOT_LITERAL).filter((piece) => piece !== '');
}

export function leadingWs(line: string): string {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  return line.slice(0, i);
}

export function isBlank(line: string): boolean {
  return line.trim() === '';
}
