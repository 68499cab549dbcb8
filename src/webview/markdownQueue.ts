/**
 * Decides when message markdown is formatted. Messages near the end of the conversation (what the
 * user sees, since it sticks to the bottom) are formatted in the frame that shows them; older ones
 * show their plain text at once and are formatted in idle time, newest first. Opening a task of a
 * thousand messages thus costs one screenful of markdown up front, not a thousand.
 */
import { renderMarkdownBatch, type MarkdownJob } from './markdown';

const SLICE = 20;

type IdleHandle = number;
const requestIdle: (cb: (deadline: { timeRemaining(): number }) => void) => IdleHandle =
  typeof requestIdleCallback === 'function'
    ? (cb) => requestIdleCallback(cb, { timeout: 500 })
    : (cb) => setTimeout(() => cb({ timeRemaining: () => 8 }), 16) as unknown as IdleHandle;

export class MarkdownQueue {
  private readonly pending = new Map<HTMLElement, string>();
  /** Queue order, oldest first; entries already formatted are skipped when popped. */
  private order: HTMLElement[] = [];
  private scheduled = false;

  /** Formats these messages now (also takes them out of the idle queue). */
  now(jobs: MarkdownJob[]): void {
    for (const job of jobs) this.settle(job.el);
    renderMarkdownBatch(jobs);
  }

  /** Shows the plain text now and formats it when the page is idle. */
  later(jobs: MarkdownJob[]): void {
    for (const job of jobs) {
      job.el.textContent = job.text;
      job.el.classList.add('md-pending');
      if (!this.pending.has(job.el)) this.order.push(job.el);
      this.pending.set(job.el, job.text);
    }
    this.schedule();
  }

  /** Drops everything queued (the conversation switched to another task). */
  clear(): void {
    this.pending.clear();
    this.order = [];
  }

  private settle(el: HTMLElement): void {
    if (this.pending.delete(el)) el.classList.remove('md-pending');
  }

  private schedule(): void {
    if (this.scheduled || this.pending.size === 0) return;
    this.scheduled = true;
    requestIdle((deadline) => {
      this.scheduled = false;
      do {
        // Newest first: they are closest to where the user is looking.
        const batch: MarkdownJob[] = [];
        while (batch.length < SLICE && this.order.length > 0) {
          const el = this.order.pop()!;
          const text = this.pending.get(el);
          if (text !== undefined) batch.push({ el, text });
        }
        this.now(batch);
      } while (this.pending.size > 0 && deadline.timeRemaining() > 4);
      this.schedule();
    });
  }
}
