/**
 * Elision markers: lines such as `// ... existing code ...` that a model writes to stand for
 * code it left out. In a search block they can never match; in a replacement they would delete
 * the code they stand for. Either way the block is refused unless the file really contains the line.
 */
// l10n-ignore-file: patterns for the elision markers models write, not text

const DOTS = String.raw`(?:\.{3,}|…)`;
/** Comment openers and closers of the common languages (C family, shell/Python/YAML, SQL/Lua, HTML, JSX, Lisp, TeX). */
const OPEN = String.raw`(?:\/\/+|#+|--|;+|%+|\/\*+|<!--|\{\s*\/\*+|\*)`;
const CLOSE = String.raw`(?:\*+\/\s*\}?|-->)`;
const PHRASE = String.raw`(?:existing(?: \w+){0,2}|(?:the )?rest(?: of(?: the)? \w+(?: \w+)?)?|remaining \w+|other \w+|more \w+|previous \w+|same as (?:before|above|original)|unchanged(?: \w+)?|(?:\w+ )?(?:code|lines|content|body|implementation)(?: (?:is|are|remains?|stays?))?(?: (?:unchanged|the same|as before|omitted|elided|here))|omitted|elided|snip(?:ped)?|etc)`;
const TAIL = String.raw`(?:\s+(?:unchanged|remains? unchanged|stays? the same|remains? the same|as before|goes here|here|omitted|below|above|continues?))?`;

/** `...`, `…` or `[...]` alone, or `... words ...` between dots. */
const BARE = new RegExp(String.raw`^(?:${DOTS}|\[${DOTS}\]|${DOTS}\s+.*\s+${DOTS}|${DOTS}\s*\(.*\)\s*${DOTS}?)$`, 'i');
/** A comment holding only dots and/or an elision phrase. */
const COMMENT = new RegExp(String.raw`^${OPEN}\s*[\[(]?\s*(?:${DOTS}\s*)?[\[(]?\s*(?:${PHRASE}${TAIL})?[\s.,;:)\]…-]*(?:${DOTS})?\s*[\])]?\s*${CLOSE}?$`, 'i');
const HAS_CONTENT = new RegExp(String.raw`${DOTS}|[a-z]`, 'i');

/** Whether a line (trimmed) looks like an elision marker. `bare` also counts a lone `...` (Python's Ellipsis is code, so replacements skip it). */
export function isElisionMarker(line: string, bare: boolean): boolean {
  const t = line.trim();
  if (t === '') return false;
  if (BARE.test(t)) return bare || !/^(?:\.{3}|…)$/.test(t);
  return COMMENT.test(t) && HAS_CONTENT.test(t.replace(new RegExp('^' + OPEN), '')) && !/^[#;%*-]+$/.test(t);
}
