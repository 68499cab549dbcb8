/**
 * A scripted OpenAI-compatible server for tests (plain node:http). It replays scripted answers as
 * real SSE in small chunks — tool-call deltas without ids after the first, as local servers send
 * them — and can answer with HTTP errors, Retry-After, HTML pages, or cut the stream mid-answer.
 * Every request is recorded. The product code talks to it exactly as to a real server.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedToolCall {
  name: string;
  /** Raw text sent as the arguments (an object is JSON-encoded). */
  arguments: string | Record<string, unknown>;
  id?: string;
}

export type ScriptStep =
  | {
      text?: string;
      toolCalls?: ScriptedToolCall[];
      finishReason?: string;
      usage?: { prompt_tokens: number; completion_tokens: number };
      /** Characters per content / arguments chunk (default 4). */
      chunkSize?: number;
      /** Drop the connection after this many SSE events, before the answer completes. */
      cutAfterEvents?: number;
      /** Wait before answering (ms). */
      delayMs?: number;
      /** A hostile server: after the text, keep streaming this delta every `everyMs` until the client goes away. */
      endless?: { delta: string; everyMs: number };
      /** A hostile server: one SSE line of this many bytes, sent in 16 KB pieces with no newline. */
      giantLineBytes?: number;
    }
  | { status: number; body?: unknown; headers?: Record<string, string>; contentType?: string };

export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export type Script = ScriptStep[] | ((request: RecordedRequest, index: number) => ScriptStep);

export interface ScriptedServer {
  /** Base URL including /v1. */
  url: string;
  origin: string;
  requests: RecordedRequest[];
  /** Chat completion requests only. */
  chatRequests(): RecordedRequest[];
  close(): Promise<void>;
}

/**
 * `port`: a fixed one (a local server's usual port, for discovery); otherwise any free one.
 * `routes`: other endpoints as "METHOD /path" → JSON answer (llama.cpp's /props, Ollama's /api/show).
 */
export async function startScriptedServer(
  script: Script,
  options: { models?: string[]; port?: number; routes?: Record<string, unknown> } = {},
): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  let chatIndex = 0;
  const sockets = new Set<import('node:net').Socket>();

  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    const recorded: RecordedRequest = { path: req.url ?? '', headers: req.headers, body: body ? safeJson(body) : undefined };
    requests.push(recorded);
    if (req.method === 'GET' && req.url === '/v1/models') {
      const data = (options.models ?? ['scripted-model']).map((id) => ({ id, object: 'model', created: 0, owned_by: 'test' }));
      return sendJson(res, 200, { object: 'list', data });
    }
    const route = options.routes?.[`${req.method} ${req.url}`];
    if (route !== undefined) return sendJson(res, 200, route);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
      return;
    }
    const index = chatIndex++;
    const step = typeof script === 'function' ? script(recorded, index) : script[index];
    if (!step) return sendJson(res, 500, { error: { message: `scripted server: no answer scripted for request ${index + 1}` } });
    if ('status' in step) {
      const type = step.contentType ?? 'application/json';
      res.writeHead(step.status, { 'content-type': type, ...step.headers });
      res.end(typeof step.body === 'string' ? step.body : JSON.stringify(step.body ?? { error: { message: `HTTP ${step.status}` } }));
      return;
    }
    if (step.delayMs) await new Promise((r) => setTimeout(r, step.delayMs));
    if (recorded.body?.stream === false) return sendJson(res, 200, wholeAnswer(step, recorded.body?.model ?? 'scripted-model'));
    await streamAnswer(res, step, recorded.body?.model ?? 'scripted-model', recorded.body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/v1`,
    origin,
    requests,
    chatRequests: () => requests.filter((r) => r.path === '/v1/chat/completions'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A request with `stream: false` (doctor's one-token probe) gets one JSON completion, as real servers answer. */
function wholeAnswer(step: Extract<ScriptStep, { text?: string }>, model: string): unknown {
  const toolCalls = (step.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_${index}`,
    type: 'function',
    function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
  }));
  return {
    id: 'chatcmpl-whole',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: step.text ?? '', ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
        finish_reason: step.finishReason ?? 'stop',
      },
    ],
    usage: step.usage ?? { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 },
  };
}

