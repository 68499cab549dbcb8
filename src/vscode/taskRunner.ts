/**
 * run_task through VS Code's tasks API: fetchTasks, match by label or npm script name,
 * executeTask; exit code, output and the problems the task's matchers reported.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { HostError, type CommandResult, type RunOptions, type TaskDescription } from '../core/host/host';
import { npmRunLines, quoteForShell, withEnv } from '../core/host/taskCommandLines';
import { isInside, realpathOfNearestExisting } from '../core/host/pathSafety';
import * as os from 'node:os';
import { dependencyRefs, npmConfigLines, npmScriptLines, packageScripts, type DependencyRef, type TaskJson } from '../core/host/taskDefinitions';
import { stripVTControlCharacters } from 'node:util';
import { OutputCapture } from '../core/caps';
import type { ProcessLimits } from '../core/host/processRunner';
import { formatDiagnostic } from './diagnostics';

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

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What the task's command line will look like once VS Code has filled in its variables. */
function expectedCommandLine(task: vscode.Task): RegExp | undefined {
  if (task.definition.type === 'npm' && typeof task.definition.script === 'string') {
    return new RegExp(`(^|\\s)${escape(task.definition.script)}(\\s|$)`);
  }
  const exec = task.execution;
  let template: string | undefined;
  if (exec instanceof vscode.ShellExecution) {
    const command = typeof exec.command === 'string' ? exec.command : exec.command?.value;
    template = exec.commandLine ?? command;
  } else if (exec instanceof vscode.ProcessExecution) {
    template = exec.process;
  }
  if (!template) return undefined;
  return new RegExp(template.split(/\$\{[^}]*\}/).map(escape).join('.*'));
}

function allProblems(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    const rel = vscode.workspace.asRelativePath(uri, false);
    map.set(uri.toString(), diagnostics.filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning).map((d) => formatDiagnostic(rel, d)));
  }
  return map;
}

function problemsAdded(before: Map<string, string[]>, after: Map<string, string[]>): string[] {
  const added: string[] = [];
  for (const [uri, lines] of after) {
    const old = new Set(before.get(uri) ?? []);
    added.push(...lines.filter((l) => !old.has(l)));
  }
  return added;
}

/**
 * What a task will run, as the approval shows it: its command line (an npm task's script body, with
 * npm's pre/post scripts), the folder and environment it sets, and every task it dependsOn.
 * A task whose folder is outside the workspace is refused here, before it is asked.
 */
