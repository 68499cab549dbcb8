/**
 * Command rules. `npm test` matches exactly those words; `git diff *` matches those words followed
 * by any arguments (or none); `/…/` is a regular expression, implicitly anchored, matched against
 * the words joined by single spaces. Words are compared after quote removal, so a rule can quote
 * a word with spaces (`git commit -m 'wip'`). Regular expressions run on RE2 (linear time): a
 * command the model writes cannot make a rule hang the editor.
 */
import { RE2JS } from 're2js';

export interface CommandRule {
  /** As the user wrote it (trimmed). */
  readonly source: string;
  /** Undefined words are computed when the command runs: with them, a rule may only `maybe` match. */
  test(words: readonly (string | undefined)[]): Match;
}

export type Match = 'yes' | 'maybe' | 'no';

export class RuleError extends Error {
  override name = 'RuleError';
}

const MAX_RULE_CHARS = 1000;

/** Parses a rule; throws RuleError with a message that says what to write instead. */
export function parseRule(text: string): CommandRule {
  const source = text.trim();
  if (source === '') throw new RuleError('A command rule cannot be empty.');
  if (source.length > MAX_RULE_CHARS) throw new RuleError(`The command rule "${source.slice(0, 40)}…" is longer than ${MAX_RULE_CHARS} characters.`);
  if (source.length >= 2 && source.startsWith('/') && source.endsWith('/')) return regexRule(source);
  const tokens = tokenize(source);
  const wildcard = tokens.length > 0 && tokens[tokens.length - 1] === STAR;
  const words = (wildcard ? tokens.slice(0, -1) : tokens).map((t) => (t === STAR ? '*' : t));
  if (words.length === 0) throw new RuleError(`The command rule "${source}" would match every command; name the program (e.g. "git diff *").`);
  if (words.some((w) => w === '')) throw new RuleError(`The command rule "${source}" has an empty word.`);
  const expected = canonical(words);
  const test = (given: readonly (string | undefined)[]): Match => {
    const actual = canonical(given);
    if (wildcard ? actual.length < expected.length : actual.length !== expected.length) return 'no';
    if (!expected.every((w, i) => actual[i] === undefined || w === actual[i])) return 'no';
    // Unknown words where the rule says `*` do not matter.
    return expected.every((_, i) => actual[i] !== undefined) ? 'yes' : 'maybe';
  };
  return { source, test };
}

function regexRule(source: string): CommandRule {
  const body = source.slice(1, -1);
  if (body.trim() === '' || /^(\.\*|\.\+)$/.test(body)) throw new RuleError(`The command rule "${source}" would match every command; write a pattern for one program.`);
  let re: RE2JS;
  try {
    re = RE2JS.compile(`^(?:${body})$`);
  } catch (error) {
    throw new RuleError(`The command rule "${source}" is not a valid regular expression: ${(error as Error).message}`);
  }
  // A pattern cannot be checked against words not known yet: it may match.
  const test = (words: readonly (string | undefined)[]): Match =>
    words.some((w) => w === undefined) ? 'maybe' : re.matches(canonical(words).join(' ')) ? 'yes' : 'no';
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
      if (end < 0) throw new RuleError(`The command rule "${text}" has an unbalanced ${ch === "'" ? 'single' : 'double'} quote.`);
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
  if (tokens.slice(0, -1).includes(STAR)) throw new RuleError(`In the command rule "${text}", * may only be the last word (it stands for any arguments).`);
  return tokens;
}

/** npm's aliases, so that a rule for `npm test` and one for `npm run test` mean the same command. */
const NPM_ALIASES: Record<string, string[]> = {
  test: ['run', 'test'], t: ['run', 'test'], tst: ['run', 'test'],
  start: ['run', 'start'], stop: ['run', 'stop'], restart: ['run', 'restart'],
  'run-script': ['run'], rum: ['run'], urn: ['run'],
};

function canonical<W extends string | undefined>(words: readonly W[]): W[] {
  if (words[0] !== 'npm' || words[1] === undefined) return [...words];
  const alias = NPM_ALIASES[words[1]] as W[] | undefined;
  return alias ? ['npm' as W, ...alias, ...words.slice(2)] : [...words];
}

/** Programs whose second word picks what they do (`git diff`, `npm test`): a rule with `*` keeps it. */
const SUBCOMMANDS = new Set(['git', 'npm', 'npx', 'yarn', 'pnpm', 'bun', 'cargo', 'go', 'docker', 'kubectl', 'pip', 'pip3', 'dotnet', 'gradle', 'mvn', 'make', 'just', 'deno', 'composer', 'poetry', 'uv', 'gh', 'rustup', 'brew', 'apt', 'conda']);

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
