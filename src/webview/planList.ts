/** The plan as a live checklist (updated by `update_plan`). */
import * as l10n from '@vscode/l10n';
import type { PlanStepView } from '../protocol/messages';
import { h, icon } from './dom';

const STEP_ICON: Record<PlanStepView['status'], string> = {
  pending: 'circle-large-outline',
  in_progress: 'loading codicon-modifier-spin',
  done: 'pass-filled',
};

function stepLabel(status: PlanStepView['status']): string {
  return status === 'pending' ? l10n.t('to do') : status === 'in_progress' ? l10n.t('in progress') : l10n.t('done');
}

export class PlanList {
  readonly el: HTMLDetailsElement;
  private readonly summary = h('summary', { class: 'plan-summary' });
  private readonly list = h('ol', { class: 'plan-steps' });
  private shown: PlanStepView[] | undefined;
  private live = false;

  constructor() {
    this.el = h('details', { class: 'plan', 'data-testid': 'plan', open: true }, this.summary, this.list);
  }

  /** `live`: the task is running, so the step in progress spins; otherwise it just stays marked. */
  update(plan: PlanStepView[], live: boolean): void {
    // The reducer replaces the array on every `plan` event, so identity is the change signal.
    if (plan === this.shown && live === this.live) return;
    this.shown = plan;
    this.live = live;
    this.el.hidden = plan.length === 0;
    const done = plan.filter((s) => s.status === 'done').length;
    this.summary.replaceChildren(icon('checklist'), h('span', { text: l10n.t('Plan · {0} / {1} done', done, plan.length) }));
    this.list.replaceChildren(
      ...plan.map((step) =>
        h(
          'li',
          {
            class: `plan-step step-${step.status}`,
            'data-testid': 'plan-step',
            'data-status': step.status,
            'aria-label': `${step.title} (${stepLabel(step.status)})`,
          },
          icon(step.status === 'in_progress' && !live ? 'circle-large-filled' : STEP_ICON[step.status]),
          h('span', { class: 'plan-step-title', text: step.title }),
        ),
      ),
    );
  }
}
