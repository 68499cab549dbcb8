/**
 * actions/checkout leaves the job's token in the repository's git config (an `extraheader`)
 * unless told `persist-credentials: false`. The commands the agent runs never get the token from
 * the environment, but a file is another matter: `cat .git/config`, or a test the agent edits and
 * an allowed `npm test` then runs, could read it. The step warns, with the one-line fix.
 */
import { spawnSync } from 'node:child_process';

/** Whether git's config for this workspace (its includes too) holds an http extraheader. */
export function checkoutTokenLeft(workspace: string): boolean {
  // safe.directory: a container job's checkout belongs to another user, and git would refuse to read it.
  const args = ['-c', 'safe.directory=*', 'config', '--get-regexp', '^http\\..*\\.extraheader$']; // l10n-ignore: git's arguments
  const result = spawnSync('git', args, { cwd: workspace, encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() !== '';
}
