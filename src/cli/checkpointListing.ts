/** How `stepwise checkpoints` shows a workspace's checkpoints and restores: as JSON or as text. */
import * as l10n from '@vscode/l10n';
import { megabytes } from '../core/checkpoints/entryState';
import type { CheckpointSettings, RestoreRecord, TaskRecord } from '../core/checkpoints/types';
import { escapeControls } from '../core/text/controlChars';

/** What a listing is made of: the workspace, its store and limits, its tasks and restores. */
export interface Listing {
  root: string;
  storeDir: string;
  settings: CheckpointSettings;
  usedBytes: number;
  tasks: TaskRecord[];
  restores: RestoreRecord[];
}

/** The `--json` form: field names are part of the command line's contract. */
export function listingJson({ root, storeDir, settings, usedBytes, tasks, restores }: Listing) {
  return {
    workspace: root,
    store: storeDir,
    usedBytes,
    maxStorageBytes: settings.maxStorageBytes,
    maxAgeDays: settings.maxAgeDays,
    maxFileBytes: settings.maxFileBytes,
    notCovered: ['.git/', ...settings.exclude],
    tasks: tasks.map((t) => ({
      id: t.id,
      goal: t.goal,
      started: t.started,
      checkpoints: t.steps.map((s) => ({ step: s.step, tool: s.tool, time: s.time, files: filesOf(s), ...(s.skipped.length ? { skipped: s.skipped } : {}) })),
    })),
    restores: restores.map((r) => ({
      id: r.id,
      kind: r.kind,
      task: r.task,
      step: r.step,
      time: r.time,
      status: r.status,
      undone: r.undone ?? false,
      files: r.ops.map((o) => o.path),
    })),
  };
}

/** The text form: the store and its limits (and the file that sets them), each task's checkpoints, the last restores. */
export function listingText({ root, storeDir, settings, usedBytes, tasks, restores }: Listing, configFile: string): string[] {
  const lines = [
    l10n.t('Checkpoints of {0}', root),
    l10n.t(
      'Store: {0} — {1} used of {2}; kept {3} days; files over {4} not copied (change in {5})',
      storeDir,
      megabytes(usedBytes),
      megabytes(settings.maxStorageBytes),
      settings.maxAgeDays,
      megabytes(settings.maxFileBytes),
      configFile,
    ),
    l10n.t('Not covered: .git/ and what commands regenerate: {0}', settings.exclude.join(' ')),
  ];
  if (!tasks.length) lines.push('', l10n.t('No checkpoints yet: `stepwise run` records one before each step that may change files.'));
  for (const t of tasks) lines.push('', ...taskLines(t));
  const live = restores.filter((r) => r.status === 'done');
  if (live.length) lines.push('', ...restoreLines(live));
  return lines;
}

function taskLines(t: TaskRecord): string[] {
  const lines = [l10n.t('Task {0} · {1} · {2}', t.id, t.started.slice(0, 16).replace('T', ' '), JSON.stringify(escapeControls(t.goal.slice(0, 80))))];
  if (!t.steps.length) lines.push(`  ${l10n.t('(no changing steps)')}`);
  for (const s of t.steps) {
    const files = filesOf(s);
    const shown = files.length > 3 ? l10n.t('{0} files: {1}, …', files.length, files.slice(0, 3).join(', ')) : files.join(', ') || l10n.t('(nothing changed)');
    lines.push(`  ${l10n.t('step {0}', String(s.step).padEnd(3))} ${s.tool.padEnd(12)} ${s.time.slice(11, 19)}  ${escapeControls(shown)}`);
    for (const n of s.skipped.slice(0, 5)) lines.push(`      ${l10n.t('not covered: {0} — {1}', escapeControls(n.path), n.reason)}`);
  }
  return lines;
}

/** The last five restores that went through, and how to take the last one back while there is one to take. */
function restoreLines(live: RestoreRecord[]): string[] {
  const lines = [l10n.t('Restores:')];
  for (const r of live.slice(-5)) {
    const what = r.kind === 'undo' ? l10n.t('undo of {0}', r.undoes ?? '') : l10n.t('task {0} to before step {1}', r.task ?? '', r.step ?? '');
    const paths = r.ops.length === 1 ? l10n.t('1 path') : l10n.t('{0} paths', r.ops.length);
    lines.push(`  ${r.time.slice(0, 19).replace('T', ' ')}  ${what}, ${paths}${r.undone ? ` ${l10n.t('(taken back)')}` : ''}`);
  }
  if (live.some((r) => !r.undone)) lines.push(`  ${l10n.t('take the last one back: {0}', 'stepwise restore --undo')}`);
  return lines;
}

function filesOf(step: TaskRecord['steps'][number]): string[] {
  return Object.keys(step.after).length ? Object.keys(step.after) : Object.keys(step.before);
}
