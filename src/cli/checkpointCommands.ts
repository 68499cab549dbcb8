/** `stepwise checkpoints` and `stepwise restore`: list a workspace's checkpoints, go back to one, take a restore back. */
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyRestore, recoverRestores } from '../core/checkpoints/restoreApply';
import { lastRestore, opKind, planRestore, planUndo, type RestorePlan } from '../core/checkpoints/restorePlan';
import { WorkspaceCheckpoints } from '../core/checkpoints/store';
import { escapeControls, escapeJsonControls } from '../core/text/controlChars';
import type { CheckpointsConfig, RestoreConfig } from './args';
import { type Listing, listingJson, listingText } from './checkpointListing';
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
    say(l10n.t('the workspace "{0}" is not a folder.', workspace));
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
    for (const r of finished) say(cutOffLine(r.ops.length, r.kept.length));
  }
  return { store, root };
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
      io.err.write(`stepwise: ${l10n.t('no task {0} in {1} (stepwise checkpoints lists them).', config.task, escapeControls(root))}\n`);
      return NOTHING;
    }
  }
  const restores = store ? await store.restores() : [];
  const usedBytes = store ? (await store.usage()).bytes : 0;
  const listing: Listing = { root, storeDir: checkpointDir(io.env), settings, usedBytes, tasks, restores };
  if (config.json) io.out.write(`${escapeJsonControls(JSON.stringify(listingJson(listing)))}\n`);
  else io.out.write(`${listingText(listing, loadUserConfig(io.env).file).join('\n')}\n`);
  return OK;
}

function describePlan(plan: RestorePlan, heading: string): string {
  const lines = [heading];
  for (const op of plan.ops)
    lines.push(
      `  ${opLabel(opKind(op)).padEnd(7)} ${escapeControls(op.path)}${op.to.kind === 'dir' ? '/' : ''}${op.changedOutside ? `  ${l10n.t('(changed outside the task since; included)')}` : ''}`,
    );
  if (plan.changedOutside.length) {
    lines.push(l10n.t("Kept — changed outside the task's steps since the checkpoint (--include-changed restores them too):"));
    for (const p of plan.changedOutside) lines.push(`  ${escapeControls(p)}`);
  }
  for (const k of plan.kept) lines.push(l10n.t('Not restored: {0} — {1}', escapeControls(k.path), k.reason));
  return `${lines.join('\n')}\n`;
}

function opLabel(kind: ReturnType<typeof opKind>): string {
  return kind === 'delete' ? l10n.t('delete') : kind === 'create' ? l10n.t('create') : kind === 'mode' ? l10n.t('mode') : l10n.t('change');
}

type Say = (message: string) => void;

function cutOffLine(paths: number, kept: number): string {
  if (kept)
    return paths === 1
      ? l10n.t('finished a restore that was cut off (1 path, {0} kept).', kept)
      : l10n.t('finished a restore that was cut off ({0} paths, {1} kept).', paths, kept);
  return paths === 1 ? l10n.t('finished a restore that was cut off (1 path).') : l10n.t('finished a restore that was cut off ({0} paths).', paths);
}

/** What a restore would do, and the heading it is shown under. */
interface Proposal {
  plan: RestorePlan;
  heading: string;
}

