/**
 * What goes into the task view is bounded on the extension side, so that no message to the page
 * is ever too large to be taken (the page drops anything over MAX_MESSAGE_CHARS): a tool's output
 * is shortened (the full text opens on demand), an approval's diff is shortened (the diff editor
 * has it whole), and a long task's older items give way — never the step waiting for approval.
 */
import * as l10n from '@vscode/l10n';
import { MAX_MESSAGE_CHARS, type ApprovalView, type CommandView, type TaskItem, type TaskSummary, type TaskView } from './messages';

/** A tool's output as the panel keeps it. */
export const VIEW_OUTPUT_CHARS = 4000;
/** An approval's diff or command as the card shows it (a command this long is shortened, with a way to open it whole). */
export const VIEW_DETAIL_CHARS = 60_000;
/** A model message as the panel keeps it. */
export const VIEW_MESSAGE_CHARS = 50_000;
/** What a whole state message may take, with room to spare under MAX_MESSAGE_CHARS. */
export const STATE_BUDGET_CHARS = Math.floor(MAX_MESSAGE_CHARS * 0.75);
const HISTORY_GOAL_CHARS = 200;
/** The note in a shortened text, and how to tell one (in any language this page may have used). */
// l10n-ignore: the English note, still recognised in a task recorded in English
const SHORTENED = 'not shown here';
const shortened = (chars: number) => l10n.t('{0} characters not shown here', chars);
/** Every note of a shortened text, in any language, holds this phrase. */
const notShown = () => l10n.t('not shown here');

/** Head and tail of a text, with the number of characters left out between them. */
export function shorten(text: string, max: number, hint = ''): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.4);
  const tail = max - head;
  return `${text.slice(0, head)}\n[… ${shortened(text.length - head - tail)}${hint} …]\n${text.slice(text.length - tail)}`;
}

export function isShortened(text: string): boolean {
  return text.includes(` ${SHORTENED}`) || text.includes(notShown());
}

/** A card title is one line's worth; paths listed on it are few. */
const VIEW_TITLE_CHARS = 2000;

/** A command's parts as a card shows them: at most 30, each line and reason bounded. */
export function boundCommand(view: CommandView): CommandView {
  const parts = view.parts.slice(0, 30).map((p) => ({
    ...p,
    text: shorten(p.text, 500),
    reasons: p.reasons.slice(0, 10).map((r) => shorten(r, 300)),
    ...(p.rule !== undefined ? { rule: shorten(p.rule, 300) } : {}),
  }));
  if (view.parts.length > 30) parts.push({ text: l10n.t('… {0} more parts', view.parts.length - 30), status: 'ask', reasons: [] });
  return { ...view, parts, problems: view.problems.slice(0, 10).map((p) => shorten(p, 300)) };
}

export function boundApproval(approval: ApprovalView): ApprovalView {
  const title = shorten(approval.title, VIEW_TITLE_CHARS);
  const protectedPaths =
    approval.protectedPaths && approval.protectedPaths.length > 50
      ? [...approval.protectedPaths.slice(0, 50), l10n.t('… {0} more', approval.protectedPaths.length - 50)]
      : approval.protectedPaths;
  const tooLong = approval.detail !== undefined && approval.detail.length > VIEW_DETAIL_CHARS;
  if (!tooLong && title === approval.title && protectedPaths === approval.protectedPaths) return approval;
  const hint = approval.hasDiff ? l10n.t('; View diff shows all of it') : '';
  return {
    ...approval,
    title,
    ...(protectedPaths ? { protectedPaths: protectedPaths.map((p) => shorten(p, 500)) } : {}),
    ...(tooLong ? { detail: shorten(approval.detail!, VIEW_DETAIL_CHARS, hint) } : {}),
  };
}

/** The task as sent in a state message: the same task when it fits, else a copy that does. */
export function boundTask(task: TaskView, budget = STATE_BUDGET_CHARS): TaskView {
  if (size(task) <= budget) return task;
  const items: TaskItem[] = task.items.map((item) => ({ ...item }));
  const copy: TaskView = { ...task, items, ...(task.pendingApproval ? { pendingApproval: boundApproval(task.pendingApproval) } : {}) };
  // 1. Older tool outputs to their first line (the last few stay as they are).
  const tools = items.flatMap((item, i) => (item.kind === 'tool' ? [i] : []));
  for (const i of tools.slice(0, -3)) {
    const item = items[i] as Extract<TaskItem, { kind: 'tool' }>;
    if (item.output.length > 200)
      item.output = `${item.output.split('\n')[0]?.slice(0, 200) ?? ''}\n[… ${l10n.t('output characters not shown here; Stepwise: Show Log has the steps')} …]`;
  }
  if (size(copy) <= budget) return copy;
  // 2. Older messages shortened.
  const messages = items.flatMap((item, i) => (item.kind === 'message' ? [i] : []));
  for (const i of messages.slice(0, -5)) {
    const item = items[i] as Extract<TaskItem, { kind: 'message' }>;
    item.text = shorten(item.text, 2000);
  }
  // 3. The oldest items give way (the goal stays first); sizes are counted once, not per removal.
  let excess = size(copy) - budget + 300; // room for the notice
  let dropped = 0;
  while (excess > 0 && dropped < items.length - 2) {
    excess -= size(items[1 + dropped]) + 1;
    dropped++;
  }
  items.splice(1, dropped);
  if (dropped)
    items.splice(1, 0, {
      kind: 'notice',
      text:
        dropped === 1
          ? l10n.t('1 earlier step is not shown here to keep the panel responsive; Stepwise: Show Log has every step.')
          : l10n.t('{0} earlier steps are not shown here to keep the panel responsive; Stepwise: Show Log has every step.', dropped),
      tone: 'info',
    });
  return copy;
}

/** History entries with their goals cut to a line's length. */
export function boundHistory(history: TaskSummary[]): TaskSummary[] {
  return history.map((t) => (t.goal.length > HISTORY_GOAL_CHARS ? { ...t, goal: `${t.goal.slice(0, HISTORY_GOAL_CHARS - 1)}…` } : t));
}

function size(value: unknown): number {
  return JSON.stringify(value)?.length ?? 0;
}
