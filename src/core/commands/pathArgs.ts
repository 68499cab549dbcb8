/**
 * Where a command's file arguments and redirections land: outside the workspace, on a protected
 * path, or on a file kept from the model (.stepwiseignore). Every word that is not an option is
 * treated as a possible path (a pattern or a message that happens to look like `~/x` asks; that
 * is the safe side). A `cd` earlier in the line moves where later relative paths land.
 */
// l10n-ignore-file: command-check reasons are shown on approval cards and also given to the model as why a step was asked
import picomatch from 'picomatch';
import { BUILT_IN_PROTECTED } from '../protectedPaths';
import type { Word } from './shellSyntax';
import { programName } from './wrappers';

export interface PathFacts {
  outside: boolean;
  /** Workspace-relative, when inside. */
  rel?: string;
  protected: boolean;
  private: boolean;
  directory: boolean;
  /** With `needDirectory`: whether something is there at all. */
  exists?: boolean;
}

/** What the checker may ask of the workspace. */
export interface WorkspaceFacts {
  /** `directory` is only looked up when `needDirectory` is set. */
  path(relOrAbsolute: string, needDirectory: boolean): Promise<PathFacts>;
  /** Whether .stepwiseignore lists any files. */
  readonly hasPrivateRules: boolean;
}

/**
 * Names in the built-in protected paths (src/core/protectedPaths.ts), to test a file pattern
 * (`rm *`) against: every name in each entry (`.github` too), `*.code-workspace` as one such file.
 */
const PROTECTED_NAMES = [
  ...new Set(
    BUILT_IN_PROTECTED.flatMap((entry) =>
      entry
        .split('/')
        .filter((n) => n !== '**')
        .map((n) => n.replace('*', 'workspace')),
    ),
  ),
];
/** Folders that hold protected paths without being protected themselves: removing one removes those. */
const HOLDS_PROTECTED = new Set(
  BUILT_IN_PROTECTED.flatMap((entry) =>
    entry
      .split('/')
      .filter((n) => n !== '**')
      .slice(0, -1),
  ),
);

/** Programs that print the content of every file in a folder (grep only with -r). */
const FOLDER_READERS = new Set(['grep', 'egrep', 'fgrep', 'rg']);
/** git subcommands that print file contents (of tracked files, which may be listed in .stepwiseignore). */
const GIT_CONTENT = new Set(['diff', 'show', 'log', 'grep', 'blame', 'cat-file']);

export interface PathVerdict {
  /** Asked unless execute is auto-approved. */
  reasons: string[];
  /** Asked whatever the settings say. */
  always: string[];
  /** Protected paths a writing command names (workspace-relative). */
  protectedPaths: string[];
}

export class PathChecker {
  /** Folders a `cd` earlier in the line may have moved to ('' = the workspace root). */
  private readonly cwds: string[] = [''];
  private cwdUnknown = false;
  /** Lookups run in parallel; their findings are added in the order of the words (settle). */
  private readonly pending: { verdict: PathVerdict; found: Promise<PathVerdict> }[] = [];

  private readonly seen = new Map<string, Promise<PathFacts>>();

  constructor(private readonly facts: WorkspaceFacts) {}

  private lookup(full: string, needDirectory = false): Promise<PathFacts> {
    const key = `${needDirectory ? 'd' : 'p'}:${full}`;
    let found = this.seen.get(key);
    if (!found) this.seen.set(key, (found = this.facts.path(full, needDirectory)));
    return found;
  }

  /** Checks one simple command's arguments (after its program) and notes a `cd`. */
  arguments(words: readonly Word[], writes: boolean, verdict: PathVerdict): void {
    const program = programName(words[0]?.value) ?? '';
    const args = words.slice(1);
    const operands = args.filter((w) => w.value === undefined || !w.value.startsWith('-'));
    const readsFolders = FOLDER_READERS.has(program) && recursive(program, args);
    for (const word of args) {
      const value = word.value;
      if (value === undefined) continue;
      // `--file=path` and `-f/path` name a path too; a bare option does not.
      const target = value.startsWith('-') ? optionValue(value) : value;
      if (target === undefined || target === '') continue;
      this.target(target, word.glob === true, writes, readsFolders, verdict);
    }
    const gitShows =
      GIT_CONTENT.has(operands[0]?.value ?? '') ||
      (operands[0]?.value === 'status' && args.some((w) => w.value !== undefined && /^-(v+|-verbose)$/.test(w.value)));
    if (this.facts.hasPrivateRules && (program === 'git' ? gitShows : readsFolders && operands.length <= 1)) {
      // With only a pattern, grep -r and rg search the current folder.
      verdict.reasons.push(`\`${program}\` can show files kept from the model (.stepwiseignore)`);
    }
    if (program === 'cd' || program === 'pushd') {
      const dir = operands[0]?.value;
      if (dir === undefined || dir === '-' || dir.startsWith('~') || operands.length === 0 || operands[0]?.glob) this.cwdUnknown = true;
      else for (const base of [...this.cwds]) this.cwds.push(join(base, dir));
    }
  }

  /** A redirection's file: `write` for `>`, `>>`…, read for `<`. */
  redirect(target: Word, write: boolean, verdict: PathVerdict): void {
    if (target.value === undefined) {
      verdict.reasons.push(write ? 'writes to a file whose name is computed when it runs' : 'reads a file whose name is computed when it runs');
      return;
    }
    if (write && target.value === '/dev/null') return;
    if (write) verdict.reasons.push(`writes to a file (${target.value})`);
    this.target(target.value, target.glob === true, write, false, verdict);
  }

  /** Whether a `cd` earlier in the line may have moved where this part runs. */
  get moved(): boolean {
    return this.cwdUnknown || this.cwds.length > 1;
  }