export async function describeVsCodeTask(name: string): Promise<TaskDescription> {
  const tasks = await vscode.tasks.fetchTasks();
  const task = requireTaskIn(tasks, name);
  const lines: string[] = [];
  // Dependencies run first; any task whose command lines are not known makes the whole unknown.
  let commands: string[] | undefined = [];
  const visit = async (t: vscode.Task, depth: number, chain: string[]): Promise<void> => {
    if (chain.includes(t.name) || depth > 8) throw new HostError(`The task "${chain[0]}" depends on itself or too deeply (${[...chain, t.name].join(' → ')}); it was not run.`);
    const indent = '  '.repeat(depth);
    const { lines: own, commands: ownCommands } = await taskLines(t);
    lines.push(`${indent}${depth ? 'runs first: ' : ''}${own[0]}`, ...own.slice(1).map((l) => `${indent}  ${l}`));
    commands = commands && ownCommands ? [...ownCommands, ...commands] : undefined;
    for (const dep of dependsOnOf(t)) {
      const found = 'label' in dep ? findTask(tasks, dep.label) : tasks.find((c) => sameDefinition(c.definition, dep.fields));
      // A dependency that cannot be shown is not run unseen: the task is refused.
      if (!found) throw new HostError(`The task "${t.name}" depends on ${'label' in dep ? `"${dep.label}"` : JSON.stringify(dep.fields)}, which Stepwise cannot find to show; it was not run.`);
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
    if (name.startsWith('env:')) return Object.hasOwn(process.env, name.slice(4)) ? process.env[name.slice(4)] ?? '' : '';
    return whole;
  });
  return /\$\{/.test(filled) ? undefined : filled;
}

/**
 * The task's own lines: what runs, then the shell, folder and environment it sets; and the command
 * lines it amounts to for the command rules (undefined when an extension or another shell decides).
 */
async function taskLines(task: vscode.Task): Promise<{ lines: string[]; commands?: string[] }> {
  const folder = folderOf(task)?.uri.fsPath;
  const exec = task.execution;
  const options = exec instanceof vscode.ShellExecution || exec instanceof vscode.ProcessExecution ? exec.options : undefined;
  const details: string[] = [];
  let line: string;
  let commands: string[] | undefined;
  if (task.definition.type === 'npm' && typeof task.definition.script === 'string') {
    const script = task.definition.script;
    const pkgFolder = folder ? path.resolve(folder, typeof task.definition.path === 'string' ? task.definition.path : '') : undefined;
    line = `task "${task.name}" (${task.source}): npm run ${script}`;
    if (pkgFolder) {
      await checkInside(pkgFolder, task.name);
      const scripts = await packageScripts(pkgFolder);
      const npmrc = await npmConfigLines(pkgFolder);
      details.push(...npmScriptLines(scripts, script), ...npmrc);
      commands = npmRunLines(scripts, script, npmrc);
    }
  } else if (exec instanceof vscode.ShellExecution) {
    const commandLine = exec.commandLine ?? [typeof exec.command === 'string' ? exec.command : exec.command?.value, ...(exec.args ?? []).map((a) => (typeof a === 'string' ? a : a.value))].join(' ');
    line = `task "${task.name}" (${task.source}): ${commandLine}`;
    commands = [commandLine];
  } else if (exec instanceof vscode.ProcessExecution) {
    line = `task "${task.name}" (${task.source}): ${[exec.process, ...exec.args].join(' ')}`;
    commands = [[exec.process, ...exec.args].map(quoteForShell).join(' ')];
  } else {
    line = `task "${task.name}" (${task.source}): a ${task.definition.type} task (what it runs is up to the extension that provides it)`;
  }
  // A task may name its own shell (a program in the repository, say): it runs the command line.
  const shell = exec instanceof vscode.ShellExecution ? exec.options : undefined;
  if (shell?.executable) {
    details.push(`with shell: ${[shell.executable, ...(shell.shellArgs ?? [])].join(' ')}`);
    commands = undefined;
  }
  if (options?.cwd) {
    const cwd = fillIn(options.cwd, folder);
    if (cwd === undefined) throw new HostError(`The task "${task.name}" runs in "${options.cwd}", a folder Stepwise cannot check before it runs; it was not run.`);
    const resolved = folder ? path.resolve(folder, cwd) : cwd;
    await checkInside(resolved, task.name);
    // VS Code gives tasks their folder as cwd by default: only another folder is worth saying.
    if (resolved !== folder) details.push(`in folder: ${options.cwd}`);
  }
  for (const [key, value] of Object.entries(options?.env ?? {})) details.push(`with env: ${key}=${value}`);
  return { lines: [line, ...details], ...(commands ? { commands: withEnv(commands, options?.env) } : {}) };
}

/** Inside a workspace folder, judged by where it really is (a committed symlink out does not count as in). */
async function checkInside(folder: string, label: string): Promise<void> {
  const real = await realpathOfNearestExisting(path.resolve(folder)).catch(() => path.resolve(folder));
  const roots = await Promise.all((vscode.workspace.workspaceFolders ?? []).map((f) => realpathOfNearestExisting(f.uri.fsPath).catch(() => f.uri.fsPath)));
  if (!roots.some((root) => isInside(root, real))) {
    throw new HostError(`The task "${label}" runs in ${folder}, which is outside the workspace; it was not run.`);
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
    throw new HostError(names.length ? `No task named "${name}". Available: ${names.join(', ')}.` : `No task named "${name}", and the workspace defines none. Use run_command instead.`);
  }
  return task;
}

async function requireTask(name: string): Promise<vscode.Task> {
  return requireTaskIn(await vscode.tasks.fetchTasks(), name);
}

export async function runVsCodeTask(name: string, options: RunOptions, limits: ProcessLimits): Promise<CommandResult> {
  // Stopped before it started: it never starts.
  if (options.signal.aborted) return { exitCode: null, output: '', timedOut: false, cancelled: true };
  const task = await requireTask(name);
  await taskLines(task); // refuses a folder outside the workspace, whatever was asked before
  const before = allProblems();
  const result = await execute(task, options, limits);
  // Problem matchers report as the output is read; give them a moment after the end.
  await new Promise((r) => setTimeout(r, 300));
  const problems = problemsAdded(before, allProblems());
  return { ...result, ...(problems.length ? { problems } : {}) };
}

/**
 * Runs the task as VS Code would (its own terminal, its problem matchers). The exit code comes
 * from onDidEndTaskProcess; the output from the task terminal's shell integration, which reports
 * task executions (VS Code 1.106+). A task whose terminal has none says so in the result.
 */
async function execute(task: vscode.Task, options: RunOptions, limits: ProcessLimits): Promise<CommandResult> {
  const capture = new OutputCapture(limits.headChars, limits.tailChars);
  const expected = expectedCommandLine(task);
  let sawOutput = false;
  let reading: Promise<void> = Promise.resolve();
  const shell = vscode.window.onDidStartTerminalShellExecution((event) => {
    // Terminal names are unreliable (task terminals are reused): match the command line.
    if (sawOutput || (expected && !expected.test(event.execution.commandLine.value))) return;
    sawOutput = true;
    reading = (async () => {
      for await (const data of event.execution.read()) {
        const chunk = stripVTControlCharacters(data);
        capture.push(chunk);
        options.onOutput?.(chunk);
      }
    })().catch(() => undefined);
  });
  const execution = await vscode.tasks.executeTask(task);
  try {
    return await new Promise<CommandResult>((resolve) => {
      let exitCode: number | null = null;
      let timedOut = false;
      // If VS Code never reports the end after a terminate, do not wait for ever.
      let grace: NodeJS.Timeout | undefined;
      const terminate = () => {
        execution.terminate();
        grace ??= setTimeout(() => finish(), 5000);
      };
      const timer = setTimeout(() => ((timedOut = true), terminate()), options.timeoutMs);
      const onAbort = terminate;
      // A listener added to a signal that is already aborted never fires: stop at once instead.
      if (options.signal.aborted) terminate();
      else options.signal.addEventListener('abort', onAbort, { once: true });
      const processEnd = vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution === execution) exitCode = e.exitCode ?? null;
      });
      let finished = false;
      const finish = async () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        if (grace) clearTimeout(grace);
        options.signal.removeEventListener('abort', onAbort);
        processEnd.dispose();
        end.dispose();
        // The shell integration stream ends with the command; bounded in case it never does.
        await Promise.race([reading, new Promise((r) => setTimeout(r, 2000))]);
        const output = sawOutput
          ? capture.text()
          : `(The terminal of this ${task.definition.type} task reports no output to extensions; see the task's terminal.)`;
        resolve({
          exitCode: timedOut || options.signal.aborted ? null : exitCode,
          output,
          timedOut,
          cancelled: options.signal.aborted,
          note: `Ran task "${task.name}" (${task.source})`,
        });
      };
      const end = vscode.tasks.onDidEndTask((e) => e.execution === execution && void finish());
    });
  } finally {
    shell.dispose();
  }
}
