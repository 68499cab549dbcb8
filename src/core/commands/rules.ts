/**
 * Command rules. `npm test` matches exactly those words; `git diff *` matches those words followed
 * by any arguments (or none); `/…/` is a regular expression, implicitly anchored, matched against
 * the words joined by single spaces. Words are compared after quote removal, so a rule can quote
 * a word with spaces (`git commit -m 'wip'`). Regular expressions run on RE2 (linear time): a
 * command the model writes cannot make a rule hang the editor.
 */
import * as l10n from '@vscode/l10n';
import picomatch from 'picomatch';
import { RE2JS } from 're2js';

/** A word as known before the command runs: its text, unknown (computed), or a file pattern the shell expands. */
export type RuleWord = string | undefined | { glob: string };

export interface CommandRule {
  /** As the user wrote it (trimmed). */
  readonly source: string;
  /** With unknown words or patterns, a rule may only `maybe` match. */
  test(words: readonly RuleWord[]): Match;
}

export type Match = 'yes' | 'maybe' | 'no';

export class RuleError extends Error {
  override name = 'RuleError';
}

const MAX_RULE_CHARS = 1000;

/** Parses a rule; throws RuleError with a message that says what to write instead. */
export function parseRule(text: string): CommandRule {
  const source = text.trim();
  if (source === '') throw new RuleError(l10n.t('A command rule cannot be empty.'));
  if (source.length > MAX_RULE_CHARS)
    throw new RuleError(l10n.t('The command rule "{0}…" is longer than {1} characters.', source.slice(0, 40), MAX_RULE_CHARS));
  if (source.length >= 2 && source.startsWith('/') && source.endsWith('/')) return regexRule(source);
  const tokens = tokenize(source);
  const wildcard = tokens.length > 0 && tokens[tokens.length - 1] === STAR;
  const words = (wildcard ? tokens.slice(0, -1) : tokens).map((t) => (t === STAR ? '*' : t));
  if (words.length === 0) throw new RuleError(l10n.t('The command rule "{0}" would match every command; name the program (e.g. "git diff *").', source));
  if (words.some((w) => w === '')) throw new RuleError(l10n.t('The command rule "{0}" has an empty word.', source));
  const expected = canonical(words);
  const test = (given: readonly RuleWord[]): Match => {
    const actual = canonical(given);
    if (wildcard ? actual.length < expected.length : actual.length !== expected.length) return 'no';
    if (!expected.every((w, i) => couldBe(actual[i], w))) return 'no';
    // Unknown words where the rule says `*` do not matter.
    return expected.every((_, i) => typeof actual[i] === 'string') ? 'yes' : 'maybe';
  };
  return { source, test };
}

function regexRule(source: string): CommandRule {
  const body = source.slice(1, -1);
  if (body.trim() === '' || /^(\.\*|\.\+)$/.test(body))
    throw new RuleError(l10n.t('The command rule "{0}" would match every command; write a pattern for one program.', source));
  let re: RE2JS;
  try {
    re = RE2JS.compile(`^(?:${body})$`);
  } catch (error) {
    throw new RuleError(l10n.t('The command rule "{0}" is not a valid regular expression: {1}', source, (error as Error).message));
  }
  // Words not known yet may make a pattern match, unless the known start already differs from its literal start.
  // (Its last literal character may be under a quantifier, `x?`: it is left out.)
  const prefix = /[|]/.test(body) ? '' : /^[^\\.^$|?*+()[\]{}]*/.exec(body)![0].slice(0, -1);
  const test = (words: readonly RuleWord[]): Match => {
    const given = canonical(words);
    if (given.every((w): w is string => typeof w === 'string')) return re.matches(given.join(' ')) ? 'yes' : 'no';
    const unknownAt = given.findIndex((w) => typeof w !== 'string');
    const known = `${given.slice(0, unknownAt).join(' ')}${unknownAt > 0 ? ' ' : ''}`;
    return known.startsWith(prefix) || prefix.startsWith(known) ? 'maybe' : 'no';
  };
  return { source, test };
}

