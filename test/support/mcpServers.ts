/**
 * MCP servers for tests. `stdioFixture` names the stdio server test/fixtures/mcp/server.mjs (see its
 * flags there; crash/hang/garbage/wrong.mjs beside it are the faulty ones). `startHttpMcpServer`
 * serves the same tools (tools.mjs) over HTTP on 127.0.0.1: Streamable HTTP at /mcp, or with
 * `sse: true` only the old HTTP+SSE transport. Only node: modules and the SDK are imported, so the
 * VS Code test bundle can include this file.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

/** Walks up from this file (or the bundle it ended up in) to the repository holding the fixtures. */
function findFixtures(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'test', 'fixtures', 'mcp');
    if (fs.existsSync(path.join(candidate, 'server.mjs'))) return candidate;
    if (path.dirname(dir) === dir) return path.resolve('test', 'fixtures', 'mcp');
  }
}

/** Absolute path of test/fixtures/mcp. */
export const FIXTURES: string = findFixtures();

/** The stdio fixture server (server.mjs) with the given flags, as a command to spawn. */
export function stdioFixture(args: string[] = []): { command: string; args: string[] } {
  return { command: process.execPath, args: [path.join(FIXTURES, 'server.mjs'), ...args] };
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface HttpMcpServer {
  /** http://127.0.0.1:<port>/mcp — in SSE mode a POST there gets 405 and a GET opens the SSE stream. */
  url: string;
  close(): Promise<void>;
  /** Every HTTP request seen, in order. */
  requests: RecordedRequest[];
}

export interface HttpMcpServerOptions {
  /** Speak only the old HTTP+SSE transport (GET /sse or /mcp opens the stream, POST /messages?sessionId=… posts). */
  sse?: boolean;
  /** Answer 401 to any request without this header value. */
  headerCheck?: { name: string; value: string };
}

type RegisterTools = (server: Server, options?: { die?: () => void }) => { addLateTool(): Promise<void> };
let toolsModule: Promise<{ registerTools: RegisterTools }> | undefined;

function loadTools(): Promise<{ registerTools: RegisterTools }> {
  toolsModule ??= import(pathToFileURL(path.join(FIXTURES, 'tools.mjs')).href);
  return toolsModule;
}

/** One HTTP MCP server's state: its sessions (each with its own SDK Server) and how to build one. */
interface State {
  http: http.Server;
  registerTools: RegisterTools;
  sessions: Map<string, { server: Server; transport: StreamableHTTPServerTransport | SSEServerTransport }>;
}

function newMcpServer(state: State): Server {
  const server = new Server({ name: 'fixture-http', version: '1.0.0' }, { capabilities: { tools: { listChanged: true }, resources: {} } });
  // The `die` tool over HTTP: the server "crashes and restarts" — every connection cut, every session forgotten.
  state.registerTools(server, { die: () => void dropEverything(state) });
  return server;
}

async function dropEverything(state: State): Promise<void> {
  state.http.closeAllConnections();
  const sessions = [...state.sessions.values()];
  state.sessions.clear();
  await Promise.all(sessions.map(({ server }) => server.close().catch(() => {})));
}

function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body);
}

function sendRpcError(res: http.ServerResponse, status: number, code: number, message: string): void {
  send(res, status, JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), { 'content-type': 'application/json' });
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** Streamable HTTP at /mcp, stateful: a new Server and transport for each initialize, then routed by mcp-session-id. */
async function handleStreamable(state: State, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const sessionId = req.headers['mcp-session-id'];
  const session = typeof sessionId === 'string' ? state.sessions.get(sessionId) : undefined;
  let body: unknown;
  if (req.method === 'POST') {
    try {
      body = await readJson(req);
    } catch {
      return sendRpcError(res, 400, -32700, 'Parse error');
    }
  }
  if (session) return (session.transport as StreamableHTTPServerTransport).handleRequest(req, res, body);
  if (sessionId !== undefined) return sendRpcError(res, 404, -32001, 'Session not found');
  if (req.method !== 'POST' || !isInitializeRequest(body)) return sendRpcError(res, 400, -32000, 'Bad Request: no valid session ID');
  const server = newMcpServer(state);
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => void state.sessions.set(id, { server, transport }),
  });
  transport.onclose = () => {
    if (transport.sessionId) state.sessions.delete(transport.sessionId);
  };
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}

/** The old HTTP+SSE transport: GET opens the stream (its endpoint event names /messages?sessionId=…), POST /messages posts. */
async function handleSse(state: State, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const pathname = url.pathname;
  if (req.method === 'GET' && (pathname === '/sse' || pathname === '/mcp')) {
    const transport = new SSEServerTransport('/messages', res);
    const server = newMcpServer(state);
    state.sessions.set(transport.sessionId, { server, transport });
    transport.onclose = () => void state.sessions.delete(transport.sessionId);
    return server.connect(transport);
  }
  if (req.method === 'POST' && pathname === '/messages') {
    const session = state.sessions.get(url.searchParams.get('sessionId') ?? '');
    if (!session) return send(res, 404, 'Session not found');
    return (session.transport as SSEServerTransport).handlePostMessage(req, res);
  }
  if (pathname === '/sse' || pathname === '/mcp') return send(res, 405, 'Method Not Allowed', { allow: 'GET' });
  send(res, 404, 'Not Found');
}

/**
 * Starts an MCP server over HTTP on 127.0.0.1 (a free port) serving the tools of tools.mjs. The `die`
 * tool cuts every connection and forgets every session (the process itself, the test's, lives on).
 */
export async function startHttpMcpServer(options: HttpMcpServerOptions = {}): Promise<HttpMcpServer> {
  const { registerTools } = await loadTools();
  const requests: RecordedRequest[] = [];
  const state: State = { http: http.createServer(), registerTools, sessions: new Map() };
  state.http.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? '', path: url.pathname + url.search, headers: { ...req.headers } });
    const check = options.headerCheck;
    if (check && req.headers[check.name.toLowerCase()] !== check.value) return send(res, 401, 'Unauthorized');
    const handled = options.sse
      ? handleSse(state, req, res, url)
      : url.pathname === '/mcp'
        ? handleStreamable(state, req, res)
        : Promise.resolve(send(res, 404, 'Not Found'));
    handled.catch((error: unknown) => send(res, 500, String(error)));
  });
  await new Promise<void>((resolve) => state.http.listen(0, '127.0.0.1', resolve));
  const { port } = state.http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    close: async () => {
      await dropEverything(state);
      await new Promise<void>((resolve) => state.http.close(() => resolve()));
    },
  };
}
