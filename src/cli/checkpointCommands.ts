/** `stepwise checkpoints` and `stepwise restore`: list a workspace's checkpoints, go back to one, take a restore back. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { megabytes } from '../core/checkpoints/entryState';
import { applyRestore, recoverRestores } from '../core/checkpoints/restoreApply';
import { lastRestore, opKind, planRestore, planUndo, type RestorePlan } from '../core/checkpoints/restorePlan';
import { WorkspaceCheckpoints } from '../core/checkpoints/store';
import type { TaskRecord } from '../core/checkpoints/types';
import { escapeControls, escapeJsonControls } from '../core/text/controlChars';
import type { CheckpointsConfig, RestoreConfig } from './args';
import { TerminalInput } from './terminalInput';
import { checkpointDir, ConfigError, loadUserConfig } from './userConfig';

export interface CommandIo {
  env: NodeJS.ProcessEnv;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** A terminal to ask on; absent = no questions (restore then needs --yes). */
  input?: NodeJS.ReadableStream;
}

const OK = 0;
const NOTHING = 1;
const USAGE = 2;

type Opened = { store: WorkspaceCheckpoints | undefined; root: string } | { code: number };

async function openStore(workspace: string, io: CommandIo): Promise<Opened> {
  const say = (m: string) => io.err.write(`stepwise: ${escapeControls(m)}\n`);
  let root: string;
  try {
    root = fs.realpathSync(path.resolve(workspace));
    if (!fs.statSync(root).isDirectory()) throw new Error('not a folder');
  } catch {
    say(`the workspace "${workspace}" is not a folder.`);
    return { code: USAGE };
  }
  let settings;
  try {
    settings = loadUserConfig(io.env).checkpoints;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    say(error.message);
    return { code: USAGE };
  }
  const store = await WorkspaceCheckpoints.open(checkpointDir(io.env), root, settings, false).catch((error: Error) => {
    say(error.message);
    return undefined;
  });
  if (store) {
    // A restore cut off half-way is finished before anything else looks at the files.
    const finished = await recoverRestores(store);
    for (const r of finished)
      say(`finished a restore that was cut off (${r.ops.length} path${r.ops.length === 1 ? '' : 's'}${r.kept.length ? `, ${r.kept.length} kept` : ''}).`);
  }
  return { store, root };
}

function filesOf(step: TaskRecord['steps'][number]): string[] {
  return Object.keys(step.after).length ? Object.keys(step.after) : Object.keys(step.before);
}

