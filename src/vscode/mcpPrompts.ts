/**
 * The sidebar's `/` picker: the prompts of the MCP servers running (typing starts nothing: with
 * servers configured but not started, one item offers to start them), and a picked one filled in
 * — each argument asked in an input box, the prompt fetched (cancellable), its text handed to the
 * goal box for the user to read before sending.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { findPrompt, findPrompts, type PromptRef, promptCommand, promptText } from '../core/mcp/prompts';
import type { MentionItem } from '../protocol/messages';
import type { McpService } from './mcpService';

/** What the goal box can hold (the protocol's limit on a goal). */
const MAX_GOAL = 20_000;

/** The item that starts the servers (and then lists their prompts). */
const START = '"start"';

export async function promptItems(mcp: McpService, query: string): Promise<MentionItem[]> {
  const hub = mcp.running();
  if (!hub) return mcp.configured() ? [{ kind: 'prompt', value: START, label: l10n.t('Start the MCP servers to list their prompts') }] : [];
  return findPrompts(hub, query, 50)
    .map((p) => {
      const about = p.title ?? p.description;
      return { kind: 'prompt' as const, value: JSON.stringify([p.server, p.name]), label: `/${promptCommand(p)}${about ? ` — ${about}` : ''}`.slice(0, 300) };
    })
    .filter((item) => item.value.length <= 2000);
}

/** The prompt's text, why it cannot be used, or undefined when the user cancelled an argument. */
export async function fillPrompt(mcp: McpService, value: string): Promise<{ text: string } | { problem: string } | undefined> {
  if (value === START) {
    // The user asked: servers start (a workspace's own file is asked about first); `/` back in the box lists their prompts.
    const started = await mcp.started();
    return started ? { text: '/' } : { problem: l10n.t('No MCP server was started: see Stepwise: MCP Servers.') };
  }
  const [server, name] = parseRef(value);
  const hub = mcp.running();
  const prompt = hub && server && name ? findPrompt(hub, server, name) : undefined;
  if (!hub || !prompt) return { problem: l10n.t('That MCP prompt is not offered any more; type / to see the prompts there are.') };
  const args = await askArguments(prompt);
  if (!args) return undefined;
  const cancel = new AbortController();
  try {
    const text = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: l10n.t('Getting the prompt /{0}…', promptCommand(prompt)), cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(() => cancel.abort());
        return promptText(hub, prompt, args, cancel.signal, MAX_GOAL);
      },
    );
    return { text };
  } catch (error) {
    if (cancel.signal.aborted) return undefined;
    return { problem: l10n.t('/{0} cannot be used: {1}', promptCommand(prompt), (error as Error).message) };
  }
}

function parseRef(value: string): [string?, string?] {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string') ? [parsed[0], parsed[1]] : [];
  } catch {
    return [];
  }
}

/** One input box per argument; a required one cannot be left empty. Undefined when the user cancels. */
async function askArguments(prompt: PromptRef): Promise<Record<string, string> | undefined> {
  const args: Record<string, string> = {};
  for (const [i, arg] of prompt.arguments.entries()) {
    const answer = await vscode.window.showInputBox({
      title: l10n.t('/{0}: {1} ({2} of {3})', promptCommand(prompt), arg.name, i + 1, prompt.arguments.length),
      prompt: arg.description ?? arg.name,
      placeHolder: arg.required ? l10n.t('Required') : l10n.t('Optional: leave empty to skip'),
      ignoreFocusOut: true,
      validateInput: (text) => (arg.required && !text.trim() ? l10n.t('{0} is required.', arg.name) : undefined),
    });
    if (answer === undefined) return undefined;
    if (answer.trim()) args[arg.name] = answer;
  }
  return args;
}
