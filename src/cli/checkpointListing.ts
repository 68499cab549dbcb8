/** How `stepwise checkpoints` shows a workspace's checkpoints and restores: as JSON or as text. */
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
    `Checkpoints of ${root}`,
    `Store: ${storeDir} — ${megabytes(usedBytes)} used of ${megabytes(settings.maxStorageBytes)}; kept ${settings.maxAgeDays} days; files over ${megabytes(settings.maxFileBytes)} not copied (change in ${configFile})`,
    `Not covered: .git/ and what commands regenerate: ${settings.exclude.join(' ')}`,
  ];
  if (!tasks.length) lines.push('', 'No checkpoints yet: `stepwise run` records one before each step that may change files.');
  for (const t of tasks) lines.push('', ...taskLines(t));
  const live = restores.filter((r) => r.status === 'done');
  if (live.length) lines.push('', ...restoreLines(live));
  return lines;
}

function taskLines(t: TaskRecord): string[] {
  const lines = [`Task ${t.id} · ${t.started.slice(0, 16).replace('T', ' ')} · ${JSON.stringify(escapeControls(t.goal.slice(0, 80)))}`];
  if (!t.steps.length) lines.push('  (no changing steps)');
  for (const s of t.steps) {
    const files = filesOf(s);
    const shown = files.length > 3 ? `${files.length} files: ${files.slice(0, 3).join(', ')}, …` : files.join(', ') || '(nothing changed)';
    lines.push(`  step ${String(s.step).padEnd(3)} ${s.tool.padEnd(12)} ${s.time.slice(11, 19)}  ${escapeControls(shown)}`);
    for (const n of s.skipped.slice(0, 5)) lines.push(`      not covered: ${escapeControls(n.path)} — ${n.reason}`);
  }
  return lines;
}

/** The last five restores that went through, and how to take the last one back while there is one to take. */
function restoreLines(live: RestoreRecord[]): string[] {
  const lines = ['Restores:'];
  for (const r of live.slice(-5)) {
    const what = r.kind === 'undo' ? `undo of ${r.undoes}` : `task ${r.task} to before step ${r.step}`;
    lines.push(`  ${r.time.slice(0, 19).replace('T', ' ')}  ${what}, ${r.ops.length} path${r.ops.length === 1 ? '' : 's'}${r.undone ? ' (taken back)' : ''}`);
  }
  if (live.some((r) => !r.undone)) lines.push('  take the last one back: stepwise restore --undo');
  return lines;
}

function filesOf(step: TaskRecord['steps'][number]): string[] {
  return Object.keys(step.after).length ? Object.keys(step.after) : Object.keys(step.before);
}
