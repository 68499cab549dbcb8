/**
 * MCP server configurations: the user's (the CLI's --mcp-config and config file, VS Code's
 * stepwise.mcp.servers) and a workspace's own `.vscode/mcp.json` / `.mcp.json`. Both VS Code's
 * shape (`{"servers": …}`) and Claude's (`{"mcpServers": …}`) are read. `${env:NAME}` is filled
 * from the environment commands get (never Stepwise's key), `${workspaceFolder}` from the
 * workspace; a server that cannot be read is named with the reason, and the others still start.
 */
// l10n-ignore-file: configuration problems name JSON keys and values as written
import * as z from 'zod';
import { withheldKind } from '../host/commandEnvironment';

export type McpTransportConfig =
  | { kind: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  /** Streamable HTTP, falling back to HTTP+SSE (`sse`: the old transport only). */
  | { kind: 'http'; url: string; headers: Record<string, string>; sse?: boolean };

export interface McpServerConfig {
  /** The name the user gave it (tools are offered as mcp__<name>__<tool>). */
  name: string;
  transport: McpTransportConfig;
  /** Where it was defined, as the user would name it (a file, a setting). */
  origin: string;
  /** Defined by the workspace (.vscode/mcp.json, .mcp.json) rather than by the user. */
  fromWorkspace?: boolean;
  /** The entry as written, before `${…}` is filled in: what a trust prompt shows. */
  written?: string;
}

export interface McpConfigProblem {
  server: string;
  origin: string;
  reason: string;
}

const strings = z.record(z.string(), z.string());
const entrySchema = z.looseObject({
  type: z.enum(['stdio', 'http', 'sse', 'streamable-http', 'streamableHttp']).optional(),
  command: z.string().min(1).optional(),
  args: z.array(z.string()).optional(),
  env: strings.optional(),
  cwd: z.string().optional(),
  url: z.string().min(1).optional(),
  headers: strings.optional(),
  disabled: z.boolean().optional(),
});

export interface Substitution {
  /** The environment `${env:NAME}` is read from. */
  env: Readonly<Record<string, string | undefined>>;
  /** `${workspaceFolder}`; absent: not allowed. */
  workspaceFolder?: string;
}

/** The servers of one configuration file or setting; what cannot be read is a problem, not an exception. */
export function parseMcpServers(value: unknown, origin: string, substitution: Substitution): { servers: McpServerConfig[]; problems: McpConfigProblem[] } {
  const servers: McpServerConfig[] = [];
  const problems: McpConfigProblem[] = [];
  const table = serverTable(value);
  if (!table) return { servers, problems: [{ server: '*', origin, reason: 'expected {"servers": {NAME: {command, args, env} | {url, headers}}}' }] };
  for (const [name, raw] of Object.entries(table)) {
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      problems.push({ server: name, origin, reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; ') });
      continue;
    }
    if (parsed.data.disabled) continue;
    try {
      servers.push({ name, origin, transport: transportOf(parsed.data, substitution), written: writtenEntry(parsed.data) });
    } catch (error) {
      problems.push({ server: name, origin, reason: (error as Error).message });
    }
  }
  return { servers, problems };
}

function serverTable(value: unknown): Record<string, unknown> | undefined {
  const isTable = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);
  if (!isTable(value)) return undefined;
  const table = value.servers ?? value.mcpServers;
  return isTable(table) ? table : undefined;
}

function transportOf(entry: z.infer<typeof entrySchema>, sub: Substitution): McpTransportConfig {
  const fill = (text: string) => substitute(text, sub);
  const fillAll = (record: Record<string, string> | undefined) => Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k, fill(v)]));
  if (entry.url !== undefined && entry.type !== 'stdio') {
    const url = fill(entry.url);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`url "${url}" is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`url "${url}": only http and https are supported`);
    return { kind: 'http', url, headers: fillAll(entry.headers), ...(entry.type === 'sse' ? { sse: true } : {}) };
  }
  if (entry.command === undefined) throw new Error('needs "command" (a program to start) or "url" (an HTTP server)');
  return {
    kind: 'stdio',
    command: fill(entry.command),
    args: (entry.args ?? []).map(fill),
    env: fillAll(entry.env),
    ...(entry.cwd !== undefined ? { cwd: fill(entry.cwd) } : {}),
  };
}

/** The command line (or address and header names and values) as written: `${env:…}` shown, not filled in. */
function writtenEntry(entry: z.infer<typeof entrySchema>): string {
  const quote = (a: string) => (/^[\w@%+=:,./${}-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  if (entry.url !== undefined && entry.type !== 'stdio') {
    const headers = Object.entries(entry.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
    return `${entry.url}${headers.length ? ` (headers: ${headers.join('; ')})` : ''}`;
  }
  const env = Object.entries(entry.env ?? {}).map(([k, v]) => `${k}=${v}`);
  const cwd = entry.cwd !== undefined ? ` (in ${entry.cwd})` : '';
  return `${[entry.command ?? '', ...(entry.args ?? [])].map(quote).join(' ')}${env.length ? ` (env: ${env.join(' ')})` : ''}${cwd}`;
}

/** `${env:NAME}` and `${workspaceFolder}`; anything else in `${…}` (VS Code's `${input:…}` prompts) is refused by name. */
export function substitute(text: string, sub: Substitution): string {
  return text.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    const env = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(inner);
    if (env) {
      const value = sub.env[env[1]!];
      const withheld = value === undefined ? withheldKind(env[1]!) : undefined;
      if (withheld === 'stepwise')
        throw new Error(`${whole}: ${env[1]} is Stepwise's own key, which MCP servers never get; write the key this server should use instead`);
      if (withheld === 'runner')
        throw new Error(`${whole}: ${env[1]} is a CI runner's token, which a workspace's files cannot hand on; name it in your own MCP config instead`);
      if (value === undefined) throw new Error(`${whole}: ${env[1]} is not set in the environment Stepwise's commands get`);
      return value;
    }
    if (inner === 'workspaceFolder' && sub.workspaceFolder !== undefined) return sub.workspaceFolder;
    throw new Error(`${whole} is not supported here: write the value, or use \${env:NAME}`);
  });
}
