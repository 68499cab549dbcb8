/**
 * The panel's layout and its per-frame update. Each part keeps its own DOM and compares what it
 * last showed, so a frame during streaming touches only what changed. Approval cards are keyed by
 * approval id: re-rendering never wipes feedback the user is typing.
 */
import * as l10n from '@vscode/l10n';
import type { SetupView, TaskSummary, TaskView, WebviewMessage } from '../protocol/messages';
import { ModelBar, SetupCard } from './setup';
import { approvalCard } from './approvalCard';
import { Composer } from './composer';
import { Conversation } from './conversation';
import { h, icon } from './dom';
import { taskStatusLabel } from './format';
import { Header } from './header';
import { HistoryList } from './history';
import { interceptLinks } from './markdown';
import { planCard } from './planCard';
import { PlanList } from './planList';

export interface Model {
  task: TaskView | undefined;
  /** The model bar and setup card (sent by the extension; undefined until it has). */
  setup?: SetupView | undefined;
  history: TaskSummary[];
  running: boolean;
  /** The history list over an open task (the History button); always shown when no task is open. */
  showHistory: boolean;
}

export class App {
  private readonly header: Header;
  private readonly plan = new PlanList();
  private readonly conversation: Conversation;
  private readonly pending = h('div', { class: 'pending' });
  private readonly history: HistoryList;
  private readonly welcome = h(
    'div',
    { class: 'welcome' },
    h('div', { class: 'welcome-title' }, icon('debug-step-over'), h('h1', { text: 'Stepwise' })),
    h('p', { text: l10n.t('Describe a goal below. Stepwise proposes a plan, shows every edit and command before it runs, and waits for your approval.') }),
  );
  private readonly backToTask: HTMLElement;
  private readonly taskView: HTMLElement;
  private readonly homeView: HTMLElement;
  private readonly live = h('div', { class: 'sr-only', 'aria-live': 'polite', role: 'status' });
  readonly composer: Composer;
  private readonly modelBar: ModelBar;
  private readonly setupCard: SetupCard;
  private approvalKey: string | undefined;
  private lastStatus: string | undefined;

  constructor(
    root: HTMLElement,
    private readonly post: (m: WebviewMessage) => void,
    toggleHistory: () => void,
  ) {
    this.header = new Header(post);
    this.conversation = new Conversation((text) => this.announce(`Stepwise: ${text.slice(0, 400)}`));
    this.history = new HistoryList(post);
    this.composer = new Composer(post, toggleHistory);
    this.modelBar = new ModelBar(post);
    this.setupCard = new SetupCard(post);
    this.backToTask = h(
      'button',
      { type: 'button', class: 'btn btn-secondary back', 'aria-label': l10n.t('Back to the open task') },
      icon('arrow-left'),
      h('span', { text: l10n.t('Back to task') }),
    );
    this.backToTask.addEventListener('click', toggleHistory);
    this.taskView = h('div', { class: 'task-view' }, this.header.el, this.plan.el, this.conversation.el, this.pending);
    this.homeView = h('div', { class: 'home-view' }, this.backToTask, this.welcome, this.history.el);
    interceptLinks(this.conversation.el, (url) => post({ type: 'openLink', url }));
    this.conversation.el.addEventListener('click', (ev) => {
      const target = ev.target as Element | null;
      const open = target?.closest?.('[data-testid=open-output]') as HTMLElement | null;
      if (open?.dataset.toolId) post({ type: 'openOutput', toolId: open.dataset.toolId });
      const restore = target?.closest?.('[data-testid=restore-here]') as HTMLElement | null;
      if (restore?.dataset.toolId) post({ type: 'restore', toolId: restore.dataset.toolId });
      const changes = target?.closest?.('[data-testid=view-changes]') as HTMLElement | null;
      if (changes?.dataset.toolId) post({ type: 'viewChanges', toolId: changes.dataset.toolId });
    });
    root.replaceChildren(h('div', { class: 'app' }, this.modelBar.el, this.taskView, this.homeView, this.setupCard.el, this.composer.el, this.live));
  }

  get scroller(): HTMLElement {
    return this.conversation.el;
  }

  announce(text: string): void {
    this.live.textContent = text;
  }

  render(model: Model): void {
    const task = model.task;
    const home = !task || model.showHistory;
    this.homeView.hidden = !home;
    this.taskView.hidden = home;
    this.welcome.hidden = !!task;
    this.backToTask.hidden = !task;
    this.history.update(model.history);
    this.composer.update(model.running, !!task);
    this.modelBar.update(model.setup);
    // Not over a running task: the card is for before a goal, or after setting up the model failed.
    this.setupCard.update(model.running ? undefined : model.setup);
    if (!task) {
      this.setPending(undefined, () => undefined);
      this.lastStatus = undefined;
      return;
    }
    const stick = this.conversation.atBottom();
    this.header.update(task);
    this.plan.update(task.plan, task.status === 'running');
    this.conversation.update(task.id, task.items);
    this.renderPending(task);
    if (stick && !home) this.conversation.scrollToBottom();
    const status = `${task.id}:${task.status}`;
    if (this.lastStatus !== undefined && status !== this.lastStatus && task.status !== 'running') {
      const status = taskStatusLabel(task.status).toLowerCase();
      this.announce(task.summary ? l10n.t('Task {0}: {1}', status, task.summary) : l10n.t('Task {0}', status));
    }
    this.lastStatus = status;
  }

  private renderPending(task: TaskView): void {
    const a = task.pendingApproval;
    const p = task.pendingPlan;
    if (a) this.setPending(`a:${a.approvalId}`, () => approvalCard(a, this.post), l10n.t('Approval needed: {0}', a.title), a.approvalId);
    else if (p) this.setPending(`p:${p.approvalId}`, () => planCard(p, this.post), l10n.t('A plan is ready for your review'), p.approvalId);
    else this.setPending(undefined, () => undefined);
  }

  private setPending(key: string | undefined, make: () => HTMLElement | undefined, announcement?: string, approvalId?: string): void {
    if (key === this.approvalKey) return;
    this.approvalKey = key;
    const card = make();
    if (card) this.pending.replaceChildren(card);
    else this.pending.replaceChildren();
    if (announcement) this.announce(announcement);
    // Tell the extension the card is on screen; without this it asks in a notification too.
    if (card && approvalId) this.post({ type: 'shown', approvalId });
  }
}
