/**
 * Finds a runnable task by name in a plain folder: a `.vscode/tasks.json` shell/process/npm task
 * by label, or a `package.json` script by name, and turns it into a process to run.
 * (Inside VS Code the tasks API does this; see src/vscode.)
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { HostError } from './host';
import type { ProcessSpec } from './processRunner';

interface TaskJson {
  label?: string;
  type?: string;
  command?: string | string[];
  args?: (string | { value: string })[];
  script?: string;
  path?: string;
  options?: { cwd?: string; env?: Record<string, string> };
  linux?: Partial<TaskJson>;
  osx?: Partial<TaskJson>;
  windows?: Partial<TaskJson>;
}

export interface ResolvedTask {
  spec: ProcessSpec;
  /** What ran, for the model and the user, e.g. `tasks.json "test": npm test`. */
  description: string;
}

async function readJson(file: string): Promise<unknown> {
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
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
    if (name.startsWith('env:')) return process.env[name.slice(4)] ?? '';
    throw new HostError(`This task uses ${whole}, which only VS Code can fill in; run its command with run_command instead.`);
  });
}

function quoteForShell(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function specFromTask(task: TaskJson, root: string): ResolvedTask {
  const merged: TaskJson = { ...task, ...task[platformKey()] };
  const cwd = merged.options?.cwd ? path.resolve(root, substitute(merged.options.cwd, root)) : root;
  const env = merged.options?.env
    ? Object.fromEntries(Object.entries(merged.options.env).map(([k, v]) => [k, substitute(v, root)]))
    : undefined;
  const args = (merged.args ?? []).map((a) => substitute(typeof a === 'string' ? a : a.value, root));
  const label = merged.label ?? merged.script ?? '';
  if (merged.type === 'npm' && merged.script) {
    const npmCwd = merged.path ? path.resolve(root, merged.path) : cwd;
    return { spec: { command: `npm run ${quoteForShell(merged.script)}`, shell: true, cwd: npmCwd, env }, description: `tasks.json "${label}": npm run ${merged.script}` };
  }
  const rawCommand = Array.isArray(merged.command) ? merged.command.join(' ') : merged.command;
  if (!rawCommand) throw new HostError(`The task "${label}" has no command that can run outside VS Code.`);
  const command = substitute(rawCommand, root);
  if (merged.type === 'process') {
    return { spec: { command, args, shell: false, cwd, env }, description: `tasks.json "${label}": ${[command, ...args].join(' ')}` };
  }
  if (merged.type !== 'shell' && merged.type !== undefined) {
    throw new HostError(`The task "${label}" has type "${merged.type}", which only VS Code can run.`);
  }
  const line = [command, ...args.map(quoteForShell)].join(' ');
  return { spec: { command: line, shell: true, cwd, env }, description: `tasks.json "${label}": ${line}` };
}

export async function resolveTask(root: string, name: string): Promise<ResolvedTask> {
  const tasksJson = (await readJson(path.join(root, '.vscode', 'tasks.json'))) as { tasks?: TaskJson[] } | undefined;
  const tasks = Array.isArray(tasksJson?.tasks) ? tasksJson.tasks : [];
  const byLabel =
    tasks.find((t) => t.label === name) ?? tasks.find((t) => t.label?.toLowerCase() === name.toLowerCase());
  if (byLabel) return specFromTask(byLabel, root);

  const pkg = (await readJson(path.join(root, 'package.json'))) as { scripts?: Record<string, string> } | undefined;
  const scripts = pkg?.scripts ?? {};
  const scriptName = name.replace(/^npm(: | run )/, '');
  if (typeof scripts[scriptName] === 'string') {
    return { spec: { command: `npm run ${quoteForShell(scriptName)}`, shell: true, cwd: root }, description: `package.json script "${scriptName}": ${scripts[scriptName]}` };
  }
  const known = [...tasks.map((t) => t.label).filter(Boolean), ...Object.keys(scripts)];
  throw new HostError(
    known.length
      ? `No task or package.json script named "${name}". Available: ${known.slice(0, 30).join(', ')}.`
      : `No task or package.json script named "${name}", and the workspace defines none. Use run_command instead.`,
  );
}
