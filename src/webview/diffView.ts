/** A unified diff as lines coloured by kind (added, removed, hunk header, file header). */
import * as l10n from '@vscode/l10n';
import { h } from './dom';
import { diffLineClasses } from './format';

export function diffView(diff: string): HTMLElement {
  const code = h('code');
  const lines = diff.replace(/\n$/, '').split('\n');
  const classes = diffLineClasses(lines);
  lines.forEach((line, i) => code.append(h('span', { class: `diff-line ${classes[i] ?? 'diff-ctx'}`, text: `${line}\n` })));
  return h('pre', { class: 'diff', 'aria-label': l10n.t('Proposed change (unified diff)') }, code);
}

/** A command longer than this says how long it is: it may scroll inside the card. */
const LONG_COMMAND = 200;

/** What will run, whole and wrapped; a long one scrolls inside its box, with its length said above it. */
export function commandView(command: string): HTMLElement {
  const pre = h('pre', { class: 'command', tabindex: 0, 'aria-label': l10n.t('Command to run') }, h('code', { text: command }));
  if (command.length <= LONG_COMMAND) return pre;
  const lines = command.split('\n').length;
  const size = lines > 1 ? l10n.t('{0} characters on {1} lines', command.length, lines) : l10n.t('{0} characters', command.length);
  return h('div', { class: 'command-long' }, h('p', { class: 'command-length', 'data-testid': 'command-length', text: size }), pre);
}
