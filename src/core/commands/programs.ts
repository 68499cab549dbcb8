/**
 * What Stepwise knows about particular programs: the built-in allow list of read-only commands,
 * the options that make an allowed program write files or run code (asked even under a `*` rule),
 * and the script runners whose behaviour a project's files decide.
 */
// l10n-ignore-file: the built-in command rules and the command-check reasons (shown on approval cards and given to the model)
import { sedRisk } from './sedScript';
import { programName } from './wrappers';

/** Read-only everyday commands, allowed unless the user switches the list off. */
export const BUILT_IN_ALLOW: readonly string[] = [
  'ls *',
  'cat *',
  'head *',
  'tail *',
  'wc *',
  'pwd',
  'echo *',
  'printf *',
  'grep *',
  'egrep *',
  'fgrep *',
  'rg *',
  'find *',
  'sed *',
  'sort *',
  'cut *',
  'tr *',
  'diff *',
  'cmp *',
  'file *',
  'stat *',
  'du *',
  'tree *',
  'basename *',
  'dirname *',
  'realpath *',
  'which *',
  'whoami',
  'uname *',
  'date',
  'true',
  'false',
  'cd *',
  'git status *',
  'git diff *',
  'git log *',
  'git show *',
  'git branch',
  'git rev-parse *',
  'git ls-files *',
  'git blame *',
  'node --version',
  'npm --version',
];

/** Programs that only read: naming a protected path is fine for them (writing one is not). */
const READ_ONLY = new Set([
  'ls',
  'cat',
  'head',
  'tail',
  'wc',
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'find',
  'diff',
  'cmp',
  'file',
  'stat',
  'du',
  'tree',
  'basename',
  'dirname',
  'realpath',
  'echo',
  'printf',
  'cd',
  'pwd',
]);

export function isReadOnlyProgram(words: readonly string[]): boolean {
  const name = programName(words[0]);
  if (name === 'git')
    return ['status', 'diff', 'log', 'show', 'blame', 'ls-files', 'rev-parse'].includes(words.find((w, i) => i > 0 && !w.startsWith('-')) ?? '');
  return name !== undefined && READ_ONLY.has(name);
}

/** Options that write files or run other programs, per program. Long options match GNU-style abbreviations too. */
const RISKY_OPTIONS: Record<string, { long?: string[]; short?: string; words?: string[]; why: string }> = {
  git: {
    long: ['--output', '--output-directory', '--config-env', '--exec-path', '--upload-pack', '--receive-pack', '--open-files-in-pager', '--ext-diff'],
    short: 'cO',
    why: 'can write a file or run another program',
  },
  find: {
    words: ['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fprint0', '-fprintf', '-fls', '-L', '-follow', '-files0-from'],
    why: 'can run commands, delete or write files, or follow links out of the workspace',
  },
  sort: { long: ['--output', '--compress-program', '--files0-from'], short: 'o', why: 'can write a file, run another program or read file names it is given' },
  rg: { long: ['--pre', '--hostname-bin', '--follow'], short: 'L', why: 'can run other programs on the files or follow links out of the workspace' },
  grep: { long: ['--dereference-recursive'], short: 'R', why: 'follows links, which may lead out of the workspace' },
  egrep: { long: ['--dereference-recursive'], short: 'R', why: 'follows links, which may lead out of the workspace' },
  fgrep: { long: ['--dereference-recursive'], short: 'R', why: 'follows links, which may lead out of the workspace' },
  du: { long: ['--dereference', '--files0-from'], short: 'L', why: 'follows links or reads file names it is given' },
  wc: { long: ['--files0-from'], why: 'reads file names it is given' },
  printf: { short: 'v', why: 'sets a variable, which can change how programs run' },
  npm: {
    long: ['--script-shell', '--node-options', '--userconfig', '--globalconfig', '--call', '--prefix'],
    short: 'c',
    why: 'changes which program npm runs',
  },
  tree: { long: ['--fromfile', '--output'], short: 'olR', why: 'can write files, follow links out of the workspace or read names it is given' },
  diff: { long: ['--recursive'], short: 'r', why: 'follows links while it recurses, which may lead out of the workspace' },
  file: { long: ['--compile'], short: 'C', why: 'can write a file' },
  tar: {
    long: ['--to-command', '--checkpoint-action', '--use-compress-program', '--info-script', '--new-volume-script'],
    short: 'IF',
    why: 'can run another program',
  },
};

