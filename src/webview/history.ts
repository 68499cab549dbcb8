/** The list of past tasks in this workspace; choosing one asks the extension to open it. */
import * as l10n from '@vscode/l10n';
import type { TaskSummary, WebviewMessage } from '../protocol/messages';
import { h, icon } from './dom';
import { formatDate, TASK_STATUS_ICON, taskStatusLabel } from './format';

export class HistoryList {
  readonly el: HTMLElement;
  private readonly list = h('ul', { class: 'history-list', 'aria-label': l10n.t('Recent tasks') });
  private readonly empty = h('p', { class: 'history-empty', text: l10n.t('No tasks yet in this workspace.') });
  private shown: TaskSummary[] | undefined;

  constructor(private readonly post: (m: WebviewMessage) => void) {
    this.el = h(
      'section',
      { class: 'history', 'aria-label': l10n.t('Task history') },
      h('h2', { class: 'section-title' }, icon('history'), h('span', { text: l10n.t('Recent tasks') })),
      this.list,
      this.empty,
    );
  }

  update(history: TaskSummary[]): void {
    if (history === this.shown) return;
    this.shown = history;
    this.empty.hidden = history.length > 0;
    this.list.replaceChildren(
      ...history.map((t) => {
        const status = taskStatusLabel(t.status);
        const date = formatDate(t.createdAt);
        const item = h(
          'button',
          { type: 'button', class: 'history-item', 'data-testid': 'history-item', 'data-task-id': t.id, 'aria-label': `${t.goal} — ${status}, ${date}` },
          h('span', { class: 'history-goal', text: t.goal }),
          h(
            'span',
            { class: `history-meta status-${t.status}` },
            icon(TASK_STATUS_ICON[t.status].replace(' codicon-modifier-spin', '')),
            h('span', { text: `${status} · ${date}` }),
          ),
        );
        item.addEventListener('click', () => this.post({ type: 'openTask', taskId: t.id }));
        return h('li', {}, item);
      }),
    );
  }
}
