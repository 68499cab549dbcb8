/**
 * Refusal messages, written for the model: which edit failed, why, and what to do instead,
 * with line numbers it can act on. Kept under MAX_MESSAGE characters.
 */
// l10n-ignore-file: edit refusals and match notes are tool results for the model
import { quote, type Region } from './closest';

const MAX_MESSAGE = 1200;
const MAX_LISTED = 6;

const IGNORING: Record<string, string> = {
  exact: '',
  'line endings': ' (ignoring line endings)',
  'trailing whitespace': ' (ignoring trailing whitespace)',
  'blank lines at the edges': ' (ignoring blank lines at its start and end)',
  indentation: ' (ignoring indentation)',
  whitespace: ' (ignoring whitespace)',
  'typographic quotes': ' (ignoring whitespace and typographic quotes)',
  'blank lines': ' (ignoring blank lines)',
};

export function editLabel(block: number, total: number): string {
  return `Edit ${block + 1} of ${total}`;
}

/** Ranges are 0-based inclusive line pairs. */
export function ambiguous(label: string, via: string, ranges: Array<readonly [number, number]>, total: number): string {
  const listed = ranges.slice(0, MAX_LISTED).map(([a, b]) => span(a, b));
  const more = total > listed.length ? ` and ${total - listed.length} more` : '';
  return clamp(
    `${label}: the search text matches ${total} places${IGNORING[via] ?? ''}: lines ${listed.join(', ')}${more}. ` +
      'Nothing was changed. Include more surrounding lines (for example the enclosing function or a unique neighbouring line) so that it matches exactly one place.',
  );
}

export function noMatch(
  label: string,
  regions: Region[],
  closestLine: { line: number; text: string; mine: string } | null,
  matchedBeforeEarlierEdits: boolean,
): string {
  let text = `${label}: the search text was not found in the file, so nothing was changed.`;
  if (matchedBeforeEarlierEdits) {
    text +=
      ' It matches the file as it was before the earlier edits of this call changed it: edits apply in order, so write each search text as the file will be after the edits before it (or merge overlapping edits into one).';
  } else if (regions.length > 0) {
    const parts = regions.map((r) => {
      const notes = r.notes.length > 0 ? `; ${r.notes.join('; ')}` : '';
      return `${lines(r.first, r.last)}${notes}`;
    });
    text += regions.length === 1 ? ` Closest match at ${parts[0]}.` : ` Closest matches, about equally close: ${parts.join('. And ')}.`;
  } else if (closestLine) {
    text += ` None of its lines is in the file; the most similar line is ${closestLine.line + 1}: ${quote(closestLine.text)} (you wrote ${quote(closestLine.mine)}).`;
  } else {
    text += ' None of its lines is in the file.';
  }
  return clamp(text + ' Copy the lines exactly as they are in the file (read it again if unsure).');
}

export function elision(label: string, marker: string, line: number, where: 'search' | 'replace'): string {
  const body =
    where === 'search'
      ? `the search text contains the elision marker ${quote(marker.trim())} (its line ${line + 1}), which is not in the file. ` +
        'The search text must be the exact lines of the file: write out the lines instead of eliding them, or use several smaller edits that each cover lines next to each other.'
      : `the replacement contains the elision marker ${quote(marker.trim())} (its line ${line + 1}). ` +
        'The replacement is written as is, so the code it stands for would be deleted: write out the lines instead of eliding them, or use smaller edits that leave that code outside the search text.';
  return clamp(`${label}: ${body} Nothing was changed.`);
}

const ELISION_HOW =
  'Between markers, the anchors must appear in the file in this order, without overlapping, each at exactly one place, and the code a marker stands for must be at least as indented as the marker.';

/** An anchor (the lines between elision markers) that is missing, out of order, or fits several places. */
export function elisionAnchor(
  label: string,
  why: 'missing' | 'order' | 'many',
  text: string,
  searchLine: number,
  ranges: Array<readonly [number, number]> = [],
  total = ranges.length,
): string {
  const anchor = `the part of the search between elision markers that starts at its line ${searchLine + 1} (${quote(text.trim())})`;
  const listed = ranges.slice(0, MAX_LISTED).map(([a, b]) => span(a, b));
  const more = total > listed.length ? ` and ${total - listed.length} more` : '';
  const what =
    why === 'missing'
      ? `${anchor} was not found in the file`
      : why === 'order'
        ? `${anchor} cannot be placed after the part before it`
        : `${anchor} fits ${total} places (lines ${listed.join(', ')}${more})`;
  const fix =
    why === 'many'
      ? 'Include a unique neighbouring line next to the marker, or write the elided lines out.'
      : 'Copy each part exactly from the file, or write the elided lines out.';
  return clamp(`${label}: ${what}. ${ELISION_HOW} Nothing was changed. ${fix}`);
}

export function elisionOnlyMarkers(label: string): string {
  return `${label}: the search text is only elision markers, so it does not say which lines to change. Nothing was changed. Copy the lines to change from the file.`;
}

export function elisionUnplaceable(label: string, searchLine: number): string {
  return clamp(
    `${label}: the replacement has lines next to an elision marker (near the search's line ${searchLine + 1}) where the search has none, so there is no place to put them. Nothing was changed. Put a line of the file next to the marker in both, or write the elided lines out.`,
  );
}

/** The replacement's first line is indented like neither the search's nor the file's: which frame it is in is unclear. */
export function indentConflict(label: string, at: { first: number; last: number; search: number; file: number; repl: number }): string {
  return clamp(
    `${label}: the search text matches ${lines(at.first, at.last)}, indented ${at.file} columns in the file where the search has ${at.search}, but the replacement's first line is indented ${at.repl}: it is unclear how to indent it. Nothing was changed. Write the replacement with the same indentation as the search text (or as the file).`,
  );
}

export function alreadyApplied(label: string, first: number, last: number): string {
  return (
    `${label}: the search text matches ${lines(first, last)}, but the lines around it already read as the replacement, ` +
    'so this edit looks applied already (or was sent twice); applying it again would duplicate them. Nothing was changed. ' +
    'Read the file again; if you really mean to repeat those lines, include the existing copy in the search text.'
  );
}

export function emptySearch(label: string): string {
  return `${label}: the search text is only blank lines, so there is nothing to anchor the edit. Put the exact lines to change in search; to insert, include a neighbouring line in search and repeat it in replace; to append at the end of the file, leave search empty.`;
}

export function noChange(label: string): string {
  return `${label}: search and replace are identical, so nothing would change. Put the new text in replace.`;
}

export function emptyFile(label: string): string {
  return `${label}: the file is empty, so the search text cannot be found. To write the first content of an empty file, use an empty search text.`;
}

function lines(first: number, last: number): string {
  return first === last ? `line ${first + 1}` : `lines ${first + 1}-${last + 1}`;
}

function span(first: number, last: number): string {
  return first === last ? `${first + 1}` : `${first + 1}-${last + 1}`;
}

function clamp(text: string): string {
  return text.length <= MAX_MESSAGE ? text : text.slice(0, MAX_MESSAGE - 3) + '...';
}
