/** Labels and icons shared by the panel's parts: statuses, tools, numbers and dates. */
import * as l10n from '@vscode/l10n';
import type { TaskItem, TaskStatus } from '../protocol/messages';
import { locale } from './locale';

export type ToolStatus = Extract<TaskItem, { kind: 'tool' }>['status'];

/** Read when shown: the page's language may arrive after this module loads. */
export function taskStatusLabel(status: TaskStatus): string {
  switch (status) {
    case 'running':
      return l10n.t('Running');
    case 'finished':
      return l10n.t('Finished');
    case 'failed':
      return l10n.t('Failed');
    case 'cancelled':
      return l10n.t('Stopped');
    case 'max_steps':
      return l10n.t('Step limit reached');
    case 'interrupted':
      return l10n.t('Interrupted');
  }
}

export const TASK_STATUS_ICON: Record<TaskStatus, string> = {
  running: 'loading codicon-modifier-spin',
  finished: 'pass-filled',
  failed: 'error',
  cancelled: 'circle-slash',
  max_steps: 'warning',
  interrupted: 'debug-pause',
};

export function toolStatusLabel(status: ToolStatus): string {
  switch (status) {
    case 'running':
      return l10n.t('running');
    case 'ok':
      return l10n.t('ok');
    case 'error':
      return l10n.t('error');
    case 'denied':
      return l10n.t('denied');
    case 'interrupted':
      return l10n.t('interrupted');
  }
}

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

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(locale()).format(n);
}

/** Short for the header ("12.3k"); the full number goes into the label. */
export function formatCompact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

export function formatDate(ms: number): string {
  return Number.isFinite(ms) ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms)) : '';
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