export async function listCheckpoints(config: CheckpointsConfig, io: CommandIo): Promise<number> {
  const opened = await openStore(config.workspace, io);
  if ('code' in opened) return opened.code;
  const { store, root } = opened;
  const settings = store?.settings ?? loadUserConfig(io.env).checkpoints;
  let tasks = store ? await store.tasks() : [];
  if (config.task !== undefined) {
    tasks = tasks.filter((t) => t.id === config.task);
    if (!tasks.length) {
      io.err.write(`stepwise: no task ${config.task} in ${escapeControls(root)} (stepwise checkpoints lists them).\n`);
      return NOTHING;
    }
  }
  const restores = store ? await store.restores() : [];
  const used = store ? (await store.usage()).bytes : 0;
  if (config.json) {
    const json = {
      workspace: root,
      store: checkpointDir(io.env),
      usedBytes: used,
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
    io.out.write(`${escapeJsonControls(JSON.stringify(json))}\n`);
    return OK;
  }
  const lines = [
    `Checkpoints of ${root}`,
    `Store: ${checkpointDir(io.env)} — ${megabytes(used)} used of ${megabytes(settings.maxStorageBytes)}; kept ${settings.maxAgeDays} days; files over ${megabytes(settings.maxFileBytes)} not copied (change in ${loadUserConfig(io.env).file})`,
    `Not covered: .git/ and what commands regenerate: ${settings.exclude.join(' ')}`,
  ];
  if (!tasks.length) lines.push('', 'No checkpoints yet: `stepwise run` records one before each step that may change files.');
  for (const t of tasks) {
    lines.push('', `Task ${t.id} · ${t.started.slice(0, 16).replace('T', ' ')} · ${JSON.stringify(escapeControls(t.goal.slice(0, 80)))}`);
    if (!t.steps.length) lines.push('  (no changing steps)');
    for (const s of t.steps) {
      const files = filesOf(s);
      const shown = files.length > 3 ? `${files.length} files: ${files.slice(0, 3).join(', ')}, …` : files.join(', ') || '(nothing changed)';
      lines.push(`  step ${String(s.step).padEnd(3)} ${s.tool.padEnd(12)} ${s.time.slice(11, 19)}  ${escapeControls(shown)}`);
      for (const n of s.skipped.slice(0, 5)) lines.push(`      not covered: ${escapeControls(n.path)} — ${n.reason}`);
    }
  }
  const live = restores.filter((r) => r.status === 'done');
  if (live.length) {
    lines.push('', 'Restores:');
    for (const r of live.slice(-5)) {
      const what = r.kind === 'undo' ? `undo of ${r.undoes}` : `task ${r.task} to before step ${r.step}`;
      lines.push(`  ${r.time.slice(0, 19).replace('T', ' ')}  ${what}, ${r.ops.length} path${r.ops.length === 1 ? '' : 's'}${r.undone ? ' (taken back)' : ''}`);
    }
    if (live.some((r) => !r.undone)) lines.push('  take the last one back: stepwise restore --undo');
  }
  io.out.write(`${lines.join('\n')}\n`);
  return OK;
}

function describePlan(plan: RestorePlan, heading: string): string {
  const lines = [heading];
  for (const op of plan.ops)
    lines.push(
      `  ${opKind(op).padEnd(7)} ${escapeControls(op.path)}${op.to.kind === 'dir' ? '/' : ''}${op.changedOutside ? '  (changed outside the task since; included)' : ''}`,
    );
  if (plan.changedOutside.length) {
    lines.push("Kept — changed outside the task's steps since the checkpoint (--include-changed restores them too):");
    for (const p of plan.changedOutside) lines.push(`  ${escapeControls(p)}`);
  }
  for (const k of plan.kept) lines.push(`Not restored: ${escapeControls(k.path)} — ${k.reason}`);
  return `${lines.join('\n')}\n`;
}

export async function restoreCommand(config: RestoreConfig, io: CommandIo): Promise<number> {
  const say = (m: string) => io.err.write(`stepwise: ${escapeControls(m)}\n`);
  const opened = await openStore(config.workspace, io);
  if ('code' in opened) return opened.code;
  const { store, root } = opened;
  if (!store) {
    say(`no checkpoints are recorded for ${root}; nothing was restored.`);
    return NOTHING;
  }
  let plan: RestorePlan;
  let heading: string;
  if (config.undo) {
    const last = await lastRestore(store);
    if (!last) {
      say('there is no restore to take back; nothing was restored.');
      return NOTHING;
    }
    plan = await planUndo(store, last, config.includeChanged);
    heading = `Take back the restore of ${last.time.slice(0, 19).replace('T', ' ')}${last.kind === 'undo' ? ' (itself an undo)' : ` (task ${last.task}, before step ${last.step})`} in ${root}:`;
  } else {
    const tasks = await store.tasks();
    const task = config.task === undefined ? tasks.filter((t) => t.steps.length).at(-1) : tasks.find((t) => t.id === config.task);
    if (!task) {
      say(
        config.task === undefined
          ? `no task with checkpoints in ${root}; nothing was restored.`
          : `no task ${config.task} in ${root} (stepwise checkpoints lists them); nothing was restored.`,
      );
      return NOTHING;
    }
    const step = config.step!;
    if (!task.steps.some((s) => s.step >= step)) {
      say(
        `task ${task.id} has no checkpoint at or after step ${step} (its checkpoints: ${task.steps.map((s) => s.step).join(', ') || 'none'}); nothing was restored.`,
      );
      return NOTHING;
    }
    plan = await planRestore(store, task, step, config.includeChanged);
    heading = `Restore ${root} to right before step ${step} of task ${task.id} (${JSON.stringify(escapeControls(task.goal.slice(0, 80)))}):`;
  }
  io.out.write(describePlan(plan, heading));
  if (!plan.ops.length) {
    say(
      plan.changedOutside.length
        ? 'every path to restore was changed outside the task since; nothing was restored (--include-changed restores them).'
        : 'the files are already in that state; nothing was restored.',
    );
    return NOTHING;
  }
  if (!config.yes) {
    if (!io.input) {
      say('restore asks before it writes: without a terminal, pass --yes.');
      return USAGE;
    }
    const terminal = new TerminalInput(io.input);
    const answer = await terminal
      .ask(io.err, `Restore these ${plan.ops.length} path${plan.ops.length === 1 ? '' : 's'}? (y/N) `, new AbortController().signal)
      .finally(() => terminal.close());
    if (!/^(y|yes)$/i.test(answer.trim())) {
      say('nothing was restored.');
      return NOTHING;
    }
  }
  const record = await applyRestore(store, plan);
  const late = record.kept.filter((k) => !plan.kept.includes(k));
  for (const k of late) say(`not restored: ${k.path} — ${k.reason}`);
  if (!record.ops.length) {
    say('nothing was restored.');
    return NOTHING;
  }
  io.out.write(
    `Restored ${record.ops.length} path${record.ops.length === 1 ? '' : 's'}. To take it back: stepwise restore --undo${root === process.cwd() ? '' : ` --workspace ${JSON.stringify(root)}`}\n`,
  );
  return OK;
}
