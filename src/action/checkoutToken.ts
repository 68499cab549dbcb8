/**
 * actions/checkout leaves the job's token in the repository's git config (an `extraheader`)
 * unless told `persist-credentials: false`. The commands the agent runs never get the token from
 * the environment, but a file is another matter: `cat .git/config`, or a test the agent edits and
 * an allowed `npm test` then runs, could read it. The step warns, with the one-line fix.
 */
import { spawnSync } from 'node:child_process';

/** Whether git's config for this workspace (its includes too) holds an http extraheader. */
export function checkoutTokenLeft(workspace: string): boolean {
  const result = spawnSync('git', ['config', '--get-regexp', '^http\\..*\\.extraheader$'], { cwd: workspace, encoding: 'utf8' }); // l10n-ignore: a git pattern
  return result.status === 0 && result.stdout.trim() !== '';
}
