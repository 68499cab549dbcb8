/**
 * Finds a runnable task by name in a plain folder: a `.vscode/tasks.json` shell/process/npm task
 * by label (with the tasks it `dependsOn`, run first), or a `package.json` script by name, and
 * turns it into the processes to run. The description says everything that will run — npm's
 * `pre`/`post` scripts, a script's body, each dependency, a working folder or environment the
 * task sets — because that, not the task's name, is what the user approves.
 * (Inside VS Code the tasks API runs tasks; see src/vscode/taskRunner.ts.)
 */
// l10n-ignore-file: task descriptions and errors are for the model (and the approval detail, which shows the command lines as they are)
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { HostError } from './host';
import { isInside, realpathOfNearestExisting, toPosix } from './pathSafety';
import { childEnvironment } from './commandEnvironment';
import type { ProcessSpec } from './processRunner';
import { npmRunLines, posix, quoteForShell, withEnv } from './taskCommandLines';

export interface TaskJson {
  label?: string;
  type?: string;
  command?: string | string[];
  args?: (string | { value: string })[];
  script?: string;
  path?: string;
  options?: { cwd?: string; env?: Record<string, string> };
  dependsOn?: string | { label?: string } | (string | { label?: string })[];
  linux?: Partial<TaskJson>;
  osx?: Partial<TaskJson>;
  windows?: Partial<TaskJson>;
}

export interface TaskStep {
  spec: ProcessSpec;
  /** One line: `tasks.json "lint": eslint .` */
  title: string;
  /** The command lines it amounts to, for the command rules (taskCommandLines.ts). */
  lines: string[];
}

export interface ResolvedTask {
  /** In order: the task's dependencies first, then the task itself. */
  steps: TaskStep[];
  /** What will run, for the approval and the model: every step, with its scripts, folder and environment. */
  description: string;
}

/** The command lines of every step, in the order they run. */
export function taskLinesOf(task: ResolvedTask): string[] {
  return task.steps.flatMap((s) => s.lines);
}

/** dependsOn chains deeper than this are refused (and cycles always). */
const MAX_DEPTH = 8;

async function readJson(file: string): Promise<unknown> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) return undefined;
  if (!stat.isFile()) throw new HostError(`${path.basename(file)} is not a regular file.`);
  const text = await fs.readFile(file, 'utf8');
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length) throw new HostError(`${path.basename(file)} is not valid JSON; fix it before running tasks from it.`);
  return value;
}

function platformKey(): 'linux' | 'osx' | 'windows' {
  return process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'osx' : 'linux';
}

function substitute(value: string, root: string): string {
  return value.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    if (name === 'workspaceFolder' || name === 'workspaceRoot') return root;
    if (name === 'workspaceFolderBasename') return path.basename(root);
    if (name === 'pathSeparator' || name === '/') return path.sep;
    if (name.startsWith('env:')) {
      // From what commands get, so a repository's task cannot pull Stepwise's key into its output.
      const env = childEnvironment();
      return Object.hasOwn(env, name.slice(4)) ? (env[name.slice(4)] ?? '') : '';
    }
    throw new HostError(`This task uses ${whole}, which only VS Code can fill in; run its command with run_command instead.`);
  });
}

type Scripts = Record<string, unknown>;

/** The scripts of the package.json in `folder` ({} when there is none). */
export async function packageScripts(folder: string): Promise<Scripts> {
  const pkg = (await readJson(path.join(folder, 'package.json'))) as { scripts?: unknown } | undefined;
  return pkg?.scripts && typeof pkg.scripts === 'object' ? (pkg.scripts as Scripts) : {};
}

function script(scripts: Scripts, name: string): string | undefined {
  return Object.hasOwn(scripts, name) && typeof scripts[name] === 'string' ? scripts[name] : undefined;
}

/** npm settings that pick the program a script runs in, or load code into it. */
const NPM_EXEC_KEYS = new Set([
  'script-shell',
  'shell',
  'node-options',
  'onload-script',
  'git',
  'node-gyp',
  'globalconfig',
  'userconfig',
  'prefix',
  'ignore-scripts',
  'init-module',
]);

/**
 * What a project's `.npmrc` changes about how its scripts run (`script-shell=./evil.sh` makes
 * `npm run lint` run a program from the repository), as lines for the approval. Other keys, auth
 * tokens among them, are not shown.
 */
