/** The task header: goal, status, token use and the step count against the limit. */
import type { TaskView, WebviewMessage } from '../protocol/messages';
import { button, h, icon, setText } from './dom';
import { formatCompact, formatNumber, TASK_STATUS_ICON, TASK_STATUS_LABEL } from './format';

export class Header {
  readonly el: HTMLElement;
  private readonly goal = h('h2', { class: 'task-goal', 'data-testid': 'task-goal' });
  private readonly status = h('span', { class: 'status-badge', 'data-testid': 'task-status', role: 'status' });
  private readonly tokens = h('span', { class: 'meta-item', 'data-testid': 'tokens' });
  private readonly steps = h('span', { class: 'meta-item', 'data-testid': 'steps' });
  private readonly undo: HTMLElement;
  private last = '';

  constructor(post: (m: WebviewMessage) => void) {
    this.undo = button(
      { label: 'Undo the last restore: bring the files back as they were before it', text: 'Undo restore', icon: 'redo', testid: 'undo-restore' },
      () => post({ type: 'undoRestore' }),
    );
    this.undo.hidden = true;
    this.el = h(
      'header',
      { class: 'task-header' },
      h('div', { class: 'goal-row' }, this.goal, this.status),
      h('div', { class: 'meta-row' }, this.tokens, this.steps, this.undo),
    );
  }

  update(task: TaskView): void {
    this.undo.hidden = !task.restored;
    const key = `${task.goal}\u0000${task.status}\u0000${task.promptTokens}\u0000${task.completionTokens}\u0000${task.costUsd}\u0000${task.step}\u0000${task.maxSteps}`;
    if (key === this.last) return;
    this.last = key;
    setText(this.goal, task.goal);
    this.goal.title = task.goal;

    const label = TASK_STATUS_LABEL[task.status];
    this.status.dataset.status = task.status;
    this.status.replaceChildren(icon(TASK_STATUS_ICON[task.status]), h('span', { text: label }));
    this.status.setAttribute('aria-label', `Status: ${label}`);

    this.tokens.replaceChildren(
      icon('symbol-numeric'),
      h('span', {
        text: `${formatCompact(task.promptTokens)} in · ${formatCompact(task.completionTokens)} out${task.costUsd !== undefined ? ` · ≈ ${formatUsd(task.costUsd)}` : ''}`,
      }),
    );
    const cost = task.costUsd !== undefined ? `, about ${formatUsd(task.costUsd)} (estimated from published prices)` : '';
    const tokenLabel = `Tokens: ${formatNumber(task.promptTokens)} prompt, ${formatNumber(task.completionTokens)} completion${cost}`;
    this.tokens.title = tokenLabel;
    this.tokens.setAttribute('aria-label', tokenLabel);

    setText(this.steps, `step ${task.step} / ${task.maxSteps}`);
    this.steps.setAttribute('aria-label', `Step ${task.step} of at most ${task.maxSteps}`);
  }
}

function formatUsd(usd: number): string {
  return `$${usd < 0.01 ? usd.toFixed(4) : usd.toFixed(2)}`;
}
