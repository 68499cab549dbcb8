/**
 * The card for a step waiting for approval: what it is, the diff or the exact command, and the
 * decisions. The first click posts and disables the whole card; the extension ignores any later or
 * unknown decision anyway, and runs the arguments it holds, never anything sent from here.
 */
import * as l10n from '@vscode/l10n';
import type { ApprovalView, WebviewMessage } from '../protocol/messages';
import { button, h, icon } from './dom';
import { commandView, diffView } from './diffView';
import { allowRuleControl, commandParts } from './commandParts';

function alwaysLabel({ risk, host, mcpTool }: ApprovalView): string {
  if (host) return l10n.t('Always allow {0}', host);
  if (mcpTool) return mcpTool.fromWorkspace ? l10n.t('Allow this tool for this task') : l10n.t('Always allow this tool');
  return risk === 'read' ? l10n.t('Always allow reads') : risk === 'edit' ? l10n.t('Always allow edits') : l10n.t('Always allow commands');
}

/** What the "always" button keeps: a tool or host is saved to the user's settings; a kind of step, the task. */
function alwaysMeaning(approval: ApprovalView): string {
  if (approval.host) return l10n.t('{0}: saved to stepwise.web.allowedHosts in your user settings', alwaysLabel(approval));
  if (approval.mcpTool && !approval.mcpTool.fromWorkspace) return l10n.t('{0}: saved to stepwise.mcp.allow in your user settings', alwaysLabel(approval));
  return approval.mcpTool ? alwaysLabel(approval) : l10n.t('{0} for this task', alwaysLabel(approval));
}

type Decide = Extract<WebviewMessage, { type: 'decide' }>;
type DecideFn = (decision: Decide['decision'], extra?: Partial<Decide>) => void;
type AddButton = (b: HTMLButtonElement) => HTMLButtonElement;

export function approvalCard(approval: ApprovalView, post: (m: WebviewMessage) => void): HTMLElement {
  const buttons: HTMLButtonElement[] = [];
  const feedback = feedbackBox();
  const count = countBox();

  const decide: DecideFn = (decision, extra = {}) => {
    if (card.dataset.decided) return;
    card.dataset.decided = decision;
    for (const b of buttons) b.disabled = true;
    feedback.disabled = true;
    count.disabled = true;
    post({ type: 'decide', approvalId: approval.approvalId, decision, ...extra });
  };
  const add: AddButton = (b) => (buttons.push(b), b);
  const { approve, reject, next, always, viewDiff } = decisionButtons(approval, add, decide, post, feedback, count);

  const protectedPaths = approval.protectedPaths ?? [];
  const check = approval.command;
  const ruleRow =
    check?.rules && protectedPaths.length === 0 ? allowRuleControl(check.rules, add, (anyArguments) => decide('allow_rule', { anyArguments })) : undefined;
  const detail = approval.detail === undefined ? undefined : approval.risk === 'edit' ? diffView(approval.detail) : commandView(approval.detail);

  const card = h(
    'section',
    {
      class: `card approval-card risk-${approval.risk}`,
      'data-testid': 'approval-card',
      'aria-label': l10n.t('Approval needed: {0}', approval.title),
      'data-approval-id': approval.approvalId,
    },
    cardTitle(approval),
    protectedPaths.length > 0 && protectedWarning(protectedPaths),
    approval.mcpTool && mcpNote(approval.mcpTool),
    detail,
    check && commandParts(check),
    h('div', { class: 'actions' }, approve, reject, viewDiff),
    ruleRow,
    feedback,
    h('div', { class: 'actions actions-secondary' }, h('span', { class: 'approve-next' }, next, count), always),
  );
  // Enter in the number box approves the next N; Ctrl/Cmd+Enter in the feedback box rejects.
  count.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') next.click();
  });
  feedback.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) reject.click();
  });
  return card;
}

/** Which server's tool this is; its read-only claim is the server's word, said so. */
function mcpNote(tool: NonNullable<ApprovalView['mcpTool']>): HTMLElement {
  const text = l10n.t('Tool {0} of the MCP server {1}, an external program; what it returns reaches the model as data.', tool.tool, tool.server);
  const claim = tool.readOnlyHint ? ` ${l10n.t('The server says this tool only reads; Stepwise cannot check that.')}` : '';
  return h('p', { class: 'mcp-note', 'data-testid': 'mcp-note', text: text + claim });
}

function feedbackBox(): HTMLTextAreaElement {
  return h('textarea', {
    class: 'feedback',
    rows: 2,
    maxlength: 4000,
    'data-testid': 'reject-feedback',
    placeholder: l10n.t('Optional: tell the model why, if you reject'),
    'aria-label': l10n.t('Feedback for the model when rejecting'),
  });
}

function countBox(): HTMLInputElement {
  return h('input', {
    type: 'number',
    class: 'count',
    min: 1,
    max: 100,
    value: 3,
    'data-testid': 'approve-next-count',
    'aria-label': l10n.t('Number of next steps to approve'),
  });
}

/** The decision buttons, each registered with `add` so the first decision disables them all. */
function decisionButtons(
  approval: ApprovalView,
  add: AddButton,
  decide: DecideFn,
  post: (m: WebviewMessage) => void,
  feedback: HTMLTextAreaElement,
  count: HTMLInputElement,
) {
  const approve = add(
    button({ label: l10n.t('Approve'), text: l10n.t('Approve'), icon: 'check', kind: 'primary', testid: 'approve' }, () => decide('approve')),
  );
  const reject = add(
    button({ label: l10n.t('Reject'), text: l10n.t('Reject'), icon: 'close', testid: 'reject' }, () => {
      const text = feedback.value.trim().slice(0, 4000);
      decide('reject', text ? { feedback: text } : {});
    }),
  );
  const next = add(
    button({ label: l10n.t('Approve this and the next N steps'), text: l10n.t('Approve next'), icon: 'check-all', testid: 'approve-next' }, () => {
      const n = Math.min(100, Math.max(1, Math.round(Number(count.value)) || 3));
      decide('approve_next', { count: n });
    }),
  );
  const always = add(button({ label: alwaysMeaning(approval), text: alwaysLabel(approval), icon: 'shield', testid: 'always-allow' }, () => decide('always')));
  // Viewing the diff is not a decision: it leaves the card open (a decision still disables it).
  const viewDiff = approval.hasDiff
    ? add(
        button({ label: l10n.t('View diff in the editor'), text: l10n.t('View diff'), icon: 'diff', testid: 'view-diff' }, () =>
          post({ type: 'viewDiff', approvalId: approval.approvalId }),
        ),
      )
    : undefined;
  return { approve, reject, next, always, viewDiff };
}

function cardTitle(approval: ApprovalView): HTMLElement {
  return h(
    'div',
    { class: 'card-title' },
    icon(approval.risk === 'execute' ? 'terminal' : approval.risk === 'edit' ? 'edit' : 'eye'),
    h('h3', { text: approval.title }),
  );
}

/** A protected path is asked about every time, so the card offers no allow rule with it. */
function protectedWarning(paths: string[]): HTMLElement {
  return h(
    'div',
    { class: 'protected-warning', role: 'alert' },
    icon('warning'),
    h('span', {
      text:
        paths.length > 1
          ? l10n.t('Protected paths: {0}. Always asked, never auto-approved.', paths.join(', '))
          : l10n.t('Protected path: {0}. Always asked, never auto-approved.', paths.join(', ')),
    }),
  );
}
