/**
 * Command rules in VS Code: read from user settings only (application scope — a repository cannot
 * allow its own commands), checked when changed and when a task starts, and extended by the
 * approval's "Always allow" button, which saves the rule in user settings.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { RuleError } from '../core/commands/rules';
import { CommandRules } from '../core/commands/ruleSet';
import type { StepwiseSettings } from './settings';
import type { ApprovalAnswer, ApprovalRequest } from '../core/agent/events';
import type { CommandCheck } from '../core/commands/types';
import { escapeControls } from '../core/text/controlChars';
import type { CommandView, WebviewMessage } from '../protocol/messages';
import { boundCommand } from '../protocol/viewBounds';

/** The task's rules; throws RuleError naming the setting when one is invalid. */
export function taskCommandRules(settings: StepwiseSettings): CommandRules {
  return new CommandRules(settings.commands, l10n.t('Settings › stepwise.commands'));
}

/** Adds rules to the user's `stepwise.commands.allow` (keeping what is there). */
export async function saveAllowRules(rules: readonly string[]): Promise<void> {
  const config = vscode.workspace.getConfiguration('stepwise');
  const current = config.inspect<unknown>('commands.allow')?.globalValue;
  const list = Array.isArray(current) ? current.filter((r): r is string => typeof r === 'string') : [];
  const added = rules.filter((r) => !list.includes(r));
  if (added.length) await config.update('commands.allow', [...list, ...added], vscode.ConfigurationTarget.Global);
}

/** Says at once when the user saves an invalid rule (the task would refuse to start with it). */
export function watchCommandRules(read: () => StepwiseSettings): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (!event.affectsConfiguration('stepwise.commands')) return;
    try {
      taskCommandRules(read());
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      void vscode.window
        .showErrorMessage(`Stepwise: ${error.message}`, l10n.t('Open Settings'))
        .then((pick) => pick && vscode.commands.executeCommand('workbench.action.openSettings', 'stepwise.commands'));
    }
  });
}

/** A command check as the sidebar card shows it: control characters made visible, sizes bounded. */
export function commandView(check: CommandCheck): CommandView {
  return boundCommand({
    parts: check.parts.map((p) => ({
      text: escapeControls(p.text),
      status: p.status,
      reasons: p.reasons.map(escapeControls),
      ...(p.rule !== undefined ? { rule: escapeControls(p.rule) } : {}),
    })),
    problems: [...check.problems, ...check.alwaysAsk.filter((a) => !check.parts.some((p) => p.reasons.includes(a)))].map(escapeControls),
    ...(check.suggestions
      ? { rules: { exact: check.suggestions.exact.map(escapeControls), anyArguments: check.suggestions.anyArguments.map(escapeControls) } }
      : {}),
  });
}

/** The rules the pending step offered (the page only says which form): never text from the page. */
export function offeredRules(request: ApprovalRequest | undefined, anyArguments: boolean): string[] {
  const offered = request?.command?.suggestions;
  return (anyArguments ? offered?.anyArguments : offered?.exact) ?? [];
}

/** The answer a card's button means; "allow rule" allows the rules offered for the step now pending. */
export function cardAnswer(message: Extract<WebviewMessage, { type: 'decide' }>, current: ApprovalRequest | undefined): ApprovalAnswer {
  switch (message.decision) {
    case 'approve':
      return { decision: 'approve' };
    case 'approve_next':
      return { decision: 'approve_next', count: message.count ?? 3 };
    case 'always':
      return { decision: 'always' };
    case 'allow_rule':
      return { decision: 'allow_rule', rules: offeredRules(current, message.anyArguments === true) };
    case 'reject':
      return { decision: 'deny', ...(message.feedback?.trim() ? { feedback: message.feedback.trim() } : {}) };
  }
}