export async function npmConfigLines(folder: string): Promise<string[]> {
  const stat = await fs.stat(path.join(folder, '.npmrc')).catch(() => undefined);
  if (!stat?.isFile() || stat.size > 64 * 1024) return [];
  const text = await fs.readFile(path.join(folder, '.npmrc'), 'utf8').catch(() => '');
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => {
      const key = /^([^=#;\s]+)\s*=/.exec(line)?.[1]?.toLowerCase();
      return key !== undefined && NPM_EXEC_KEYS.has(key);
    })
    .map((line) => `with .npmrc: ${line}`);
}

/** `npm run NAME` runs preNAME, NAME and postNAME: every one of them, as lines. */
export function npmScriptLines(scripts: Scripts, name: string): string[] {
  const lines = [`npm script "${name}": ${script(scripts, name) ?? '(missing)'}`];
  const pre = script(scripts, `pre${name}`);
  const post = script(scripts, `post${name}`);
  if (pre !== undefined) lines.unshift(`npm script "pre${name}" (runs first): ${pre}`);
  if (post !== undefined) lines.push(`npm script "post${name}" (runs after): ${post}`);
  return lines;
}

/** A folder a task runs in: inside the workspace, or the task is refused. */
async function checkedFolder(root: string, folder: string, label: string): Promise<string> {
  // Judged by where it really is: a committed symlink out, or a folder not made yet below one, does not count as in.
  const real = await realpathOfNearestExisting(path.resolve(folder)).catch(() => folder);
  if (!isInside(root, real)) throw new HostError(`The task "${label}" runs in ${folder}, which is outside the workspace; it was not run.`);
  return real;
}

function where(root: string, cwd: string, env: Record<string, string> | undefined): string[] {
  const lines: string[] = [];
  if (cwd !== root) lines.push(`in folder: ${toPosix(path.relative(root, cwd))}`);
  for (const [key, value] of Object.entries(env ?? {})) lines.push(`with env: ${key}=${value}`);
  return lines;
}

async function resolveJsonTask(task: TaskJson, root: string): Promise<{ step: TaskStep; details: string[] }> {
  const merged: TaskJson = { ...task, ...task[platformKey()] };
  const label = merged.label ?? merged.script ?? '';
  const cwd = await checkedFolder(root, merged.options?.cwd ? path.resolve(root, substitute(merged.options.cwd, root)) : root, label);
  const env =
    merged.options?.env && typeof merged.options.env === 'object'
      ? Object.fromEntries(Object.entries(merged.options.env).map(([k, v]) => [k, substitute(String(v), root)]))
      : undefined;
  const args = (merged.args ?? []).map((a) => substitute(typeof a === 'string' ? a : a.value, root));
  if (merged.type === 'npm' && merged.script) {
    const npmCwd = merged.path ? await checkedFolder(root, path.resolve(root, merged.path), label) : cwd;
    const title = `tasks.json "${label}": npm run ${merged.script}`;
    const spec: ProcessSpec = { command: `npm run ${quoteForShell(merged.script)}`, shell: true, cwd: npmCwd, ...(env ? { env } : {}) };
    const scripts = await packageScripts(npmCwd);
    const npmrc = await npmConfigLines(npmCwd);
    const lines = withEnv(npmRunLines(scripts, merged.script, npmrc), env);
    return { step: { spec, title, lines }, details: [...npmScriptLines(scripts, merged.script), ...npmrc, ...where(root, npmCwd, env)] };
  }
  const rawCommand = Array.isArray(merged.command) ? merged.command.join(' ') : merged.command;
  if (!rawCommand) throw new HostError(`The task "${label}" has no command that can run outside VS Code.`);
  const command = substitute(rawCommand, root);
  if (merged.type === 'process') {
    const spec: ProcessSpec = { command, args, shell: false, cwd, ...(env ? { env } : {}) };
    const lines = withEnv([[command, ...args].map(posix).join(' ')], env);
    return { step: { spec, title: `tasks.json "${label}": ${[command, ...args].join(' ')}`, lines }, details: where(root, cwd, env) };
  }
  if (merged.type !== 'shell' && merged.type !== undefined) {
    throw new HostError(`The task "${label}" has type "${merged.type}", which only VS Code can run.`);
  }
  const line = [command, ...args.map((a) => quoteForShell(a))].join(' ');
  return {
    step: { spec: { command: line, shell: true, cwd, ...(env ? { env } : {}) }, title: `tasks.json "${label}": ${line}`, lines: withEnv([line], env) },
    details: where(root, cwd, env),
  };
}

/** A task's `dependsOn` entry: a label, or a task named by its fields (`{ "type": "npm", "script": "build" }`). */
export type DependencyRef = { label: string } | { fields: Record<string, unknown> };

/** Every task this one depends on, as written: none is dropped (an entry that names no task is refused by the caller). */
export function dependencyRefs(task: TaskJson): DependencyRef[] {
  const deps = task.dependsOn;
  const list = typeof deps === 'string' || (deps && !Array.isArray(deps)) ? [deps] : Array.isArray(deps) ? deps : [];
  return list.map((d): DependencyRef => {
    if (typeof d === 'string') return { label: d };
    if (d && typeof d === 'object')
      return typeof (d as { label?: unknown }).label === 'string' ? { label: (d as { label: string }).label } : { fields: d as Record<string, unknown> };
    return { fields: {} };
  });
}

/** `{ "type": "npm", "script": "x" }` as a task; other unlabelled references are not something the CLI can run. */
function npmTaskFor(fields: Record<string, unknown>): TaskJson | undefined {
  if (fields.type !== 'npm' || typeof fields.script !== 'string') return undefined;
  return { label: `npm: ${fields.script}`, type: 'npm', script: fields.script, ...(typeof fields.path === 'string' ? { path: fields.path } : {}) };
}

function findByLabel(tasks: TaskJson[], name: string): TaskJson | undefined {
  return tasks.find((t) => t.label === name) ?? tasks.find((t) => t.label?.toLowerCase() === name.toLowerCase());
}

/** The tasks a folder's .vscode/tasks.json defines ([] when none). */
export async function readTasksJson(root: string): Promise<TaskJson[]> {
  const tasksJson = (await readJson(path.join(root, '.vscode', 'tasks.json'))) as { tasks?: TaskJson[] } | undefined;
  return Array.isArray(tasksJson?.tasks) ? tasksJson.tasks.filter((t) => t && typeof t === 'object') : [];
}

export async function resolveTask(root: string, name: string): Promise<ResolvedTask> {
  const tasks = await readTasksJson(root);
  const byLabel = findByLabel(tasks, name);
  if (byLabel) {
    const steps: TaskStep[] = [];
    const dependencies: string[] = [];
    let own: string[] = [];
    const visit = async (task: TaskJson, chain: string[]): Promise<void> => {
      const label = task.label ?? '';
      if (chain.includes(label) || chain.length > MAX_DEPTH)
        throw new HostError(`The task "${chain[0]}" depends on itself or too deeply (${[...chain, label].join(' → ')}); it was not run.`);
      for (const dep of dependencyRefs(task)) {
        const found = 'label' in dep ? findByLabel(tasks, dep.label) : npmTaskFor(dep.fields);
        if (!found)
          throw new HostError(
            `The task "${label}" depends on ${'label' in dep ? `"${dep.label}"` : JSON.stringify(dep.fields)}, which Stepwise cannot find to show; it was not run.`,
          );
        await visit(found, [...chain, label]);
      }
      const { step, details } = await resolveJsonTask(task, root);
      steps.push(step);
      if (chain.length === 0) own = [step.title, ...details.map((d) => `  ${d}`)];
      else dependencies.push(`  runs first: ${step.title}`, ...details.map((d) => `    ${d}`));
    };
    await visit(byLabel, []);
    // The task itself first, then what runs before it (in the order it runs).
    return { steps, description: [...own, ...dependencies].join('\n') };
  }

  const scripts = await packageScripts(root);
  const scriptName = name.replace(/^npm(: | run )/, '');
  if (script(scripts, scriptName) !== undefined) {
    const npmrc = await npmConfigLines(root);
    const shown = [...npmScriptLines(scripts, scriptName), ...npmrc];
    const main = shown.findIndex((l) => l.startsWith(`npm script "${scriptName}"`));
    const description = [
      `package.json script "${scriptName}": ${script(scripts, scriptName)}`,
      ...shown.filter((_, i) => i !== main).map((l) => `  ${l}`),
    ].join('\n');
    const lines = npmRunLines(scripts, scriptName, npmrc);
    return {
      steps: [{ spec: { command: `npm run ${quoteForShell(scriptName)}`, shell: true, cwd: root }, title: `package.json script "${scriptName}"`, lines }],
      description,
    };
  }
  const known = [...tasks.map((t) => t.label).filter(Boolean), ...Object.keys(scripts)];
  throw new HostError(
    known.length
      ? `No task or package.json script named "${name}". Available: ${known.slice(0, 30).join(', ')}.`
      : `No task or package.json script named "${name}", and the workspace defines none. Use run_command instead.`,
  );
}