  /**
   * git reads the settings of the repository it finds. At the workspace root that is its own `.git`
   * folder, or an enclosing repository outside it (a subfolder of the user's repository); a `.git`
   * file (pointing anywhere) or a bare repository laid out in the root is the workspace's to choose.
   */
  gitRepository(reason: string, verdict: PathVerdict): void {
    const found: PathVerdict = { reasons: [], always: [], protectedPaths: [] };
    const check = Promise.all([this.lookup('.git', true), this.lookup('HEAD', true), this.lookup('objects', true)]).then(([git, head, objects]) => {
      const pointer = git.exists === true && !git.directory;
      const bare = git.exists !== true && head.exists === true && !head.directory && objects.directory;
      return pointer || bare ? { ...found, reasons: [reason] } : found;
    });
    this.pending.push({ verdict, found: check });
  }

  /** Waits for the lookups and adds what they found to each verdict, in the order of the words. */
  async settle(): Promise<void> {
    for (const { verdict, found } of this.pending) {
      const f = await found;
      verdict.reasons.push(...f.reasons);
      verdict.always.push(...f.always);
      verdict.protectedPaths.push(...f.protectedPaths);
    }
    this.pending.length = 0;
  }

  private target(value: string, glob: boolean, writes: boolean, readsFolders: boolean, verdict: PathVerdict): void {
    if (value.startsWith('~')) {
      verdict.reasons.push(`\`${value}\` is outside the workspace`);
      return;
    }
    const absolute = value.startsWith('/');
    // `a/../b` is resolved by the system through `a` (a link out goes out): Stepwise does not follow it.
    if (value.split('/').some((seg) => seg === '..' || (glob && /^\.[*?[]/.test(seg)))) {
      verdict.reasons.push(`\`${value}\` goes up a folder (\`..\`), which Stepwise does not follow`);
      return;
    }
    if (!absolute && this.cwdUnknown) {
      verdict.reasons.push(`\`${value}\` is used after a \`cd\` Stepwise cannot follow`);
      return;
    }
    for (const base of absolute ? [''] : this.cwds) {
      const full = absolute ? value : join(base, value);
      const found: PathVerdict = { reasons: [], always: [], protectedPaths: [] };
      const lookup = glob ? this.pattern(full, writes, found) : this.literal(full, value, writes, readsFolders, found);
      this.pending.push({ verdict, found: lookup.then(() => found) });
    }
  }

  private async literal(full: string, shown: string, writes: boolean, readsFolders: boolean, verdict: PathVerdict): Promise<void> {
    const facts = await this.lookup(full, readsFolders && this.facts.hasPrivateRules);
    if (facts.outside) verdict.reasons.push(`\`${shown}\` is outside the workspace`);
    else if (facts.private) verdict.reasons.push(`\`${shown}\` is kept from the model (.stepwiseignore)`);
    else if (facts.directory && this.facts.hasPrivateRules && readsFolders) {
      verdict.reasons.push(`\`${shown}\` is a folder that may hold files kept from the model (.stepwiseignore)`);
    }
    const holder = facts.rel !== undefined && HOLDS_PROTECTED.has(facts.rel.slice(facts.rel.lastIndexOf('/') + 1));
    if ((facts.protected || holder) && writes) {
      verdict.always.push(`it names a protected path (${facts.rel ?? shown}), so it is always asked`);
      verdict.protectedPaths.push(facts.rel ?? shown);
    }
  }

  /** `src/*.ts`: the folder must be inside, and the pattern must not reach a protected name. */
  private async pattern(full: string, writes: boolean, verdict: PathVerdict): Promise<void> {
    const slash = full.lastIndexOf('/');
    const dir = slash < 0 ? '' : slash === 0 ? '/' : full.slice(0, slash);
    const last = full.slice(slash + 1);
    if (/[*?[]/.test(dir)) {
      verdict.reasons.push(`the file pattern \`${full}\` spans folders Stepwise does not expand`);
      return;
    }
    const folder = dir === '' ? { outside: false, protected: false, private: false, directory: true } : await this.lookup(dir);
    if (folder.outside) {
      verdict.reasons.push(`\`${full}\` is outside the workspace`);
      return;
    }
    if (this.facts.hasPrivateRules) verdict.reasons.push(`the file pattern \`${full}\` may match files kept from the model (.stepwiseignore)`);
    if (!writes) return;
    const matcher = picomatch(last, { dot: last.startsWith('.') });
    const hit = folder.protected ? dir : PROTECTED_NAMES.find((name) => matcher(name));
    if (hit !== undefined || (this.facts.hasPrivateRules && writes)) {
      verdict.always.push(`the file pattern \`${full}\` may match a protected path${hit ? ` (${hit})` : ''}, so it is always asked`);
    }
  }
}

function recursive(program: string, args: readonly Word[]): boolean {
  if (program === 'rg') return true;
  // -r, -R, --recursive, and -d recurse / --directories=recurse (any abbreviation).
  return args.some((w) => w.value !== undefined && (/^-[a-zA-Z]*[rR]/.test(w.value) || /^--(r|d)/.test(w.value) || /recurse$/.test(w.value)));
}

/** The path an option word may carry: `--file=PATH`, or a short option's glued value (`-f/etc/x`, `-f.env`). */
function optionValue(word: string): string | undefined {
  if (word.startsWith('--')) return /^--[\w-]+=(.+)$/s.exec(word)?.[1];
  const at = word.slice(2).search(/[/~.]/);
  return at < 0 ? undefined : word.slice(2 + at);
}

function join(base: string, rel: string): string {
  if (rel.startsWith('/') || base === '') return rel;
  return `${base.replace(/\/$/, '')}/${rel}`;
}
