/**
 * A command's parts on its approval card: which run by themselves (an allow rule covers them),
 * which need the user and why, which a deny rule stops; and the "Always allow" offer, exact or with
 * any arguments. The rule text shown comes from the extension, which saves only what it offered.
 */
import * as l10n from '@vscode/l10n';
import type { CommandView } from '../protocol/messages';
import { h, icon } from './dom';

type PartStatus = CommandView['parts'][number]['status'];
const STATUS_ICON: Record<PartStatus, string> = { allowed: 'pass', ask: 'question', denied: 'error' };

function statusLabel(status: PartStatus): string {
  return status === 'allowed' ? l10n.t('Allowed') : status === 'ask' ? l10n.t('Needs approval') : l10n.t('Denied');
}

export function commandParts(view: CommandView): HTMLElement {
  const list = h('ul', { class: 'command-parts', 'data-testid': 'command-parts', 'aria-label': l10n.t('Parts of the command') });
  for (const part of view.parts) {
    const why =
      part.status === 'allowed'
        ? part.rule
          ? l10n.t('allowed by {0}', part.rule)
          : l10n.t('allowed')
        : part.status === 'denied'
          ? l10n.t('denied by your rule {0}', part.rule ?? '')
          : part.reasons.join('; ');
    list.append(
      h(
        'li',
        { class: `command-part part-${part.status}`, 'data-status': part.status },
        icon(STATUS_ICON[part.status]),
        h('span', { class: 'visually-hidden', text: `${statusLabel(part.status)}: ` }),
        h('code', { class: 'part-text', text: part.text }),
        h('span', { class: 'part-why' }, ...withCode(why)),
      ),
    );
  }
  return h(
    'div',
    { class: 'command-check' },
    view.problems.length > 0 &&
      h('p', { class: 'command-problems', 'data-testid': 'command-problems' }, ...withCode(l10n.t('Asked because {0}.', view.problems.join('; ')))),
    list,
  );
}

/** Text with `code` spans as <code> (as text nodes: nothing in it is markup). */
function withCode(text: string): (string | HTMLElement)[] {
  return text.split('`').map((piece, i) => (i % 2 === 1 ? h('code', { text: piece }) : piece));
}

/** "Always allow `npm test`" with a "with any arguments" switch; `decide` gets whether it is on. */
export function allowRuleControl(
  rules: NonNullable<CommandView['rules']>,
  add: (b: HTMLButtonElement) => HTMLButtonElement,
  decide: (anyArguments: boolean) => void,
): HTMLElement {
  const label = (any: boolean) => l10n.t('Always allow {0}', (any ? rules.anyArguments : rules.exact).join(', '));
  const anyArgs = h('input', { type: 'checkbox', 'data-testid': 'rule-any-arguments', 'aria-label': l10n.t('With any arguments') });
  const btn = add(
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn-secondary allow-rule',
        'data-testid': 'allow-rule',
        title: l10n.t('Run this now and save the rule in your user settings (stepwise.commands.allow)'),
      },
      icon('shield'),
      h('span', { class: 'rule-label', text: label(false) }),
    ),
  );
  anyArgs.addEventListener('change', () => {
    btn.querySelector('.rule-label')!.textContent = label(anyArgs.checked);
  });
  btn.addEventListener('click', () => {
    anyArgs.disabled = true;
    decide(anyArgs.checked);
  });
  return h('div', { class: 'actions allow-rule-row' }, btn, h('label', { class: 'any-arguments' }, anyArgs, h('span', { text: l10n.t('with any arguments') })));
}
