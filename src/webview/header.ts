/** The task header: goal, status, token use and the step count against the limit. */
import * as l10n from '@vscode/l10n';
import type { TaskView, WebviewMessage } from '../protocol/messages';
import { button, h, icon, setText } from './dom';
import { formatCompact, formatNumber, TASK_STATUS_ICON, taskStatusLabel } from './format';

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
      {
        label: l10n.t('Undo the last restore: bring the files back as they were before it'),
        text: l10n.t('Undo restore'),
        icon: 'redo',
        testid: 'undo-restore',
      },
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

    const label = taskStatusLabel(task.status);
    this.status.dataset.status = task.status;
    this.status.replaceChildren(icon(TASK_STATUS_ICON[task.status]), h('span', { text: label }));
    this.status.setAttribute('aria-label', l10n.t('Status: {0}', label));

    this.tokens.replaceChildren(
      icon('symbol-numeric'),
      h('span', {
        text:
          l10n.t('{0} in · {1} out', formatCompact(task.promptTokens), formatCompact(task.completionTokens)) +
          (task.costUsd !== undefined ? ` · ≈ ${formatUsd(task.costUsd)}` : ''),
      }),
    );
    const tokenLabel =
      task.costUsd !== undefined
        ? l10n.t(
            'Tokens: {0} prompt, {1} completion, about {2} (estimated from published prices)',
            formatNumber(task.promptTokens),
            formatNumber(task.completionTokens),
            formatUsd(task.costUsd),
          )
        : l10n.t('Tokens: {0} prompt, {1} completion', formatNumber(task.promptTokens), formatNumber(task.completionTokens));
    this.tokens.title = tokenLabel;
    this.tokens.setAttribute('aria-label', tokenLabel);

    setText(this.steps, l10n.t('step {0} / {1}', task.step, task.maxSteps));
    this.steps.setAttribute('aria-label', l10n.t('Step {0} of at most {1}', task.step, task.maxSteps));
  }
}

function formatUsd(usd: number): string {
  return `$${usd < 0.01 ? usd.toFixed(4) : usd.toFixed(2)}`;
}
