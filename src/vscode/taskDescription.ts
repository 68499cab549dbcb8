/**
 * What a VS Code task will run, for its approval: its command line, npm's pre/post scripts, the
 * tasks it dependsOn, its shell, folder and environment — and the command lines the command rules
 * match. A task whose folder is outside the workspace is refused here, before it can run.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { HostError, type TaskDescription } from '../core/host/host';
import { isInside, realpathOfNearestExisting } from '../core/host/pathSafety';
import { npmRunLines, posix, withEnv } from '../core/host/taskCommandLines';
import { dependencyRefs, npmConfigLines, npmScriptLines, packageScripts, type DependencyRef, type TaskJson } from '../core/host/taskDefinitions';

function findTask(tasks: vscode.Task[], name: string): vscode.Task | undefined {
  const lower = name.toLowerCase();
  const script = name.replace(/^npm(: | run )/, '');
  const byWorkspace = (t: vscode.Task) => (t.source === 'Workspace' ? 0 : 1);
  const sorted = [...tasks].sort((a, b) => byWorkspace(a) - byWorkspace(b));
  return (
    sorted.find((t) => t.name === name) ??
    sorted.find((t) => t.definition.type === 'npm' && t.definition.script === script) ??
    sorted.find((t) => t.name.toLowerCase() === lower)
  );
}

export async function describeVsCodeTask(name: string): Promise<TaskDescription> {
  const tasks = await vscode.tasks.fetchTasks();
  const task = requireTaskIn(tasks, name);
  const lines: string[] = [];
  // Dependencies run first; any task whose command lines are not known makes the whole unknown.
  let commands: string[] | undefined = [];
  const visit = async (t: vscode.Task, depth: number, chain: string[]): Promise<void> => {
    if (chain.includes(t.name) || depth > 8)
      // l10n-ignore: a tool error, read by the model
      throw new HostError(`The task "${chain[0]}" depends on itself or too deeply (${[...chain, t.name].join(' → ')}); it was not run.`);
    const indent = '  '.repeat(depth);
    const { lines: own, commands: ownCommands } = await taskLines(t);
    lines.push(`${indent}${depth ? l10n.t('runs first: {0}', own[0] ?? '') : own[0]}`, ...own.slice(1).map((l) => `${indent}  ${l}`));
    commands = commands && ownCommands ? [...ownCommands, ...commands] : undefined;
    for (const dep of dependsOnOf(t)) {
      const found = 'label' in dep ? findTask(tasks, dep.label) : tasks.find((c) => sameDefinition(c.definition, dep.fields));
      // A dependency that cannot be shown is not run unseen: the task is refused.
      if (!found)
        throw new HostError(
          // l10n-ignore: a tool error, read by the model
          `The task "${t.name}" depends on ${'label' in dep ? `"${dep.label}"` : JSON.stringify(dep.fields)}, which Stepwise cannot find to show; it was not run.`,
        );
      await visit(found, depth + 1, [...chain, t.name]);
    }
  };
  await visit(task, 0, []);
  return { text: lines.join('\n'), ...(commands ? { commands } : {}) };
}

function folderOf(task: vscode.Task): vscode.WorkspaceFolder | undefined {
  const scope = task.scope;
  if (scope && typeof scope === 'object' && 'uri' in scope) return scope;
  return vscode.workspace.workspaceFolders?.[0];
}

/**
 * A task's folder with the variables that are the same for every run filled in; undefined when it
 * uses one that depends on the moment (the active editor's file, an input): it cannot be checked.
 */
function fillIn(value: string, folder: string | undefined): string | undefined {
  const filled = value.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    if (name === 'workspaceFolder' || name === 'workspaceRoot') return folder ?? whole;
    if (name === 'workspaceFolderBasename') return folder ? path.basename(folder) : whole;
    if (name === 'userHome') return os.homedir();
    if (name === 'pathSeparator' || name === '/') return path.sep;
    if (name.startsWith('env:')) return Object.hasOwn(process.env, name.slice(4)) ? (process.env[name.slice(4)] ?? '') : '';
    return whole;
  });
  return /\$\{/.test(filled) ? undefined : filled;
}

/**
 * The task's own lines: what runs, then the shell, folder and environment it sets; and the command
 * lines it amounts to for the command rules (undefined when an extension or another shell decides).
 */
