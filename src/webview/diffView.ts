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

export function commandView(command: string): HTMLElement {
  return h('pre', { class: 'command', 'aria-label': l10n.t('Command to run') }, h('code', { text: command }));
}