/** A marker for an unquoted `*` word (a quoted '*' is a literal star). */
const STAR = '\u0000*';

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let current: string | undefined;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      if (current !== undefined) tokens.push(current === '*' && !quoted ? STAR : current);
      current = undefined;
      quoted = false;
    } else if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end < 0)
        throw new RuleError(
          ch === "'"
            ? l10n.t('The command rule "{0}" has an unbalanced single quote.', text)
            : l10n.t('The command rule "{0}" has an unbalanced double quote.', text),
        );
      current = (current ?? '') + text.slice(i + 1, end);
      quoted = true;
      i = end;
    } else if (ch === '\\' && i + 1 < text.length) {
      current = (current ?? '') + text[++i];
      quoted = true;
    } else {
      current = (current ?? '') + ch;
    }
  }
  if (current !== undefined) tokens.push(current === '*' && !quoted ? STAR : current);
  if (tokens.slice(0, -1).includes(STAR))
    throw new RuleError(l10n.t('In the command rule "{0}", * may only be the last word (it stands for any arguments).', text));
  return tokens;
}

/** npm's aliases, so that a rule for `npm test` and one for `npm run test` mean the same command. */
const NPM_ALIASES: Record<string, string[]> = {
  test: ['run', 'test'],
  t: ['run', 'test'],
  tst: ['run', 'test'],
  start: ['run', 'start'],
  stop: ['run', 'stop'],
  restart: ['run', 'restart'],
  'run-script': ['run'],
  rum: ['run'],
  urn: ['run'],
};

/** npm's aliases spelled out, and runs of short options as one sorted cluster (`rm -r -f` = `rm -fr` = `rm -rf`). */
function canonical<W extends RuleWord>(words: readonly W[]): W[] {
  const merged: W[] = [];
  for (const word of words) {
    const last = merged[merged.length - 1];
    if (typeof word === 'string' && merged.length > 0 && /^-[a-zA-Z]+$/.test(word) && typeof last === 'string' && /^-[a-zA-Z]+$/.test(last)) {
      merged[merged.length - 1] = `-${[...new Set([...last.slice(1), ...word.slice(1)])].sort().join('')}` as W;
    } else if (typeof word === 'string' && merged.length > 0 && /^-[a-zA-Z]+$/.test(word)) {
      merged.push(`-${[...new Set(word.slice(1))].sort().join('')}` as W);
    } else merged.push(word);
  }
  const sub = merged[1];
  if (merged[0] !== 'npm' || typeof sub !== 'string') return merged;
  const alias = NPM_ALIASES[sub] as W[] | undefined;
  return alias ? ['npm' as W, ...alias, ...merged.slice(2)] : merged;
}

/** Whether a word as known now could be the rule's word once the command runs. */
function couldBe(actual: RuleWord, expected: string): boolean {
  if (actual === undefined) return true;
  if (typeof actual === 'string') return actual === expected;
  return picomatch(actual.glob, { dot: true })(expected);
}

/** Programs whose second word picks what they do (`git diff`, `npm test`): a rule with `*` keeps it. */
const SUBCOMMANDS = new Set([
  'git',
  'npm',
  'npx',
  'yarn',
  'pnpm',
  'bun',
  'cargo',
  'go',
  'docker',
  'kubectl',
  'pip',
  'pip3',
  'dotnet',
  'gradle',
  'mvn',
  'make',
  'just',
  'deno',
  'composer',
  'poetry',
  'uv',
  'gh',
  'rustup',
  'brew',
  'apt',
  'conda',
]);

/** The command's name as the user knows it: the program, and its subcommand when it has one. */
export function commandName(words: readonly string[]): string {
  const program = words[0] ?? '';
  const base = program.slice(program.lastIndexOf('/') + 1);
  return SUBCOMMANDS.has(base) && words[1] !== undefined && /^[a-z][\w:.-]*$/i.test(words[1]) ? `${program} ${words[1]}` : program;
}

/** A rule the user can save for these words: exact, or the program (and subcommand) with `*`. */
export function suggestRule(words: readonly string[], anyArguments: boolean): string {
  if (!anyArguments) return words.map(quoteWord).join(' ');
  return `${commandName(words).split(' ').map(quoteWord).join(' ')} *`;
}

function quoteWord(word: string): string {
  if (word === '*') return "'*'";
  return /^[\w@%+=:,./~-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Rules from settings or flags; the first invalid one throws RuleError (said with where it came from). */
export function parseRules(texts: readonly string[], where: string): CommandRule[] {
  return texts.map((text) => {
    try {
      return parseRule(text);
    } catch (error) {
      throw new RuleError(`${where}: ${(error as Error).message}`);
    }
  });
}