async function streamAnswer(res: http.ServerResponse, step: Extract<ScriptStep, { text?: string }>, model: string, request?: any): Promise<void> {
  const size = step.chunkSize ?? 4;
  const id = `chatcmpl-${Math.random().toString(36).slice(2)}`;
  const events: unknown[] = [];
  const chunk = (delta: unknown, finish: string | null = null) => ({
    id,
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  events.push(chunk({ role: 'assistant', content: '' }));
  for (const piece of split(step.text ?? '', size)) events.push(chunk({ content: piece }));
  (step.toolCalls ?? []).forEach((call, index) => {
    const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
    events.push(
      chunk({ tool_calls: [{ index, id: call.id ?? `call_${index}_${id.slice(-6)}`, type: 'function', function: { name: call.name, arguments: '' } }] }),
    );
    for (const piece of split(args, size)) events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  const finish = step.finishReason ?? (step.toolCalls?.length ? 'tool_calls' : 'stop');
  events.push(chunk({}, finish));
  events.push({
    id,
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices: [],
    usage: {
      ...(step.usage ?? {
        prompt_tokens: promptTokensOf(request),
        completion_tokens: Math.ceil(((step.text ?? '').length + JSON.stringify(step.toolCalls ?? []).length) / 4),
      }),
      total_tokens: 0,
    },
  });

  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  if (step.giantLineBytes !== undefined) return sendGiantLine(res, step.giantLineBytes);
  if (step.endless) return sendEndless(res, events.slice(0, 1 + split(step.text ?? '', size).length), step.endless, chunk);
  let sent = 0;
  for (const event of events) {
    if (step.cutAfterEvents !== undefined && sent >= step.cutAfterEvents) {
      res.socket?.destroy();
      return;
    }
    // Each event is flushed before the next, as a real server streams tokens.
    await new Promise<void>((resolve) => res.write(`data: ${JSON.stringify(event)}\n\n`, () => resolve()));
    sent++;
  }
  res.end('data: [DONE]\n\n');
}

async function sendGiantLine(res: http.ServerResponse, bytes: number): Promise<void> {
  const piece = 'a'.repeat(16 * 1024);
  await write(res, 'data: {"choices":[{"index":0,"delta":{"content":"');
  for (let sent = 0; sent < bytes && !res.destroyed; sent += piece.length) await write(res, piece);
  res.end();
}

async function sendEndless(
  res: http.ServerResponse,
  first: unknown[],
  endless: { delta: string; everyMs: number },
  chunk: (delta: unknown) => unknown,
): Promise<void> {
  for (const event of first) await write(res, `data: ${JSON.stringify(event)}\n\n`);
  while (!res.destroyed && !res.writableEnded) {
    await write(res, `data: ${JSON.stringify(chunk({ content: endless.delta }))}\n\n`);
    if (endless.everyMs > 0) await new Promise((r) => setTimeout(r, endless.everyMs));
  }
}

function write(res: http.ServerResponse, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    res.write(text, () => resolve());
  });
}

function split(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** About what a real server reports: ~4 characters per token over the messages and tool definitions. */
function promptTokensOf(request: any): number {
  if (!request) return 0;
  let chars = JSON.stringify(request.tools ?? []).length;
  for (const m of request.messages ?? []) {
    chars += typeof m.content === 'string' ? m.content.length : JSON.stringify(m.content ?? '').length;
    for (const call of m.tool_calls ?? []) chars += (call.function?.name ?? '').length + (call.function?.arguments ?? '').length;
  }
  return Math.ceil(chars / 4);
}
