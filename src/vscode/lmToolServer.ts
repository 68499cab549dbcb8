/**
 * The tools VS Code itself lists (`vscode.lm.tools`: those other extensions register, including
 * the MCP servers the user set up for VS Code) as one more tool server named "vscode": offered as
 * `mcp__vscode__<tool>`, asked like any MCP call, invoked with `vscode.lm.invokeTool` and their
 * text parts returned. Only with `stepwise.mcp.vscodeTools`: some of them edit files or run
 * commands outside Stepwise's own checks (protected paths, command rules), so they are the user's
 * explicit choice, and every call is still asked unless allowed.
 */
import * as l10n from '@vscode/l10n';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as vscode from 'vscode';
import type { McpState, McpToolInfo, ToolServer } from '../core/mcp/connection';

export const VSCODE_TOOL_SERVER = 'vscode';

export class LmToolServer implements ToolServer {
  readonly config = { name: VSCODE_TOOL_SERVER, origin: l10n.t("VS Code's language-model tools") };
  state: McpState = 'stopped';
  error: string | undefined;
  tools: McpToolInfo[] = [];
  skipped: { tool: string; reason: string }[] = [];

  async start(): Promise<void> {
    this.tools = [];
    this.skipped = [];
    for (const tool of vscode.lm.tools) {
      const schema = (tool.inputSchema ?? { type: 'object', properties: {} }) as Record<string, unknown>;
      // l10n-ignore: a reason in the log and the tool list
      if (schema.type !== 'object') this.skipped.push({ tool: tool.name, reason: 'its input schema is not a JSON object schema' });
      else this.tools.push({ name: tool.name, description: tool.description, inputSchema: schema, readOnlyHint: false });
    }
    this.state = 'ready';
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
  }

  restart(): Promise<void> {
    return this.start();
  }

  async call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult> {
    const cancel = new vscode.CancellationTokenSource();
    const onAbort = () => cancel.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await vscode.lm.invokeTool(tool, { input: args, toolInvocationToken: undefined }, cancel.token);
      const notText = '[a part that is not text: not shown]'; // l10n-ignore: for the model
      const content = result.content.map((part) => ({ type: 'text' as const, text: part instanceof vscode.LanguageModelTextPart ? part.value : notText }));
      return { content };
    } finally {
      signal.removeEventListener('abort', onAbort);
      cancel.dispose();
    }
  }
}
