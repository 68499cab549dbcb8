/**
 * The plan the model proposes, shown for approval before any edit or command runs: the steps are
 * editable (add, remove, rewrite), then either approved as edited or sent back with feedback.
 */
import * as l10n from '@vscode/l10n';
import type { PlanApprovalView, PlanStepView, WebviewMessage } from '../protocol/messages';
import { button, h, icon } from './dom';

const MAX_STEPS = 50;
const MAX_TITLE = 500;

type Control = HTMLButtonElement | HTMLInputElement | HTMLTextAreaElement;
type DecidePlan = Extract<WebviewMessage, { type: 'decidePlan' }>;

export function planCard(plan: PlanApprovalView, post: (m: WebviewMessage) => void): HTMLElement {
  const controls: Control[] = [];
  let decided = false;
  const editor = stepEditor(controls, () => decided);
  const feedback = h('textarea', {
    class: 'feedback',
    rows: 2,
    maxlength: 4000,
    'data-testid': 'plan-feedback',
    placeholder: l10n.t('What should the plan do differently?'),
    'aria-label': l10n.t('Feedback on the plan'),
  });
  const error = h('div', { class: 'card-error', role: 'alert' });

  const finish = (msg: DecidePlan) => {
    if (decided) return;
    decided = true;
    for (const c of controls) c.disabled = true;
    card.dataset.decided = msg.decision;
    post(msg);
  };

  const approve = button({ label: l10n.t('Approve plan'), text: l10n.t('Approve plan'), icon: 'check', kind: 'primary', testid: 'approve-plan' }, () => {
    const steps = editor.steps();
    if (steps.length === 0) {
      error.textContent = l10n.t('The plan needs at least one step, or send feedback instead.');
      return;
    }
    finish({ type: 'decidePlan', approvalId: plan.approvalId, decision: 'approve', steps });
  });
  const sendFeedback = button(
    { label: l10n.t('Send feedback for a new plan'), text: l10n.t('Send feedback'), icon: 'comment', testid: 'send-plan-feedback' },
    () => {
      const text = feedback.value.trim();
      if (!text) {
        error.textContent = l10n.t('Write what should change first.');
        feedback.focus();
        return;
      }
      finish({ type: 'decidePlan', approvalId: plan.approvalId, decision: 'feedback', feedback: text.slice(0, 4000) });
    },
  );
  controls.push(editor.addStep, approve, sendFeedback, feedback);

  const card = h(
    'section',
    { class: 'card plan-card', 'data-testid': 'plan-card', 'aria-label': l10n.t('Review the proposed plan'), 'data-approval-id': plan.approvalId },
    h('div', { class: 'card-title' }, icon('checklist'), h('h3', { text: l10n.t('Review the plan') })),
    h('p', { class: 'card-hint', text: l10n.t('Nothing is edited or run until you approve. Edit, add or remove steps as you like.') }),
    editor.list,
    h('div', { class: 'actions' }, approve, editor.addStep),
    feedback,
    h('div', { class: 'actions' }, sendFeedback),
    error,
  );
  for (const step of plan.steps) editor.addRow(step);
  if (plan.steps.length === 0) editor.addRow(undefined);
  return card;
}

interface StepEditor {
  list: HTMLOListElement;
  addStep: HTMLButtonElement;
  addRow: (step: PlanStepView | undefined, focus?: boolean) => void;
  /** The steps as edited: trimmed, blank ones dropped, at most MAX_STEPS. */
  steps: () => PlanStepView[];
}

/** The editable step list. Its rows' inputs and buttons join `controls`, so a decision disables them. */
function stepEditor(controls: Control[], isDecided: () => boolean): StepEditor {
  const list = h('ol', { class: 'plan-edit' });

  // Labels follow the position, so "Remove step 3" stays true after a row above is removed.
  const renumber = () => {
    const rows = [...list.children] as HTMLElement[];
    rows.forEach((row, i) => {
      row.querySelector('textarea')?.setAttribute('aria-label', l10n.t('Step {0}', i + 1));
      row.querySelector('button')?.setAttribute('aria-label', l10n.t('Remove step {0}', i + 1));
    });
    addStep.disabled = isDecided() || rows.length >= MAX_STEPS;
  };

  const addRow = (step: PlanStepView | undefined, focus = false) => {
    const input = stepInput(step);
    const remove = button({ label: l10n.t('Remove step'), icon: 'trash', kind: 'icon' }, () => {
      row.remove();
      controls.splice(controls.indexOf(input), 1);
      controls.splice(controls.indexOf(remove), 1);
      renumber();
    });
    const row = h('li', { class: 'plan-edit-row' }, input, remove);
    controls.push(input, remove);
    list.append(row);
    renumber();
    if (focus) input.focus();
  };

  const addStep = button({ label: l10n.t('Add a step'), text: l10n.t('Add step'), icon: 'add' }, () => addRow(undefined, true));
  return { list, addStep, addRow, steps: () => editedSteps(list) };
}

/**
 * A step's title box: as tall as its text (a long step is read whole, never cut at the edge), one
 * line of text all the same — Enter adds no line break. Its status rides along in data-status so
 * an approved step keeps it.
 */
function stepInput(step: PlanStepView | undefined): HTMLTextAreaElement {
  const box = h('textarea', {
    class: 'plan-step-input',
    rows: 1,
    maxlength: MAX_TITLE,
    'data-testid': 'plan-step-input',
    'data-status': step?.status ?? 'pending',
  });
  box.value = step?.title ?? '';
  box.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') ev.preventDefault();
  });
  box.addEventListener('input', () => {
    if (/[\r\n]/.test(box.value)) box.value = box.value.replace(/\s*[\r\n]+\s*/g, ' ');
  });
  return box;
}

function editedSteps(list: HTMLOListElement): PlanStepView[] {
  return ([...list.querySelectorAll('textarea.plan-step-input')] as HTMLTextAreaElement[])
    .map((input) => ({ title: input.value.trim().slice(0, MAX_TITLE), status: (input.dataset.status as PlanStepView['status'] | undefined) ?? 'pending' }))
    .filter((s) => s.title.length > 0)
    .slice(0, MAX_STEPS);
}
