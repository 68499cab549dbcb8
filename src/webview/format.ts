/** Labels and icons shared by the panel's parts: statuses, tools, numbers and dates. */
import type { TaskItem, TaskStatus } from '../protocol/messages';

export type ToolStatus = Extract<TaskItem, { kind: 'tool' }>['status'];

export const TASK_STATUS_LABEL: Record<TaskStatus, string> = {
  running: 'Running',
  finished: 'Finished',
  failed: 'Failed',
  cancelled: 'Stopped',
  max_steps: 'Step limit reached',
  interrupted: 'Interrupted',
};

export const TASK_STATUS_ICON: Record<TaskStatus, string> = {
  running: 'loading codicon-modifier-spin',
  finished: 'pass-filled',
  failed: 'error',
  cancelled: 'circle-slash',
  max_steps: 'warning',
  interrupted: 'debug-pause',
};

export const TOOL_STATUS_LABEL: Record<ToolStatus, string> = {
  running: 'running',
  ok: 'ok',
  error: 'error',
  denied: 'denied',
  interrupted: 'interrupted',
};

const TOOL_ICON: Record<string, string> = {
  read_file: 'file',
  list_files: 'list-tree',
  search: 'search',
  get_diagnostics: 'warning',
  edit_file: 'edit',
  write_file: 'new-file',
  run_command: 'terminal',
  run_task: 'tasklist',
  update_plan: 'checklist',
  finish: 'check-all',
};

/** The tool name comes from the model: own keys only (`constructor` is a tool name like any other). */
export function toolIcon(name: string): string {
  return Object.hasOwn(TOOL_ICON, name) ? TOOL_ICON[name]! : 'tools';
}

const numberFormat = new Intl.NumberFormat();
export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

/** Short for the header ("12.3k"); the full number goes into the label. */
export function formatCompact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export function formatDate(ms: number): string {
  return Number.isFinite(ms) ? dateFormat.format(new Date(ms)) : '';
}

export type DiffLineClass = 'diff-file' | 'diff-hunk' | 'diff-add' | 'diff-del' | 'diff-ctx';

/**
 * The colour class of each line of a unified diff. Headers (`---`, `+++`) count only before a hunk
 * starts: inside one, a removed line that begins with `--` is still a removed line.
 */
export function diffLineClasses(lines: string[]): DiffLineClass[] {
  let inHunk = false;
  return lines.map((line) => {
    if (line.startsWith('@@')) {
      inHunk = true;
      return 'diff-hunk';
    }
    if (!inHunk || line.startsWith('Index: ') || line.startsWith('diff --git ')) {
      if (line.startsWith('diff --git ') || line.startsWith('Index: ')) inHunk = false;
      return 'diff-file';
    }
    if (line.startsWith('+')) return 'diff-add';
    if (line.startsWith('-')) return 'diff-del';
    return 'diff-ctx';
  });
}
