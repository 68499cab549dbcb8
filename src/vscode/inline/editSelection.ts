/**
 * Stepwise: Edit Selection… — from the editor's context menu, the palette (Ctrl+Alt+E), the
 * lightbulb, or a quick fix on a problem (which pre-fills the request with the problem's message).
 * Asks for the request, then runs the agent on the selected code with the selection, the file and
 * the problems in range as context, reviewed in place (see review.ts).
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import * as z from 'zod';
import { inlineGoal, inlineTitle, type InlineProblem } from '../../core/agent/inlineGoal';
import type { GoalResult, GoalRunner } from '../goalRunner';
import type { WorkspaceRoots } from '../workspaceRoots';
import { inlineApproval } from './approver';
import { InlineProgress } from './progress';
import type { InlineReviews } from './review';
import { resolveTarget, type InlineTarget } from './target';

/** Arguments code actions and other extensions may pass; anything else is refused. */
const ArgsSchema = z
  .object({
    uri: z.string().max(4096).optional(),
    /** [startLine, startCharacter, endLine, endCharacter], 0-based. */
    range: z.tuple([z.number().int().min(0), z.number().int().min(0), z.number().int().min(0), z.number().int().min(0)]).optional(),
    // Long diagnostics (TypeScript's can run to pages) are cut, not refused.
    request: z
      .string()
      .max(100_000)
      .transform((s) => (s.length > 4000 ? `${s.slice(0, 3999)}…` : s))
      .optional(),
    /** false: run the request as given, without the input box. */
    confirm: z.boolean().optional(),
  })
  .strict();

/** A refusal says why nothing ran (also shown to the user); otherwise the run's result. */
export type EditSelectionResult = GoalResult | { status: 'refused'; summary: string };

export interface EditSelectionDeps {
  runner: GoalRunner;
  reviews: InlineReviews;
  roots: WorkspaceRoots;
}

export async function editSelection(raw: unknown, deps: EditSelectionDeps): Promise<EditSelectionResult | undefined> {
  // The editor context menu passes the document's URI; the palette passes nothing.
  const parsed = raw === undefined || raw instanceof vscode.Uri ? { success: true as const, data: {} } : ArgsSchema.safeParse(raw);
  if (!parsed.success) return refuse(l10n.t('Stepwise: Edit Selection was called with arguments it does not understand; nothing was changed.'));
  const args: z.infer<typeof ArgsSchema> = parsed.data;
  if (deps.runner.isRunning) return refuse(l10n.t('Stepwise: a task is already running. Stop it (Stepwise: Stop) or wait for it, then ask again.'));
  if (!vscode.workspace.isTrusted)
    return refuse(l10n.t('Stepwise: this workspace is in Restricted Mode, where Stepwise only reads. Trust the workspace to let it change code.'));

  const editor = await editorFor(args.uri);
  if (!editor) return refuse(l10n.t('Stepwise: open a file from your workspace and select the code to change, then run Edit Selection again.'));
  const selection = args.range ? editor.document.validateRange(new vscode.Range(...args.range)) : editor.selection;
  const resolved = await resolveTarget(editor.document, selection, deps.roots);
  if (!resolved.ok) return refuse(l10n.t('Stepwise: {0} Nothing was changed.', resolved.message));
  const target = resolved.target;

  let request = args.request?.trim() ?? '';
  if (args.confirm !== false || !request) {
    const asked = await askRequest(target, request);
    if (asked === undefined) return undefined;
    request = asked;
  }
  if (!request) return undefined;

  const task = {
    request,
    path: target.display,
    startLine: target.range.start.line + 1,
    endLine: target.range.end.line + 1,
    what: target.what,
    code: target.document.getText(target.range),
    ...(!selection.isEmpty && !selection.isEqual(target.range) && !isWholeLines(target.document, selection)
      ? { selectedText: target.document.getText(selection) }
      : {}),
    languageId: target.document.languageId,
    problems: problemsIn(target),
  };
  const progress = new InlineProgress(target.document, target.range);
  try {
    return await deps.runner.start(inlineGoal(task), {
      title: inlineTitle(task),
      planFirst: false,
      progress: vscode.ProgressLocation.Window,
      approval: inlineApproval(target, deps.reviews, deps.roots, () => progress.update(l10n.t('review the change: Accept or Reject it above each change'))),
      onStatus: (label) => progress.update(label),
    });
  } finally {
    progress.dispose();
  }
}

async function editorFor(uri: string | undefined): Promise<vscode.TextEditor | undefined> {
  if (uri === undefined) return vscode.window.activeTextEditor;
  let parsed: vscode.Uri;
  try {
    parsed = vscode.Uri.parse(uri, true);
  } catch {
    return undefined;
  }
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === parsed.toString());
  if (visible) return visible;
  if (parsed.scheme !== 'file') return undefined;
  const document = await vscode.workspace.openTextDocument(parsed).then(
    (d) => d,
    () => undefined,
  );
  return document && vscode.window.showTextDocument(document, { preserveFocus: true });
}

/** "Stepwise: Edit src/a.ts, lines 3-9", or what is edited when nothing was selected. */
function askTitle(target: InlineTarget): string {
  const { start, end } = target.range;
  const lines = start.line === end.line ? l10n.t('line {0}', start.line + 1) : l10n.t('lines {0}-{1}', start.line + 1, end.line + 1);
  // target.what is English ("the selection", "line 12", "function parse"): it says which case this is.
  if (target.what === 'the selection') return l10n.t('Stepwise: Edit {0}, {1}', target.display, lines);
  if (target.what.startsWith('line'))
    return l10n.t('Stepwise: Edit line {0} — no selection, so Stepwise uses the current line ({1}, {2})', target.what.slice(5), target.display, lines);
  return l10n.t(
    'Stepwise: Edit function {0} — no selection, so Stepwise uses the enclosing function ({1}, {2})',
    target.what.replace(/^function /, ''),
    target.display,
    lines,
  );
}

function askRequest(target: InlineTarget, prefill: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = askTitle(target);
    box.placeholder = l10n.t('What should change? e.g. "handle empty input", "add JSDoc", "fix this error"');
    box.prompt = l10n.t('Enter to start; the change is shown in the editor for you to accept or reject. Escape to cancel.');
    box.value = prefill;
    box.ignoreFocusOut = true;
    let done = false;
    const finish = (value: string | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
      box.dispose();
    };
    box.onDidAccept(() => {
      if (!box.value.trim()) {
        box.validationMessage = l10n.t('Describe the change, or press Escape to cancel.');
        return;
      }
      finish(box.value.trim());
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}

const SEVERITY: Record<vscode.DiagnosticSeverity, InlineProblem['severity']> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

function problemsIn(target: InlineTarget): InlineProblem[] {
  return vscode.languages
    .getDiagnostics(target.document.uri)
    .filter((d) => d.range.intersection(target.range) !== undefined)
    .map((d) => ({
      line: d.range.start.line + 1,
      severity: SEVERITY[d.severity],
      message: d.message,
      ...(d.source ? { source: d.source } : {}),
    }));
}

function isWholeLines(document: vscode.TextDocument, range: vscode.Range): boolean {
  return range.start.character === 0 && (range.end.character === 0 || range.end.character === document.lineAt(range.end.line).text.length);
}

function refuse(message: string): EditSelectionResult {
  void vscode.window.showWarningMessage(message);
  return { status: 'refused', summary: message };
}
