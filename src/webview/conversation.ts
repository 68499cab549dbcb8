/**
 * The conversation: one DOM node per task item, keyed by index. Items only ever grow at the end
 * (a retry drops the last streaming message), so each frame compares cheap signatures and touches
 * only the nodes whose item changed — usually the one message or tool card that is streaming.
 * A long task opens with its last WINDOW items; earlier ones are added a window at a time when
 * the user scrolls up to them (or presses "Show earlier").
 */
import * as l10n from '@vscode/l10n';
import type { TaskItem } from '../protocol/messages';
import { h, icon } from './dom';
import { create, update, type Rendered } from './itemNodes';
import type { MarkdownJob } from './markdown';
import { MarkdownQueue } from './markdownQueue';

/** Items rendered when a task opens, and added each time the user reaches the top. */
const WINDOW = 200;
/** Messages this close to the end are formatted at once; older ones when the page is idle. */
const EAGER_TAIL = 30;

export class Conversation {
  readonly el: HTMLElement;
  private list: HTMLElement;
  private readonly earlier: HTMLButtonElement;
  private nodes: (Rendered | undefined)[] = [];
  /** Index of the first item that has a node. */
  private start = 0;
  private items: TaskItem[] = [];
  private taskId: string | undefined;
  private readonly markdown = new MarkdownQueue();

  constructor(private readonly onMessageDone: (text: string) => void) {
    this.list = h('div', { class: 'items' });
    this.earlier = h('button', { type: 'button', class: 'btn btn-secondary earlier', 'data-testid': 'show-earlier' }, icon('fold-up'), h('span'));
    this.earlier.addEventListener('click', () => this.showEarlier());
    this.el = h('main', { class: 'conversation', 'aria-label': l10n.t('Conversation'), tabindex: '0' }, this.earlier, this.list);
    if (typeof IntersectionObserver === 'function') {
      new IntersectionObserver(
        (entries) => {
          if (entries.some((e) => e.isIntersecting)) this.showEarlier();
        },
        { root: this.el, rootMargin: '400px 0px 0px 0px' },
      ).observe(this.earlier);
    }
  }

  /** True when the user is at (or near) the bottom, so new output should keep it there. */
  atBottom(): boolean {
    return this.el.scrollHeight - this.el.scrollTop - this.el.clientHeight < 48;
  }

  scrollToBottom(): void {
    this.el.scrollTop = this.el.scrollHeight;
  }

  update(taskId: string, items: TaskItem[]): void {
    this.items = items;
    if (taskId !== this.taskId) {
      this.taskId = taskId;
      this.nodes = [];
      this.start = Math.max(0, items.length - WINDOW);
      // A fresh container: detaching one subtree is much cheaper than removing a thousand children.
      const list = h('div', { class: 'items' });
      this.list.replaceWith(list);
      this.list = list;
      this.markdown.clear();
    }
    this.start = Math.min(this.start, items.length);
    const fresh = document.createDocumentFragment();
    const eager: MarkdownJob[] = [];
    const lazy: MarkdownJob[] = [];
    const eagerFrom = items.length - EAGER_TAIL;
    for (let i = this.start; i < items.length; i++) {
      const item = items[i]!;
      const jobs = i >= eagerFrom ? eager : lazy;
      const r = this.nodes[i];
      if (r && r.kind === item.kind) {
        if (update(r, item, jobs) && item.kind === 'message') this.onMessageDone(item.text);
        continue;
      }
      const made = create(item, jobs);
      if (i < eagerFrom) made.el.classList.add('far');
      if (r) r.el.replaceWith(made.el);
      else fresh.append(made.el);
      this.nodes[i] = made;
    }
    for (let i = this.nodes.length - 1; i >= items.length; i--) this.nodes[i]?.el.remove();
    this.nodes.length = Math.min(this.nodes.length, items.length);
    this.markdown.now(eager);
    this.markdown.later(lazy);
    if (fresh.childNodes.length) this.list.append(fresh);
    this.updateEarlier();
  }

  /** Adds the previous window of items above the ones shown; scroll anchoring keeps the view still. */
  private showEarlier(): void {
    if (this.start === 0) return;
    const from = Math.max(0, this.start - WINDOW);
    const fresh = document.createDocumentFragment();
    const jobs: MarkdownJob[] = [];
    for (let i = from; i < this.start; i++) {
      const made = create(this.items[i]!, jobs);
      made.el.classList.add('far');
      this.nodes[i] = made;
      fresh.append(made.el);
    }
    this.list.prepend(fresh);
    this.markdown.later(jobs);
    this.start = from;
    this.updateEarlier();
  }

  private updateEarlier(): void {
    this.earlier.hidden = this.start === 0;
    const label = l10n.t('Show {0} earlier of {1}', Math.min(WINDOW, this.start), this.start);
    if (this.earlier.lastElementChild?.textContent !== label) {
      this.earlier.lastElementChild!.textContent = label;
      this.earlier.setAttribute('aria-label', l10n.t('Show {0} earlier of {1} items', Math.min(WINDOW, this.start), this.start));
    }
  }
}
