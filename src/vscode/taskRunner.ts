/**
 * run_task through VS Code's tasks API: fetchTasks, match by label or npm script name,
 * executeTask; exit code, output and the problems the task's matchers reported.
 */
import * as vscode from 'vscode';
import type { CommandResult, RunOptions } from '../core/host/host';
import { requireTask, taskLines } from './taskDescription';
import { stripVTControlCharacters } from 'node:util';
import { OutputCapture } from '../core/caps';
import type { ProcessLimits } from '../core/host/processRunner';
import { formatDiagnostic } from './diagnostics';

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
  return new RegExp(
    template
      .split(/\$\{[^}]*\}/)
      .map(escape)
      .join('.*'),
  );
}

function allProblems(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    const rel = vscode.workspace.asRelativePath(uri, false);
    map.set(
      uri.toString(),
      diagnostics.filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning).map((d) => formatDiagnostic(rel, d)),
    );
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
  const output = readTaskOutput(task, new OutputCapture(limits.headChars, limits.tailChars), options.onOutput);
  try {
    const execution = await vscode.tasks.executeTask(task);
    const { exitCode, timedOut } = await taskEnd(execution, options);
    // The shell integration stream ends with the command; bounded in case it never does.
    await Promise.race([output.reading(), new Promise((r) => setTimeout(r, 2000))]);
    return {
      exitCode: timedOut || options.signal.aborted ? null : exitCode,
      // l10n-ignore: the tool's result, read by the model
      output: output.text() ?? `(The terminal of this ${task.definition.type} task reports no output to extensions; see the task's terminal.)`,
      timedOut,
      cancelled: options.signal.aborted,
      note: `Ran task "${task.name}" (${task.source})`, // l10n-ignore: the tool's result, read by the model
    };
  } finally {
    output.dispose();
  }
}

/** The task's output, read from its terminal's shell integration; text() is undefined when none was seen. */
function readTaskOutput(task: vscode.Task, capture: OutputCapture, onOutput: ((chunk: string) => void) | undefined) {
  const expected = expectedCommandLine(task);
  let sawOutput = false;
  let reading: Promise<void> = Promise.resolve();
  const listener = vscode.window.onDidStartTerminalShellExecution((event) => {
    // Terminal names are unreliable (task terminals are reused): match the command line.
    if (sawOutput || (expected && !expected.test(event.execution.commandLine.value))) return;
    sawOutput = true;
    reading = (async () => {
      for await (const data of event.execution.read()) {
        const chunk = stripVTControlCharacters(data);
        capture.push(chunk);
        onOutput?.(chunk);
      }
    })().catch(() => undefined);
  });
  return {
    reading: () => reading.catch(() => undefined),
    text: () => (sawOutput ? capture.text() : undefined),
    dispose: () => listener.dispose(),
  };
}

/** Waits for the task's end: its exit code, or terminated on the time limit or Stop. */
function taskEnd(execution: vscode.TaskExecution, options: RunOptions): Promise<{ exitCode: number | null; timedOut: boolean }> {
  return new Promise((resolve) => {
    let exitCode: number | null = null;
    let timedOut = false;
    // If VS Code never reports the end after a terminate, do not wait for ever.
    let grace: NodeJS.Timeout | undefined;
    const terminate = () => {
      execution.terminate();
      grace ??= setTimeout(finish, 5000);
    };
    const timer = setTimeout(() => ((timedOut = true), terminate()), options.timeoutMs);
    // A listener added to a signal that is already aborted never fires: stop at once instead.
    if (options.signal.aborted) terminate();
    else options.signal.addEventListener('abort', terminate, { once: true });
    const processEnd = vscode.tasks.onDidEndTaskProcess((e) => {
      if (e.execution === execution) exitCode = e.exitCode ?? null;
    });
    const end = vscode.tasks.onDidEndTask((e) => e.execution === execution && finish());
    let finished = false;
    function finish() {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (grace) clearTimeout(grace);
      options.signal.removeEventListener('abort', terminate);
      processEnd.dispose();
      end.dispose();
      resolve({ exitCode, timedOut });
    }
  });
}
