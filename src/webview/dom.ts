/**
 * A tiny element builder. Everything goes through properties and textContent, never through HTML
 * strings (the only HTML the page ever parses is sanitised markdown, see markdown.ts), and never
 * through `style="…"` attributes, which the page's CSP blocks.
 */

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') el.className = String(value);
    else if (name === 'text') el.textContent = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

/** A codicon glyph; decorative, so hidden from screen readers (the owner carries the label). */
export function icon(name: string, extra = ''): HTMLElement {
  return h('span', { class: `codicon codicon-${name}${extra ? ` ${extra}` : ''}`, 'aria-hidden': 'true' });
}

/** A button with an icon and/or a visible label; icon-only buttons still get an aria-label. */
export function button(
  opts: { label: string; icon?: string; text?: string; testid?: string; kind?: 'primary' | 'secondary' | 'icon'; title?: string },
  onClick: (ev: MouseEvent) => void,
): HTMLButtonElement {
  const btn = h('button', {
    type: 'button',
    class: `btn btn-${opts.kind ?? 'secondary'}`,
    'aria-label': opts.label,
    title: opts.title ?? opts.label,
    'data-testid': opts.testid,
  });
  if (opts.icon) btn.append(icon(opts.icon));
  if (opts.text) btn.append(h('span', { class: 'btn-text', text: opts.text }));
  btn.addEventListener('click', onClick);
  return btn;
}

export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export function toggle(el: HTMLElement, shown: boolean): void {
  el.hidden = !shown;
}