export async function restoreCommand(config: RestoreConfig, io: CommandIo): Promise<number> {
  const say: Say = (m) => io.err.write(`stepwise: ${escapeControls(m)}\n`);
  const opened = await openStore(config.workspace, io);
  if ('code' in opened) return opened.code;
  const { store, root } = opened;
  if (!store) {
    say(l10n.t('no checkpoints are recorded for {0}; nothing was restored.', root));
    return NOTHING;
  }
  const proposal = config.undo ? await proposeUndo(store, root, config, say) : await proposeRestore(store, root, config, say);
  if (!proposal) return NOTHING;
  const { plan, heading } = proposal;
  io.out.write(describePlan(plan, heading));
  if (!plan.ops.length) {
    say(
      plan.changedOutside.length
        ? l10n.t('every path to restore was changed outside the task since; nothing was restored (--include-changed restores them).')
        : l10n.t('the files are already in that state; nothing was restored.'),
    );
    return NOTHING;
  }
  const answer = config.yes ? OK : await askFirst(plan, io, say);
  if (answer !== OK) return answer;
  const record = await applyRestore(store, plan);
  const late = record.kept.filter((k) => !plan.kept.includes(k));
  for (const k of late) say(l10n.t('not restored: {0} — {1}', k.path, k.reason));
  if (!record.ops.length) {
    say(l10n.t('nothing was restored.'));
    return NOTHING;
  }
  const undo = `stepwise restore --undo${root === process.cwd() ? '' : ` --workspace ${JSON.stringify(root)}`}`;
  const restored =
    record.ops.length === 1
      ? l10n.t('Restored 1 path. To take it back: {0}', undo)
      : l10n.t('Restored {0} paths. To take it back: {1}', record.ops.length, undo);
  io.out.write(`${restored}\n`);
  return OK;
}

/** `--undo`: take back the last restore; undefined (having said why) when there is none. */
async function proposeUndo(store: WorkspaceCheckpoints, root: string, config: RestoreConfig, say: Say): Promise<Proposal | undefined> {
  const last = await lastRestore(store);
  if (!last) {
    say(l10n.t('there is no restore to take back; nothing was restored.'));
    return undefined;
  }
  const plan = await planUndo(store, last, config.includeChanged);
  const when = last.time.slice(0, 19).replace('T', ' ');
  const heading =
    last.kind === 'undo'
      ? l10n.t('Take back the restore of {0} (itself an undo) in {1}:', when, root)
      : l10n.t('Take back the restore of {0} (task {1}, before step {2}) in {3}:', when, last.task ?? '', last.step ?? '', root);
  return { plan, heading };
}

/** Back to right before `--step` of `--task` (by default the last task with checkpoints); undefined (having said why) when there is no such point. */
async function proposeRestore(store: WorkspaceCheckpoints, root: string, config: RestoreConfig, say: Say): Promise<Proposal | undefined> {
  const tasks = await store.tasks();
  const task = config.task === undefined ? tasks.filter((t) => t.steps.length).at(-1) : tasks.find((t) => t.id === config.task);
  if (!task) {
    say(
      config.task === undefined
        ? l10n.t('no task with checkpoints in {0}; nothing was restored.', root)
        : l10n.t('no task {0} in {1} (stepwise checkpoints lists them); nothing was restored.', config.task, root),
    );
    return undefined;
  }
  const step = config.step!;
  if (!task.steps.some((s) => s.step >= step)) {
    say(
      l10n.t(
        'task {0} has no checkpoint at or after step {1} (its checkpoints: {2}); nothing was restored.',
        task.id,
        step,
        task.steps.map((s) => s.step).join(', ') || l10n.t('none'),
      ),
    );
    return undefined;
  }
  const plan = await planRestore(store, task, step, config.includeChanged);
  const goal = JSON.stringify(escapeControls(task.goal.slice(0, 80)));
  return { plan, heading: l10n.t('Restore {0} to right before step {1} of task {2} ({3}):', root, step, task.id, goal) };
}

/** Asks on the terminal before writing (without one, --yes is needed): OK to go ahead, else the exit code. */
async function askFirst(plan: RestorePlan, io: CommandIo, say: Say): Promise<number> {
  if (!io.input) {
    say(l10n.t('restore asks before it writes: without a terminal, pass --yes.'));
    return USAGE;
  }
  const terminal = new TerminalInput(io.input);
  const answer = await terminal
    .ask(
      io.err,
      `${plan.ops.length === 1 ? l10n.t('Restore this 1 path?') : l10n.t('Restore these {0} paths?', plan.ops.length)} (y/N) `,
      new AbortController().signal,
    )
    .finally(() => terminal.close());
  if (!/^(y|yes)$/i.test(answer.trim())) {
    say(l10n.t('nothing was restored.'));
    return NOTHING;
  }
  return OK;
}