export async function taskLines(task: vscode.Task): Promise<{ lines: string[]; commands?: string[] }> {
  const folder = folderOf(task)?.uri.fsPath;
  const exec = task.execution;
  const options = exec instanceof vscode.ShellExecution || exec instanceof vscode.ProcessExecution ? exec.options : undefined;
  const details: string[] = [];
  let line: string;
  let commands: string[] | undefined;
  if (task.definition.type === 'npm' && typeof task.definition.script === 'string') {
    const script = task.definition.script;
    const pkgFolder = folder ? path.resolve(folder, typeof task.definition.path === 'string' ? task.definition.path : '') : undefined;
    line = l10n.t('task "{0}" ({1}): npm run {2}', task.name, task.source, script);
    if (pkgFolder) {
      await checkInside(pkgFolder, task.name);
      const scripts = await packageScripts(pkgFolder);
      const npmrc = await npmConfigLines(pkgFolder);
      details.push(...npmScriptLines(scripts, script), ...npmrc);
      commands = npmRunLines(scripts, script, npmrc);
    }
  } else if (exec instanceof vscode.ShellExecution) {
    const commandLine =
      exec.commandLine ??
      [typeof exec.command === 'string' ? exec.command : exec.command?.value, ...(exec.args ?? []).map((a) => (typeof a === 'string' ? a : a.value))].join(' ');
    line = l10n.t('task "{0}" ({1}): {2}', task.name, task.source, commandLine);
    commands = [commandLine];
  } else if (exec instanceof vscode.ProcessExecution) {
    line = l10n.t('task "{0}" ({1}): {2}', task.name, task.source, [exec.process, ...exec.args].join(' '));
    commands = [[exec.process, ...exec.args].map(posix).join(' ')];
  } else {
    line = l10n.t('task "{0}" ({1}): a {2} task (what it runs is up to the extension that provides it)', task.name, task.source, String(task.definition.type));
  }
  // A task may name its own shell (a program in the repository, say): it runs the command line.
  const shell = exec instanceof vscode.ShellExecution ? exec.options : undefined;
  if (shell?.executable) {
    details.push(l10n.t('with shell: {0}', [shell.executable, ...(shell.shellArgs ?? [])].join(' ')));
    commands = undefined;
  }
  if (options?.cwd) {
    const cwd = fillIn(options.cwd, folder);
    if (cwd === undefined)
      // l10n-ignore: a tool error, read by the model
      throw new HostError(`The task "${task.name}" runs in "${options.cwd}", a folder Stepwise cannot check before it runs; it was not run.`);
    const resolved = folder ? path.resolve(folder, cwd) : cwd;
    await checkInside(resolved, task.name);
    // VS Code gives tasks their folder as cwd by default: only another folder is worth saying.
    if (resolved !== folder) details.push(l10n.t('in folder: {0}', options.cwd));
  }
  for (const [key, value] of Object.entries(options?.env ?? {})) details.push(l10n.t('with env: {0}={1}', key, value));
  return { lines: [line, ...details], ...(commands ? { commands: withEnv(commands, options?.env) } : {}) };
}

/** Inside a workspace folder, judged by where it really is (a committed symlink out does not count as in). */
async function checkInside(folder: string, label: string): Promise<void> {
  const real = await realpathOfNearestExisting(path.resolve(folder)).catch(() => path.resolve(folder));
  const roots = await Promise.all((vscode.workspace.workspaceFolders ?? []).map((f) => realpathOfNearestExisting(f.uri.fsPath).catch(() => f.uri.fsPath)));
  if (!roots.some((root) => isInside(root, real))) {
    throw new HostError(`The task "${label}" runs in ${folder}, which is outside the workspace; it was not run.`); // l10n-ignore: a tool error, read by the model
  }
}

function sameDefinition(definition: vscode.TaskDefinition, fields: Record<string, unknown>): boolean {
  const keys = Object.keys(fields);
  return keys.length > 0 && keys.every((k) => Object.hasOwn(definition, k) && definition[k] === fields[k]);
}

/**
 * What a task dependsOn, from the tasks configuration where it is defined (a folder's tasks.json,
 * the .code-workspace file, user tasks): the tasks API does not expose it.
 */
function dependsOnOf(task: vscode.Task): DependencyRef[] {
  if (task.source !== 'Workspace') return [];
  const scope = task.scope;
  const folder = scope && typeof scope === 'object' && 'uri' in scope ? scope : undefined;
  const inspected = vscode.workspace.getConfiguration('tasks', folder?.uri).inspect<TaskJson[]>('tasks');
  const defined = [inspected?.workspaceFolderValue, inspected?.workspaceValue, inspected?.globalValue]
    .flatMap((list) => (Array.isArray(list) ? list : []))
    .find((t) => t && typeof t === 'object' && (t.label ?? '') === task.name);
  return defined ? dependencyRefs(defined) : [];
}

function requireTaskIn(tasks: vscode.Task[], name: string): vscode.Task {
  const task = findTask(tasks, name);
  if (!task) {
    const names = [...new Set(tasks.map((t) => t.name))].slice(0, 30);
    throw new HostError(
      names.length
        ? `No task named "${name}". Available: ${names.join(', ')}.` // l10n-ignore: a tool error, read by the model
        : `No task named "${name}", and the workspace defines none. Use run_command instead.`, // l10n-ignore: a tool error, read by the model
    );
  }
  return task;
}

export async function requireTask(name: string): Promise<vscode.Task> {
  return requireTaskIn(await vscode.tasks.fetchTasks(), name);
}
