/**
 * One DOM node per task item (goal, message, tool card, notice), and how each is brought up to
 * date. Message markdown is not rendered here but queued as a job, so the conversation can format
 * what is on screen now and the rest later.
 */
import * as l10n from '@vscode/l10n';
import type { TaskItem } from '../protocol/messages';
import { h, icon, setText } from './dom';
import type { MarkdownJob } from './markdown';
import { ToolCard } from './toolCard';

export type Rendered =
  | { kind: 'goal'; el: HTMLElement; text: string }
  | { kind: 'message'; el: HTMLElement; body: HTMLElement; text: string; streaming: boolean }
  | { kind: 'tool'; el: HTMLElement; card: ToolCard }
  | { kind: 'notice'; el: HTMLElement; text: string }
  | { kind: 'compaction'; el: HTMLElement };

const NOTICE_ICON = { info: 'info', warning: 'warning', error: 'error' } as const;

function setStreaming(r: Extract<Rendered, { kind: 'message' }>, streaming: boolean): void {
  r.streaming = streaming;
  r.el.classList.toggle('streaming', streaming);
  if (streaming) r.el.setAttribute('aria-busy', 'true');
  else r.el.removeAttribute('aria-busy');
}

let messagePrototype: HTMLElement | undefined;

export function create(item: TaskItem, jobs: MarkdownJob[]): Rendered {
  switch (item.kind) {
    case 'goal': {
      const el = h(
        'div',
        { class: 'item goal-item', role: 'note', 'aria-label': l10n.t('Goal') },
        icon('account'),
        h('div', { class: 'goal-text', text: item.text }),
      );
      return { kind: 'goal', el, text: item.text };
    }
    case 'message': {
      messagePrototype ??= h('div', { class: 'item message', 'data-testid': 'message' }, h('div', { class: 'markdown' }));
      const el = messagePrototype.cloneNode(true) as HTMLElement;
      const body = el.firstElementChild as HTMLElement;
      const r: Rendered = { kind: 'message', el, body, text: '', streaming: false };
      if (item.streaming) setStreaming(r, true);
      update(r, item, jobs);
      return r;
    }
    case 'tool': {
      const card = new ToolCard(item);
      return { kind: 'tool', el: card.el, card };
    }
    case 'notice': {
      const el = h(
        'div',
        { class: `item notice notice-${item.tone}`, 'data-testid': 'notice', 'data-tone': item.tone, role: item.tone === 'error' ? 'alert' : 'note' },
        icon(NOTICE_ICON[item.tone]),
        h('span', { text: item.text }),
      );
      return { kind: 'notice', el, text: item.text };
    }
    case 'compaction':
      return { kind: 'compaction', el: compactionNode(item) };
  }
}

/** The line, and the summary the model now works from behind a disclosure (plain text: it is the model's). */
function compactionNode(item: Extract<TaskItem, { kind: 'compaction' }>): HTMLElement {
  const line = h('summary', { class: 'compaction-line' }, icon('fold'), h('span', { text: item.text }));
  if (!item.summary) return h('div', { class: 'item compaction', 'data-testid': 'compaction', role: 'note' }, icon('fold'), h('span', { text: item.text }));
  const body = h('pre', { class: 'compaction-summary', 'data-testid': 'compaction-summary', text: item.summary });
  return h('details', { class: 'item compaction', 'data-testid': 'compaction' }, line, body);
}

/**
 * Brings `r` up to date with `item` (same kind), queueing markdown into `jobs`; returns true when
 * a message finished streaming.
 */
export function update(r: Rendered, item: TaskItem, jobs: MarkdownJob[]): boolean {
  if (r.kind === 'message' && item.kind === 'message') {
    if (item.text !== r.text) {
      r.text = item.text;
      jobs.push({ el: r.body, text: item.text });
    }
    if (item.streaming !== r.streaming) {
      const finished = r.streaming && !item.streaming;
      setStreaming(r, item.streaming);
      return finished;
    }
  } else if (r.kind === 'tool' && item.kind === 'tool') {
    r.card.update(item);
  } else if ((r.kind === 'goal' || r.kind === 'notice') && (item.kind === 'goal' || item.kind === 'notice') && item.text !== r.text) {
    r.text = item.text;
    setText(r.el.lastElementChild ?? r.el, item.text);
  }
  return false;
}
