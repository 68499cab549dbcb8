/**
 * The bottom bar: the goal box (Enter sends, Shift+Enter adds a line), Send, Stop while a task is
 * running, New task and History.
 */
import type { WebviewMessage } from '../protocol/messages';
import { button, h } from './dom';

const MAX_GOAL = 20_000;

export class Composer {
  readonly el: HTMLElement;
  readonly input = h('textarea', { class: 'goal-input', rows: 3, maxlength: MAX_GOAL, 'data-testid': 'goal-input', 'aria-label': 'Goal for Stepwise' });
  private readonly send: HTMLButtonElement;
  private readonly stop: HTMLButtonElement;
  private running = false;

  constructor(
    private readonly post: (m: WebviewMessage) => void,
    onHistory: () => void,
  ) {
    this.send = button({ label: 'Send goal', text: 'Send', icon: 'send', kind: 'primary', testid: 'send', title: 'Send (Enter)' }, () => this.submit());
    this.stop = button({ label: 'Stop the running task', text: 'Stop', icon: 'debug-stop', testid: 'stop', title: 'Stop (Escape)' }, () =>
      this.post({ type: 'stop' }),
    );
    const newTask = button({ label: 'New task', icon: 'add', kind: 'icon', testid: 'new-task' }, () => {
      this.post({ type: 'newTask' });
      this.input.focus();
    });
    const history = button({ label: 'Show task history', icon: 'history', kind: 'icon', testid: 'history-button' }, onHistory);
    this.input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('input', () => this.refresh());
    this.el = h(
      'footer',
      { class: 'composer' },
      this.input,
      h('div', { class: 'composer-actions' }, history, newTask, h('span', { class: 'spacer' }), this.stop, this.send),
    );
    this.update(false, false);
  }

  update(running: boolean, hasTask: boolean): void {
    this.running = running;
    this.stop.hidden = !running;
    this.input.placeholder = running
      ? 'A task is running…'
      : hasTask
        ? 'Describe a new goal (Enter to send)'
        : 'What should Stepwise do? (Enter to send, Shift+Enter for a new line)';
    this.refresh();
  }

  private refresh(): void {
    this.send.disabled = this.running || this.input.value.trim().length === 0;
  }

  private submit(): void {
    const goal = this.input.value.trim();
    if (this.running || !goal) return;
    this.post({ type: 'start', goal: goal.slice(0, MAX_GOAL) });
    this.input.value = '';
    this.refresh();
  }
}
