/**
 * `@` in the goal box: a list of what matches the word after the `@` (files and folders from the
 * workspace, @problems, @selection, @terminal, @changes, and a URL typed after the `@`), asked of the extension as it is
 * typed; a pick becomes a chip above the box and leaves the goal's text. `/` at the very start of
 * the box lists the MCP servers' prompts the same way; a picked prompt is asked of the extension,
 * which fills the box with its text. Arrow keys move, Enter or Tab picks, Escape closes. Answers
 * to an older query are ignored.
 */
import * as l10n from '@vscode/l10n';
import type { MentionItem, WebviewMessage } from '../protocol/messages';
import { button, h, icon } from './dom';

const ICONS: Record<MentionItem['kind'], string> = {
  file: 'file',
  folder: 'folder',
  problems: 'warning',
  selection: 'selection',
  terminal: 'terminal',
  changes: 'git-compare',
  url: 'globe',
  resource: 'plug',
  prompt: 'comment-discussion',
};

export class MentionPicker {
  readonly list = h('ul', { class: 'mention-list', role: 'listbox', 'data-testid': 'mention-list', 'aria-label': l10n.t('Mentions') });
  readonly chips = h('div', { class: 'mention-chips', 'data-testid': 'mention-chips' });
  private items: MentionItem[] = [];
  private active = 0;
  private requestId = 0;
  private open = false;
  private picked: MentionItem[] = [];

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly post: (m: WebviewMessage) => void,
    /** While a task runs a prompt cannot start one, and `/` is for /compact. */
    private readonly promptsOn: () => boolean,
  ) {
    this.list.hidden = true;
    this.chips.hidden = true;
    input.addEventListener('input', () => this.query());
    input.addEventListener('click', () => this.query());
  }

  /** The `@word` (or the box's leading `/word`) before the caret, or undefined when the caret is not right after one. */
  private token(): { start: number; query: string; prompt: boolean } | undefined {
    const before = this.input.value.slice(0, this.input.selectionStart ?? this.input.value.length);
    const prompt = /^\/([^\s/]*)$/.exec(before);
    if (prompt) return this.promptsOn() ? { start: 0, query: prompt[1]!, prompt: true } : undefined;
    const match = /(^|\s)@([^\s@]*)$/.exec(before);
    return match ? { start: before.length - match[2]!.length - 1, query: match[2]!, prompt: false } : undefined;
  }

  private query(): void {
    const token = this.token();
    if (!token) return this.close();
    this.open = true;
    this.post({ type: token.prompt ? 'promptQuery' : 'mentionQuery', query: token.query, requestId: ++this.requestId });
  }

  /** The extension's answer: shown only if it answers the latest query. */
  results(requestId: number, items: MentionItem[]): void {
    if (!this.open || requestId !== this.requestId) return;
    this.items = items;
    this.active = 0;
    this.render();
  }

  /** Keys while the list is open; true when the key was the picker's. */
  key(ev: KeyboardEvent): boolean {
    if (!this.open || this.list.hidden) return false;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      this.active = (this.active + (ev.key === 'ArrowDown' ? 1 : -1) + this.items.length) % this.items.length;
      this.render();
    } else if (ev.key === 'Enter' || ev.key === 'Tab') {
      const item = this.items[this.active];
      if (item) this.pick(item);
    } else if (ev.key === 'Escape') {
      this.close();
    } else return false;
    ev.preventDefault();
    ev.stopPropagation();
    return true;
  }

  /** Mentions added without typing (files dropped on the box, a goal given back after an error). */
  add(items: readonly MentionItem[]): void {
    for (const item of items) if (!this.picked.some((p) => p.kind === item.kind && p.value === item.value)) this.picked.push(item);
    this.renderChips();
  }

  /** The mentions to send with the goal; the chips are cleared. */
  take(): MentionItem[] {
    const taken = this.picked;
    this.picked = [];
    this.renderChips();
    this.close();
    return taken;
  }

  private pick(item: MentionItem): void {
    const token = this.token();
    if (token) {
      const value = this.input.value;
      const end = token.start + 1 + token.query.length;
      this.input.value = value.slice(0, token.start) + value.slice(end).replace(/^ /, '');
      this.input.setSelectionRange(token.start, token.start);
      this.input.dispatchEvent(new Event('input'));
    }
    if (item.kind === 'prompt') this.post({ type: 'usePrompt', value: item.value });
    else this.add([item]);
    this.close();
    this.input.focus();
  }

  private close(): void {
    this.open = false;
    this.items = [];
    this.list.hidden = true;
    this.input.removeAttribute('aria-activedescendant');
  }

  private render(): void {
    this.list.hidden = this.items.length === 0;
    this.list.replaceChildren(
      ...this.items.map((item, i) => {
        const row = h(
          'li',
          { class: 'mention-item', role: 'option', id: `mention-${i}`, 'aria-selected': i === this.active ? 'true' : 'false', 'data-testid': 'mention-item' },
          icon(ICONS[item.kind]),
          h('span', { class: 'mention-label', text: item.label }),
        );
        row.addEventListener('mousedown', (ev) => {
          ev.preventDefault(); // keep the focus (and the caret) in the goal box
          this.pick(item);
        });
        return row;
      }),
    );
    if (this.items.length) this.input.setAttribute('aria-activedescendant', `mention-${this.active}`);
  }

  private renderChips(): void {
    this.chips.hidden = this.picked.length === 0;
    this.chips.replaceChildren(
      ...this.picked.map((item) =>
        h(
          'span',
          { class: 'mention-chip', 'data-testid': 'mention-chip', title: item.value || item.label },
          icon(ICONS[item.kind]),
          h('span', { text: item.label }),
          button({ label: l10n.t('Remove {0}', item.label), icon: 'close', kind: 'icon', testid: 'mention-remove' }, () => {
            this.picked = this.picked.filter((p) => p !== item);
            this.renderChips();
          }),
        ),
      ),
    );
  }
}
