/**
 * run_task through VS Code's tasks API: fetchTasks, match by label or npm script name,
 * executeTask; exit code, output and the problems the task's matchers reported.
 */
import * as vscode from 'vscode';
import { HostError, type CommandResult, type RunOptions } from '../core/host/host';
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

export async function describeVsCodeTask(name: string): Promise<string> {
  const task = await requireTask(name);
  const exec = task.execution;
  const line =
    exec instanceof vscode.ShellExecution
      ? exec.commandLine ?? [typeof exec.command === 'string' ? exec.command : exec.command?.value, ...(exec.args ?? []).map((a) => (typeof a === 'string' ? a : a.value))].join(' ')
      : exec instanceof vscode.ProcessExecution
        ? [exec.process, ...exec.args].join(' ')
        : `a ${task.definition.type} task`;
  const script = task.definition.type === 'npm' && typeof task.definition.script === 'string' ? `npm script "${task.definition.script}"` : '';
  return `task "${task.name}" (${task.source}): ${script || line}`;
}

async function requireTask(name: string): Promise<vscode.Task> {
  const tasks = await vscode.tasks.fetchTasks();
  const task = findTask(tasks, name);
  if (!task) {
    const names = [...new Set(tasks.map((t) => t.name))].slice(0, 30);
    throw new HostError(names.length ? `No task named "${name}". Available: ${names.join(', ')}.` : `No task named "${name}", and the workspace defines none. Use run_command instead.`);
  }
  return task;
}

export async function runVsCodeTask(name: string, options: RunOptions, limits: ProcessLimits): Promise<CommandResult> {
  const task = await requireTask(name);
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
      options.signal.addEventListener('abort', onAbort, { once: true });
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
