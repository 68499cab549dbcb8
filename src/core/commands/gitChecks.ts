/**
 * git reads its settings from the repository it runs in, and settings can run programs
 * (`core.fsmonitor`, `diff.external`, a pager). A repository the workspace carries in a subfolder,
 * or sets up in its root (a `.git` file, a bare repository), is not one the user has vouched for:
 * git run there (after a `cd`, with `-C`, `--git-dir`, `--work-tree`) asks (see pathArgs.ts for
 * the root), and so does a write to git's config.
 */
// l10n-ignore-file: command-check reasons are shown on approval cards and also given to the model as why a step was asked
const ELSEWHERE = ['-C', '--git-dir', '--work-tree'];

/** Why this git command is asked whatever the rules say, if it is. */
export function gitElsewhere(words: readonly string[], movedDir: boolean): string | undefined {
  const sub = words.findIndex((w, i) => i > 0 && !w.startsWith('-') && !ELSEWHERE.includes(words[i - 1] ?? '') && words[i - 1] !== '-c');
  const globals = words.slice(1, sub < 0 ? undefined : sub);
  if (globals.some((w) => ELSEWHERE.some((o) => w === o || w.startsWith(`${o}=`)))) return 'it runs git on another repository, whose settings may run programs';
  if (movedDir) return 'it runs git after a `cd`, in a folder whose repository settings may run programs';
  return undefined;
}

/** `git config KEY VALUE`, `--unset`, `--add`…: a change to git's settings (always asked). */
export function gitConfigWrite(words: readonly string[]): boolean {
  const at = words.indexOf('config');
  if (at < 0 || words.slice(1, at).some((w) => !w.startsWith('-'))) return false;
  const rest = words.slice(at + 1);
  const reading = rest.some((w) => /^--(get|get-all|get-regexp|list|show-origin)$/.test(w) || w === '-l') || rest.filter((w) => !w.startsWith('-')).length <= 1;
  return !reading;
}
