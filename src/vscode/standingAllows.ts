/**
 * "Always allow" for a named target outlives the task, like an "Always allow" command rule: an MCP
 * tool goes to `stepwise.mcp.allow`, a host to `stepwise.web.allowedHosts` (the user's settings,
 * application scope). A tool of a workspace-defined server is not saved — the allow list never
 * covers those — so its "always" lasts for the task only. "Always allow edits/commands/reads" stay
 * with the task too: a whole kind of step is too broad to keep.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { ApprovalRequest } from '../core/agent/events';
import { escapeControls } from '../core/text/controlChars';

/** What an "always" for this request saves, if anything: the setting and the entry. */
export function standingAllow(request: Pick<ApprovalRequest, 'host' | 'mcpTool'>): { setting: string; entry: string } | undefined {
  if (request.mcpTool) return request.mcpTool.fromWorkspace ? undefined : { setting: 'mcp.allow', entry: `${request.mcpTool.server}/${request.mcpTool.tool}` };
  // A saved entry with a leading dot means "every subdomain": only a plain host name is saved.
  if (request.host && !request.host.startsWith('.') && request.host.length > 0) return { setting: 'web.allowedHosts', entry: request.host };
  return undefined;
}

/** The modal's "always" button for a step that is not an edit. */
export function alwaysButton(request: ApprovalRequest): string {
  if (request.host) return l10n.t('Always Allow {0}', escapeControls(request.host));
  if (request.mcpTool) return request.mcpTool.fromWorkspace ? l10n.t('Allow This Tool for This Task') : l10n.t('Always Allow This Tool');
  if (request.risk === 'execute') return l10n.t('Always Allow Commands');
  return request.risk === 'read' ? l10n.t('Always Allow Reads') : l10n.t('Always Allow');
}

/** Adds the entry to the user's setting and says so (with a way to the setting); a failure to save only loses that. */
export async function saveStandingAllow(request: Pick<ApprovalRequest, 'host' | 'mcpTool'>): Promise<void> {
  const target = standingAllow(request);
  if (!target) return;
  const config = vscode.workspace.getConfiguration('stepwise');
  const current = config.inspect<unknown>(target.setting)?.globalValue;
  const list = Array.isArray(current) ? current.filter((e): e is string => typeof e === 'string') : [];
  if (list.includes(target.entry)) return;
  await config.update(target.setting, [...list, target.entry], vscode.ConfigurationTarget.Global);
  const open = l10n.t('Open Settings');
  void vscode.window
    .showInformationMessage(l10n.t('Stepwise: {0} is allowed from now on (stepwise.{1} in your user settings).', target.entry, target.setting), open)
    .then((pick) => pick && vscode.commands.executeCommand('workbench.action.openSettings', `stepwise.${target.setting}`));
}
