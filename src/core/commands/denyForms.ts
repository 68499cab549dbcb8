/**
 * The forms a deny rule is matched against, so that it cannot be stepped around by spelling the
 * same command differently: the words as written, the program without its folder (`/bin/rm`),
 * without the options before its subcommand (`git -C . push`, `npm --prefix x publish`), and
 * npm's abbreviations of its commands (`npm publis`). Matching more is the safe side for a deny.
 */
import type { RuleWord } from './rules';

type Words = readonly RuleWord[];

/** Global options that take a value in the next word, per program (before the subcommand). */
const VALUE_OPTIONS: Record<string, readonly string[]> = {
  git: ['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env', '--super-prefix', '--list-cmds'],
  npm: ['--prefix', '-C', '--workspace', '-w', '--userconfig', '--registry', '--cache', '--loglevel'],
  docker: ['-H', '--host', '--context', '-c', '--config', '-l', '--log-level'],
  cargo: ['-C', '--config', '-Z', '--color'],
};

const NPM_COMMANDS = [
  'access',
  'adduser',
  'audit',
  'bugs',
  'cache',
  'ci',
  'completion',
  'config',
  'dedupe',
  'deprecate',
  'diff',
  'dist-tag',
  'docs',
  'doctor',
  'edit',
  'exec',
  'explain',
  'explore',
  'find-dupes',
  'fund',
  'help',
  'hook',
  'init',
  'install',
  'install-ci-test',
  'install-test',
  'link',
  'll',
  'login',
  'logout',
  'ls',
  'org',
  'outdated',
  'owner',
  'pack',
  'ping',
  'pkg',
  'prefix',
  'profile',
  'prune',
  'publish',
  'query',
  'rebuild',
  'repo',
  'restart',
  'root',
  'run',
  'run-script',
  'sbom',
  'search',
  'shrinkwrap',
  'star',
  'stars',
  'start',
  'stop',
  'team',
  'test',
  'token',
  'uninstall',
  'unpublish',
  'unstar',
  'update',
  'version',
  'view',
  'whoami',
];

export function denyForms(layers: readonly Words[]): Words[] {
  const forms: Words[] = [];
  for (const words of layers) {
    forms.push(words);
    const program = words[0];
    if (program === undefined) continue;
    const text = typeof program === 'string' ? program : program.glob;
    const base = text.slice(text.lastIndexOf('/') + 1);
    const name: RuleWord = typeof program === 'string' ? base : { glob: base };
    const bare = [name, ...words.slice(1)];
    if (base !== text) forms.push(bare);
    if (typeof name !== 'string') continue;
    const stripped = withoutLeadingOptions(bare, VALUE_OPTIONS[name] ?? []);
    if (stripped.length !== bare.length) forms.push(stripped);
    if (name === 'npm') {
      const sub = stripped[1];
      const full = typeof sub !== 'string' || NPM_COMMANDS.includes(sub) ? undefined : NPM_COMMANDS.filter((c) => c.startsWith(sub));
      if (full?.length === 1) forms.push(['npm', full[0], ...stripped.slice(2)]);
    }
  }
  return forms;
}

function withoutLeadingOptions(words: Words, valueOptions: readonly string[]): Words {
  let i = 1;
  while (i < words.length) {
    const word = words[i];
    if (typeof word !== 'string' || !word.startsWith('-')) break;
    i += valueOptions.includes(word) ? 2 : 1;
  }
  return [words[0], ...words.slice(i)];
}

/** The commands `find … -exec CMD … ;` (and -execdir, -ok, -okdir) runs. */
export function execLayers<W extends { value?: string }>(words: readonly W[]): W[][] {
  const name = words[0]?.value;
  if (name === undefined || name.slice(name.lastIndexOf('/') + 1) !== 'find') return [];
  const layers: W[][] = [];
  for (let i = 1; i < words.length; i++) {
    if (!['-exec', '-execdir', '-ok', '-okdir'].includes(words[i]!.value ?? '')) continue;
    const end = words.findIndex((w, j) => j > i && (w.value === ';' || w.value === '+'));
    layers.push(words.slice(i + 1, end < 0 ? undefined : end));
    if (end > 0) i = end;
  }
  return layers;
}
