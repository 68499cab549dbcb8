/**
 * A task as command lines, for the command rules (src/core/commands): what its shown command line
 * is (`npm run test` for a script), with npm's `pre`/`post` scripts as lines of their own, an
 * environment the task sets as assignments, and `.npmrc` settings that pick the program as the
 * options they amount to — so the checker asks about each of them.
 */
/** One argument quoted for the shell commands run in: sh on Linux and macOS, cmd.exe on Windows (untested there). */
export function quoteForShell(arg: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return /^[\w@+=:,./\\-]+$/.test(arg) ? arg : `"${arg.replace(/"/g, '""').replace(/%/g, '"^%"')}"`;
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The lines the command rules read are sh syntax on every platform. */
export const posix = (arg: string) => quoteForShell(arg, 'linux');

/** `npm run NAME` and the pre/post scripts npm runs with it, in order. */
export function npmRunLines(scripts: Record<string, unknown>, name: string, npmrc: readonly string[] = []): string[] {
  const has = (n: string) => Object.hasOwn(scripts, n) && typeof scripts[n] === 'string';
  // `with .npmrc: script-shell=./x` → `--script-shell=./x`, which the checker knows changes what npm runs.
  const options = npmrc
    .map((line) => line.replace(/^with \.npmrc:\s*/, '').replace(/\s*=\s*/, '='))
    .map((kv) => ` ${posix(`--${kv}`)}`)
    .join('');
  const line = (n: string) => `npm${options} run ${posix(n)}`;
  return [...(has(`pre${name}`) ? [line(`pre${name}`)] : []), line(name), ...(has(`post${name}`) ? [line(`post${name}`)] : [])];
}

/** The lines run with the task's environment: `KEY=value line` (an assignment, which asks). */
export function withEnv(lines: readonly string[], env: Record<string, string> | undefined): string[] {
  const prefix = Object.entries(env ?? {})
    .map(([k, v]) => `${/^[A-Za-z_]\w*$/.test(k) ? k : '_'}=${posix(v)} `)
    .join('');
  return lines.map((l) => prefix + l);
}
