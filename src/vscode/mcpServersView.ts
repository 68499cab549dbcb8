/**
 * Stepwise: MCP Servers — a quick pick of the servers with their state and tools; one picked can be
 * restarted, its tools listed, or its log (stderr included) shown in the output channel.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { ToolServer } from '../core/mcp/connection';
import type { McpService } from './mcpService';

export async function showMcpServers(service: McpService): Promise<void> {
  const hub = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: l10n.t('Starting MCP servers…') }, () =>
    service.started(),
  );
  if (!hub) {
    const open = l10n.t('Open Settings');
    const text = vscode.workspace.isTrusted
      ? l10n.t('No MCP servers are configured: add them in the stepwise.mcp.servers setting (the shape of VS Code\'s mcp.json "servers").')
      : l10n.t('MCP servers do not start in Restricted Mode: trust the workspace first.');
    const pick = await vscode.window.showInformationMessage(text, open);
    if (pick === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'stepwise.mcp');
    return;
  }
  const picked = await vscode.window.showQuickPick(
    hub.connections.map((c) => ({ ...serverItem(c), connection: c })),
    { title: l10n.t('MCP Servers'), placeHolder: l10n.t('Pick a server to restart it, list its tools or see its log') },
  );
  if (picked) await serverActions(service, picked.connection);
}

function serverItem(c: ToolServer): vscode.QuickPickItem {
  const icon = c.state === 'ready' ? '$(pass-filled)' : c.state === 'failed' ? '$(error)' : c.state === 'starting' ? '$(loading~spin)' : '$(circle-slash)';
  const state =
    c.state === 'ready'
      ? l10n.t('ready, {0} tools', c.tools.length)
      : c.state === 'failed'
        ? l10n.t('failed')
        : c.state === 'starting'
          ? l10n.t('starting')
          : l10n.t('stopped');
  return { label: `${icon} ${c.config.name}`, description: `${state} · ${c.config.origin}`, ...(c.error ? { detail: c.error } : {}) };
}

async function serverActions(service: McpService, c: ToolServer): Promise<void> {
  const restart = l10n.t('Restart');
  const tools = l10n.t('List Its Tools');
  const log = l10n.t('Show Log');
  const action = await vscode.window.showQuickPick([restart, tools, log], { title: c.config.name });
  if (action === restart) {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: l10n.t('Restarting {0}…', c.config.name) }, () =>
      service.restart(c.config.name),
    );
    if (c.state === 'failed')
      void vscode.window
        .showErrorMessage(l10n.t('MCP server {0} did not start: {1}', c.config.name, c.error ?? ''), log)
        .then((pick) => pick && service.channel.show());
  } else if (action === tools) {
    const items = c.tools.map((t) => ({
      label: t.name,
      description: t.readOnlyHint ? l10n.t('the server says it only reads') : '',
      detail: t.description,
    }));
    const skipped = c.skipped.map((s) => ({
      label: `$(warning) ${s.tool}` /* l10n-ignore: an icon and a tool's name */,
      description: l10n.t('not offered'),
      detail: s.reason,
    }));
    await vscode.window.showQuickPick([...items, ...skipped], { title: l10n.t('Tools of {0}', c.config.name) });
  } else if (action === log) service.channel.show();
}
