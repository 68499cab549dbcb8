/**
 * A tool call as a compact card: icon, name, summary, status badge, expandable output. Cards are
 * cloned from one prototype (a long task opens hundreds at once), and the output text is put into
 * the page only while its <details> is open.
 */
import * as l10n from '@vscode/l10n';
import type { TaskItem } from '../protocol/messages';
import { isShortened } from '../protocol/viewBounds';
import { button, h, icon } from './dom';
import { toolIcon, toolStatusLabel, type ToolStatus } from './format';

type ToolItem = Extract<TaskItem, { kind: 'tool' }>;

const STATUS_ICON: Record<ToolStatus, string> = {
  running: 'loading codicon-modifier-spin',
  ok: 'pass-filled',
  error: 'error',
  denied: 'circle-slash',
  interrupted: 'debug-pause',
};

let prototype: HTMLElement | undefined;
function skeleton(): HTMLElement {
  prototype ??= h(
    'div',
    { class: 'tool-card', 'data-testid': 'tool-card', role: 'group' },
    h(
      'div',
      { class: 'tool-head' },
      icon('tools', 'tool-icon'),
      h('span', { class: 'tool-name' }),
      h('span', { class: 'tool-summary' }),
      h('span', { class: 'tool-badge' }, icon('loading'), h('span')),
    ),
    h('details', { class: 'tool-output' }, h('summary', { text: l10n.t('Output') }), h('pre', { class: 'tool-output-text' })),
  );
  return prototype.cloneNode(true) as HTMLElement;
}

export class ToolCard {
  readonly el = skeleton();
  private readonly summary: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly details: HTMLDetailsElement;
  private readonly output: HTMLElement;
  private status: ToolStatus | undefined;
  private text: string | undefined;
  private shownText: string | undefined;
  private summaryText: string | undefined;
  private full: HTMLElement | undefined;
  private restore: HTMLElement | undefined;

  constructor(item: ToolItem) {
    const head = this.el.firstElementChild as HTMLElement;
    const [iconEl, name, summary, badge] = Array.from(head.children) as HTMLElement[];
    this.summary = summary!;
    this.badge = badge!;
    this.details = this.el.lastElementChild as HTMLDetailsElement;
    this.output = this.details.lastElementChild as HTMLElement;
    iconEl!.className = `codicon codicon-${toolIcon(item.name)} tool-icon`;
    name!.textContent = item.name;
    this.el.dataset.tool = item.name;
    this.el.setAttribute('aria-label', l10n.t('Tool {0}', item.name));
    this.details.addEventListener('toggle', () => this.showOutput());
    this.update(item);
  }

  update(item: ToolItem): void {
    if (item.summary !== this.summaryText) {
      this.summaryText = item.summary;
      this.summary.textContent = item.summary;
      this.summary.title = item.summary;
    }
    if (item.status !== this.status) {
      this.status = item.status;
      this.el.dataset.status = item.status;
      this.badge.className = `tool-badge badge-${item.status}`;
      (this.badge.firstElementChild as HTMLElement).className = `codicon codicon-${STATUS_ICON[item.status]}`;
      (this.badge.lastElementChild as HTMLElement).textContent = toolStatusLabel(item.status);
    }
    // A checkpoint was recorded before this step: the workspace can go back to right before it.
    if (item.checkpoint !== undefined && !this.restore) {
      const restore = button(
        {
          label: l10n.t('Restore the files to right before step {0}', item.checkpoint),
          text: l10n.t('Restore to here'),
          icon: 'discard',
          testid: 'restore-here',
        },
        () => undefined,
      );
      const changes = button(
        {
          label: l10n.t('View the changes since step {0}', item.checkpoint),
          text: l10n.t('View changes since here'),
          icon: 'diff-multiple',
          testid: 'view-changes',
        },
        () => undefined,
      );
      restore.dataset.toolId = changes.dataset.toolId = item.id;
      this.restore = h('div', { class: 'checkpoint-actions' }, restore, changes);
      this.el.insertBefore(this.restore, this.details);
    }
    if (item.output !== this.text) {
      this.text = item.output;
      this.details.hidden = item.output.length === 0;
      this.showOutput();
      // The panel keeps a shortened output; the whole text opens in an editor (the click is handled by the App).
      if (isShortened(item.output) && !this.full) {
        this.full = button(
          { label: l10n.t('Open the full output in an editor'), text: l10n.t('Open full output'), icon: 'go-to-file', testid: 'open-output' },
          () => undefined,
        );
        this.full.dataset.toolId = item.id;
        this.details.append(this.full);
      }
    }
  }

  private showOutput(): void {
    if (this.details.open && this.shownText !== this.text) {
      this.shownText = this.text;
      this.output.textContent = this.text ?? '';
    }
  }
}
