/**
 * Converts the core's chat request into VS Code language-model messages and tools (API 1.95),
 * and a language-model failure into a ModelError that says what to do.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { ChatMessage, ImagePart } from '../core/model/client';
import { ModelError, noVisionError } from '../core/model/errors';
import type { ToolSpec } from '../core/tools/defineTool';

/**
 * Images as data parts (VS Code 1.104 and later; the 1.95 typings know nothing of them). An older
 * VS Code cannot send images at all: that is the same refusal as a model without vision.
 */
function imageParts(images: readonly ImagePart[]): vscode.LanguageModelTextPart[] {
  const dataPart = (vscode as unknown as { LanguageModelDataPart?: { image(data: Uint8Array, mime: string): unknown } }).LanguageModelDataPart;
  if (!dataPart) throw noVisionError(l10n.t("VS Code's language models"), l10n.t("this version of VS Code's language-model API takes no images"));
  return images.map((i) => dataPart.image(Buffer.from(i.data, 'base64'), i.mimeType) as vscode.LanguageModelTextPart);
}

/** The 1.95 API has no system role: the system prompt goes first, as a marked user message. */
// l10n-ignore: for the model
export const SYSTEM_MARKER = '[System instructions for this conversation — follow them in every answer]';

export function toLmMessages(messages: ChatMessage[]): vscode.LanguageModelChatMessage[] {
  const out: vscode.LanguageModelChatMessage[] = [];
  let results: vscode.LanguageModelToolResultPart[] | undefined;
  for (const message of messages) {
    if (message.role === 'tool') {
      // The results of one assistant turn travel together in one user message, as tool-calling
      // models (Anthropic's in particular) expect them right after the calls.
      const part = new vscode.LanguageModelToolResultPart(message.toolCallId, [new vscode.LanguageModelTextPart(message.content)]);
      if (results) results.push(part);
      else out.push(vscode.LanguageModelChatMessage.User((results = [part])));
      continue;
    }
    results = undefined;
    switch (message.role) {
      case 'system':
        out.push(vscode.LanguageModelChatMessage.User(`${SYSTEM_MARKER}\n\n${message.content}`));
        break;
      case 'user':
        out.push(
          vscode.LanguageModelChatMessage.User(
            message.images?.length ? [new vscode.LanguageModelTextPart(message.content), ...imageParts(message.images)] : message.content,
          ),
        );
        break;
      case 'assistant': {
        const parts: (vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart)[] = [];
        if (message.content) parts.push(new vscode.LanguageModelTextPart(message.content));
        for (const call of message.toolCalls ?? []) parts.push(new vscode.LanguageModelToolCallPart(call.id, call.name, parseInput(call.arguments)));
        out.push(vscode.LanguageModelChatMessage.Assistant(parts.length ? parts : ''));
        break;
      }
      default:
        break; // tool results were sent above, in the user turn
    }
  }
  return out;
}

/** The API wants an object; a malformed call (already answered with an error) is sent as empty. */
function parseInput(raw: string): object {
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

export function toLmTools(tools: ToolSpec[]): vscode.LanguageModelChatTool[] {
  return tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.parameters }));
}

/** Plain text per message, for countTokens: every provider counts strings. */
export function messageText(message: ChatMessage): string {
  if (message.role === 'assistant' && message.toolCalls?.length) {
    return message.content + message.toolCalls.map((c) => `${c.name}${c.arguments}`).join('');
  }
  return message.content;
}

const CONTEXT = /context.length|context window|maximum context|too many tokens|prompt is too long|token limit/i;
const TOOLS_REJECTED = /does not support tools|tools? (are |is )?not supported|does not support (function|tool)[ _-]?call/i;

/** One line the user can act on, naming the model; cancellation is reported as such. */
export function toModelError(error: unknown, model: vscode.LanguageModelChat, signal: AbortSignal): ModelError {
  if (signal.aborted || error instanceof vscode.CancellationError) return new ModelError('cancelled', 'Cancelled.');
  if (error instanceof ModelError) return error;
  const name = `"${model.name || model.id}"`;
  const message = describe(error);
  if (error instanceof vscode.LanguageModelError) {
    switch (error.code) {
      case vscode.LanguageModelError.NoPermissions.name:
        return new ModelError(
          'auth',
          l10n.t('VS Code did not allow Stepwise to use {0}: allow it when VS Code asks, or check Manage Language Model Access (Accounts menu).', name),
        );
      case vscode.LanguageModelError.Blocked.name:
        return new ModelError(
          'rate_limited',
          l10n.t(
            'VS Code blocked Stepwise from using {0} ({1}); usually a quota or rate limit. Try again later, or pick another model with Stepwise: Select Model.',
            name,
            message,
          ),
        );
      case vscode.LanguageModelError.NotFound.name:
        return new ModelError(
          'model_not_found',
          l10n.t('The language model {0} is no longer available (its extension was disabled or removed). Pick another with Stepwise: Select Model.', name),
        );
    }
  }
  if (CONTEXT.test(message)) {
    return new ModelError(
      'context_length',
      l10n.t("The conversation no longer fits {0}'s context window ({1}). Start a new task, or use a model with a larger window.", name, message),
    );
  }
  // bad_request lets ToolProtocolClient switch to the text protocol for models without tools.
  if (TOOLS_REJECTED.test(message)) return new ModelError('bad_request', l10n.t('{0} rejected the request: {1}', name, message));
  return new ModelError('server', l10n.t('The language model {0} failed: {1}. Try again, or pick another model with Stepwise: Select Model.', name, message));
}

/** The error's own message, or its cause's (LanguageModelError "Unknown" wraps the real one). */
function describe(error: unknown): string {
  const own = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
  return (cause && !own.includes(cause) ? `${own}: ${cause}` : own || cause || l10n.t('unknown error')).replace(/\s+/g, ' ').trim().slice(0, 300);
}
