/**
 * Wraps any ModelClient so tool calling survives models and servers without it. Native tool
 * calls first; the client switches itself (once, for its model) to the text protocol when the
 * server rejects `tools`, or when the model writes a complete call in its text instead of making
 * one. Calls are read from text only after the answer finished normally; the loop then
 * validates and approves them like native ones.
 *
 * Text that looks like a call is not a call once the model has made native calls in the task (it
 * may be quoting a file), and one such answer switches only this task: the model is remembered
 * as a text-protocol model after a second one, or when the server rejects `tools`.
 */
import { randomBytes } from 'node:crypto';
import type { ModelClient, ModelEvent, ModelRequest, ToolCall } from './client';
import { ModelError } from './errors';
import { toTextRequest } from './textProtocol';
import { parseTextToolCalls } from './textToolCalls';

export type ToolProtocol = 'auto' | 'native' | 'text';

/** Remembers which models needed the text protocol, so the next task starts in it (VS Code keeps it per model). */
export interface ProtocolMemory {
  needsText(model: string): boolean;
  rememberText(model: string): void;
  /** Forgets that the model needed the text protocol (the user resets the choice). */
  forget?(model: string): void;
}

const TOOLS_REJECTED = /does not support tools|tools? (are |is )?not supported|does not support (function|tool)[ _-]?call/i;
/** Where a text call may start; text from there on is held back until the answer is complete. */
const MARKERS = ['```', '<tool_call>', '<function=', '{'];

/** Answers with calls written as text before the model counts as one that needs the text protocol. */
const TEXT_ANSWERS_TO_REMEMBER = 2;

export class ToolProtocolClient implements ModelClient {
  readonly model: string;
  private textMode: boolean;
  /** The model made a native tool call in this task. */
  private sawNative = false;
  private textAnswers = 0;

  constructor(
    private readonly inner: ModelClient,
    private readonly protocol: ToolProtocol = 'auto',
    private readonly memory?: ProtocolMemory,
  ) {
    this.model = inner.model;
    this.textMode = protocol === 'text' || (protocol === 'auto' && (memory?.needsText(inner.model) ?? false));
  }

  private switchToText(remember: boolean): void {
    this.textMode = true;
    if (remember) this.memory?.rememberText(this.model);
  }

  /** The protocol in use now: 'text' once the client switched (or was told to). */
  get mode(): 'native' | 'text' {
    return this.textMode ? 'text' : 'native';
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    if (!request.tools.length || this.protocol === 'native') return yield* this.inner.stream(request, signal);
    if (this.textMode) return yield* this.relay(toTextRequest(request), request, signal);
    let started = false;
    try {
      for await (const event of this.relay(request, request, signal)) {
        started = true;
        yield event;
      }
    } catch (error) {
      if (started || !(error instanceof ModelError && error.kind === 'bad_request' && TOOLS_REJECTED.test(error.message))) throw error;
      this.switchToText(true);
      yield* this.relay(toTextRequest(request), request, signal);
    }
  }

  /** Streams the answer, holding back text that may be a call; reads calls from it at the end. */
  private async *relay(sent: ModelRequest, original: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    let holdback = new Holdback();
    let native: ToolCall[] = [];
    for await (const event of this.inner.stream(sent, signal)) {
      if (event.type === 'text') {
        const now = holdback.push(event.delta);
        if (now) yield { type: 'text', delta: now };
      } else if (event.type === 'tool_call') {
        native.push(event.call);
        this.sawNative = true;
      } else if (event.type === 'retry') {
        holdback = new Holdback();
        native = [];
        yield event;
      } else if (event.type !== 'finish') yield event;
      else {
        // In native mode, after native calls in this task, text is only text (e.g. a quoted file).
        // A cut answer's text is not read for calls either: a call in it may be cut.
        const textIsText =
          native.length > 0 ||
          original.toolChoice === 'none' ||
          event.reason === 'content_filter' ||
          event.reason === 'length' ||
          (sent === original && this.sawNative);
        const parsed = textIsText ? undefined : parseTextToolCalls(holdback.held, original.tools);
        const calls = parsed?.calls.length ? parsed.calls.map((c, i) => ({ id: `call_${randomBytes(3).toString('hex')}_${i}`, ...c })) : native;
        const rest = parsed?.calls.length ? parsed.text : holdback.held;
        if (rest) yield { type: 'text', delta: rest };
        for (const call of calls) yield { type: 'tool_call', call };
        if (parsed?.calls.length) {
          if (this.protocol === 'auto') this.switchToText(++this.textAnswers >= TEXT_ANSWERS_TO_REMEMBER);
          yield { type: 'finish', reason: 'tool_calls' };
        } else yield event;
        return;
      }
    }
    // No finish: not a complete answer, so nothing in it is a call.
    if (holdback.held) yield { type: 'text', delta: holdback.held };
    for (const call of native) yield { type: 'tool_call', call };
  }
}

/** Passes text through until something that may open a call; keeps the rest for the end. */
class Holdback {
  held = '';
  private holding = false;

  /** The text that can be shown now; what may still be a call is kept in `held`. */
  push(delta: string): string {
    let out = '';
    let text = this.held + delta;
    this.held = '';
    for (;;) {
      if (this.holding) {
        const verdict = callStart(text);
        if (verdict !== 'not') {
          this.held = text;
          return out;
        }
        // Not a call after all (`{` in prose, a code block): shown, and read on after that character.
        this.holding = false;
        out += text[0];
        text = text.slice(1);
        continue;
      }
      const starts = MARKERS.map((m) => text.indexOf(m)).filter((i) => i >= 0);
      if (starts.length) {
        const at = Math.min(...starts);
        out += text.slice(0, at);
        text = text.slice(at);
        this.holding = true;
        continue;
      }
      // A marker may be split across deltas: keep a tail that could be its beginning.
      let keep = 0;
      for (const marker of MARKERS) {
        for (let n = Math.min(marker.length - 1, text.length); n > keep; n--) {
          if (marker.startsWith(text.slice(text.length - n))) keep = n;
        }
      }
      this.held = text.slice(text.length - keep);
      return out + text.slice(0, text.length - keep);
    }
  }
}

/** Keys a call written as JSON starts with. */
const CALL_KEYS = new Set(['name', 'tool', 'tool_name', 'function', 'type', 'id', 'arguments', 'parameters']);
/** Code-block languages a call may be written in. */
const CALL_FENCES = new Set(['', 'json', 'jsonc', 'tool_call', 'xml']);

/** Whether text starting at a marker is the start of a call, is not one, or cannot be told yet. */
function callStart(text: string): 'call' | 'not' | 'unknown' {
  if (text.startsWith('```')) {
    const newline = text.indexOf('\n');
    if (newline < 0) return text.length > 40 ? 'not' : 'unknown';
    if (!CALL_FENCES.has(text.slice(3, newline).trim().toLowerCase())) return 'not';
    const body = text.slice(newline + 1).trimStart();
    return body === '' ? 'unknown' : body[0] === '{' || body[0] === '<' ? 'call' : 'not';
  }
  if (text.startsWith('{')) {
    const rest = text.slice(1).trimStart();
    if (rest === '') return 'unknown';
    if (rest[0] !== '"') return 'not';
    const end = rest.indexOf('"', 1);
    if (end < 0) return rest.length > 30 ? 'not' : 'unknown';
    return CALL_KEYS.has(rest.slice(1, end)) ? 'call' : 'not';
  }
  return 'call';
}