/** Why this command's options may write or run code, or undefined. */
export function riskyOption(words: readonly string[]): string | undefined {
  const name = programName(words[0]);
  if (name === undefined) return undefined;
  if (name === 'sed') return sedRisk(words.slice(1));
  if (name === 'tee' && words.slice(1).some((w) => !w.startsWith('-'))) return '`tee` writes to files';
  const spec = RISKY_OPTIONS[name];
  if (!spec) return undefined;
  for (const word of words.slice(1)) {
    // find's expression comes after `--` (and its paths); for the others `--` ends the options.
    if (word === '--' && name !== 'find') break;
    if (spec.words?.includes(word)) return `\`${word}\` ${spec.why}`;
    if (word.startsWith('--') && word.length > 2) {
      const given = word.includes('=') ? word.slice(0, word.indexOf('=')) : word;
      const hit = spec.long?.find((o) => o.startsWith(given));
      if (hit) return `\`${hit}\` ${spec.why}`;
    } else if (/^-[^-]/.test(word) && spec.short && !spec.words) {
      const letter = [...word.slice(1)].find((c) => spec.short!.includes(c));
      if (letter) return `\`-${letter}\` ${spec.why}`;
    }
  }
  return undefined;
}

/**
 * Programs whose rules allow whatever the project's files tell them to run, and those files:
 * once the task changed one, the rule no longer covers what the user allowed.
 */
const SCRIPT_RUNNERS: Record<string, readonly string[]> = {
  npm: ['package.json', '.npmrc'],
  npx: ['package.json', '.npmrc'],
  yarn: ['package.json', '.yarnrc', '.yarnrc.yml'],
  pnpm: ['package.json', '.npmrc', 'pnpm-workspace.yaml', '.pnpmfile.cjs'],
  bun: ['package.json', 'bunfig.toml'],
  make: ['Makefile', 'makefile', 'GNUmakefile'],
  pytest: ['conftest.py', 'pytest.ini', 'pyproject.toml', 'setup.cfg', 'tox.ini'],
  tox: ['tox.ini', 'pyproject.toml', 'setup.cfg'],
  cargo: ['Cargo.toml', 'build.rs', 'config.toml'],
  go: ['go.mod', 'go.work'],
  gradle: ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts'],
  gradlew: ['build.gradle', 'build.gradle.kts', 'gradle-wrapper.properties'],
  mvn: ['pom.xml'],
  rake: ['Rakefile'],
  just: ['justfile', 'Justfile', '.justfile'],
  deno: ['deno.json', 'deno.jsonc'],
  composer: ['composer.json'],
  jest: ['package.json', 'jest.config.js', 'jest.config.ts', 'jest.config.mjs', 'jest.config.cjs'],
  vitest: ['package.json', 'vitest.config.ts', 'vitest.config.js', 'vite.config.ts', 'vite.config.js'],
};

export function isScriptRunner(words: readonly string[]): boolean {
  const name = programName(words[0]);
  return (
    name !== undefined &&
    (Object.hasOwn(SCRIPT_RUNNERS, name) || words[0]!.includes('/') || ((name === 'python' || name === 'python3') && words.includes('pytest')))
  );
}

/** The file (by name) the task changed that decides what this command runs, if any. */
export function changedRunnerFile(words: readonly string[], changed: Iterable<string>): string | undefined {
  const program = words[0];
  const name = programName(program);
  if (program === undefined || name === undefined) return undefined;
  const files = SCRIPT_RUNNERS[name] ?? (name === 'python' || name === 'python3' ? (words.includes('pytest') ? SCRIPT_RUNNERS.pytest : undefined) : undefined);
  for (const path of changed) {
    const base = path.slice(path.lastIndexOf('/') + 1);
    // A program run from the workspace (`./build.sh`) that the task changed is a changed program.
    if (program.includes('/') && path === program.replace(/^\.\//, '')) return path;
    if (files?.includes(base) || (name === 'make' && base.endsWith('.mk'))) return path;
  }
  return undefined;
}
