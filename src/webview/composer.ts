/**
 * The bottom bar: the goal box (Enter sends, Shift+Enter adds a line, `@` mentions and `/` MCP prompts: mentions.ts),
 * Send, Stop and Compact while a task is running (`/compact` too), New task and History. Files
 * dropped on it become mentions.
 */
import * as l10n from '@vscode/l10n';
import type { MentionItem, WebviewMessage } from '../protocol/messages';
import { button, h, setText } from './dom';
import { ImageChips } from './images';
import { MentionPicker } from './mentions';

const MAX_GOAL = 20_000;
/** Typed while a task runs: the same as the Compact button. */
const COMPACT = '/compact';

export class Composer {
  readonly el: HTMLElement;
  readonly input = h('textarea', { class: 'goal-input', rows: 3, maxlength: MAX_GOAL, 'data-testid': 'goal-input', 'aria-label': l10n.t('Goal for Stepwise') });
  private readonly send: HTMLButtonElement;
  private readonly stop: HTMLButtonElement;
  private readonly compact: HTMLButtonElement;
  private readonly mentions: MentionPicker;
  private readonly images = new ImageChips((text) => setText(this.problem, text));
  private readonly problem = h('p', { class: 'composer-error', role: 'alert', 'data-testid': 'composer-error' });
  private running = false;

  constructor(
    private readonly post: (m: WebviewMessage) => void,
    onHistory: () => void,
  ) {
    this.send = button({ label: l10n.t('Send goal'), text: l10n.t('Send'), icon: 'send', kind: 'primary', testid: 'send', title: l10n.t('Send (Enter)') }, () =>
      this.submit(),
    );
    this.stop = button(
      { label: l10n.t('Stop the running task'), text: l10n.t('Stop'), icon: 'debug-stop', testid: 'stop', title: l10n.t('Stop (Escape)') },
      () => this.post({ type: 'stop' }),
    );
    this.compact = button(
      {
        label: l10n.t('Compact: replace the earlier steps with a summary before the next request'),
        text: l10n.t('Compact'),
        icon: 'fold',
        testid: 'compact',
        title: l10n.t('Compact (/compact)'),
      },
      () => this.post({ type: 'compact' }),
    );
    const newTask = button({ label: l10n.t('New task'), icon: 'add', kind: 'icon', testid: 'new-task' }, () => {
      this.post({ type: 'newTask' });
      this.input.focus();
    });
    const history = button({ label: l10n.t('Show task history'), icon: 'history', kind: 'icon', testid: 'history-button' }, onHistory);
    this.mentions = new MentionPicker(this.input, post, () => !this.running);
    this.input.addEventListener('keydown', (ev) => {
      if (this.mentions.key(ev)) return;
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('paste', (ev) => {
      const files = [...(ev.clipboardData?.files ?? [])];
      if (this.images.addFiles(files)) ev.preventDefault();
    });
    this.input.addEventListener('input', () => {
      setText(this.problem, '');
      this.refresh();
    });
    this.el = h(
      'footer',
      { class: 'composer' },
      this.mentions.list,
      this.mentions.chips,
      this.images.el,
      this.problem,
      this.input,
      h('div', { class: 'composer-actions' }, history, newTask, h('span', { class: 'spacer' }), this.compact, this.stop, this.send),
    );
    this.acceptDrops();
    this.update(false, false);
  }

  mentionResults(requestId: number, items: MentionItem[]): void {
    this.mentions.results(requestId, items);
  }

  mentionsAdded(items: MentionItem[]): void {
    this.mentions.add(items);
  }

  /** The goal was not started: it comes back, with its mentions and why. */
  rejected(text: string, goal: string, mentions: MentionItem[]): void {
    if (!this.input.value.trim()) this.input.value = goal;
    this.mentions.add(mentions);
    setText(this.problem, text);
    this.refresh();
  }

  /** A picked MCP prompt's text: put before what the box holds, for the user to read and send. */
  promptFilled(text: string): void {
    const rest = this.input.value.trim();
    this.input.value = (rest ? `${text}\n\n${rest}` : text).slice(0, MAX_GOAL);
    this.input.focus();
    this.input.setSelectionRange(this.input.value.length, this.input.value.length);
    setText(this.problem, '');
    this.refresh();
    // A `/` given back (the servers just started) opens the picker on their prompts.
    this.input.dispatchEvent(new Event('input'));
  }

  /** Files dragged from the Explorer (VS Code passes their URIs): the extension makes mentions of them. */
  private acceptDrops(): void {
    this.el.addEventListener('dragover', (ev) => ev.preventDefault());
    this.el.addEventListener('drop', (ev) => {
      if (this.images.addFiles([...(ev.dataTransfer?.files ?? [])])) {
        ev.preventDefault();
        return;
      }
      const data = ev.dataTransfer?.getData('application/vnd.code.uri-list') || ev.dataTransfer?.getData('text/uri-list') || '';
      const uris = data.split(/\r?\n/).filter((l) => l && !l.startsWith('#'));
      if (!uris.length) return;
      ev.preventDefault();
      this.post({ type: 'dropped', uris: uris.slice(0, 50) });
    });
  }

  update(running: boolean, hasTask: boolean): void {
    this.running = running;
    this.stop.hidden = !running;
    this.compact.hidden = !running;
    this.input.placeholder = running
      ? l10n.t('A task is running… (/compact summarises the earlier steps)')
      : hasTask
        ? l10n.t('Describe a new goal (Enter to send)')
        : l10n.t('What should Stepwise do? (Enter to send, Shift+Enter for a new line)');
    this.refresh();
  }

  private refresh(): void {
    const text = this.input.value.trim();
    this.send.disabled = this.running ? text !== COMPACT : text.length === 0;
  }

  private submit(): void {
    const goal = this.input.value.trim();
    if (this.running && goal === COMPACT) {
      this.post({ type: 'compact' });
      this.input.value = '';
      this.refresh();
      return;
    }
    if (this.running || !goal) return;
    const mentions = this.mentions.take();
    const images = this.images.take();
    this.post({ type: 'start', goal: goal.slice(0, MAX_GOAL), ...(mentions.length ? { mentions } : {}), ...(images.length ? { images } : {}) });
    this.input.value = '';
    this.refresh();
  }
}
