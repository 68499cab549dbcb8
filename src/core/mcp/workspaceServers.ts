/**
 * MCP servers a workspace defines for itself (`.vscode/mcp.json`, `.mcp.json` at each root). A
 * repository must not start programs on the user's machine by being opened: these start only
 * once the user trusts the file as it is now (its SHA-256), and a changed file needs trust again.
 * Read through the Host, so a link out of the workspace is refused.
 */
// l10n-ignore-file: problems name files and keys as written
import { createHash } from 'node:crypto';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import type { Host } from '../host/host';
import { type McpConfigProblem, type McpServerConfig, parseMcpServers, type Substitution } from './config';

export const WORKSPACE_MCP_FILES = ['.vscode/mcp.json', '.mcp.json'] as const;

export interface WorkspaceMcpFile {
  /** As Stepwise shows it (with the folder's name in a multi-root workspace). */
  path: string;
  /** SHA-256 of the file's bytes: what the user's trust is given to. */
  hash: string;
  servers: McpServerConfig[];
  problems: McpConfigProblem[];
}

export async function findWorkspaceMcp(
  host: Host,
  substitution: Omit<Substitution, 'workspaceFolder'>,
  rootPath: (root: string) => string,
): Promise<WorkspaceMcpFile[]> {
  const roots = host.folders && host.folders.length > 1 ? host.folders.map((f) => `${f}/`) : [''];
  const found: WorkspaceMcpFile[] = [];
  for (const root of roots) {
    for (const name of WORKSPACE_MCP_FILES) {
      const file = await readOne(host, `${root}${name}`, { ...substitution, workspaceFolder: rootPath(root) });
      if (file) found.push(file);
    }
  }
  return found;
}

async function readOne(host: Host, path: string, substitution: Substitution): Promise<WorkspaceMcpFile | undefined> {
  let shown: string;
  try {
    shown = await host.resolve(path);
    if ((await host.stat(shown))?.type !== 'file') return undefined;
  } catch {
    return undefined; // a link out of the workspace, or nothing there
  }
  const read = await host.readFile(shown, 1024 * 1024).catch(() => undefined);
  if (read?.kind !== 'text') {
    return { path: shown, hash: '', servers: [], problems: [{ server: '*', origin: shown, reason: 'not a UTF-8 text file under 1 MB' }] };
  }
  const hash = createHash('sha256').update(read.text).digest('hex');
  const errors: ParseError[] = [];
  const value = parseJsonc(read.text, errors, { allowTrailingComma: true });
  if (errors.length) return { path: shown, hash, servers: [], problems: [{ server: '*', origin: shown, reason: 'not valid JSON' }] };
  return { path: shown, hash, ...parseMcpServers(value, shown, substitution) };
}

/** One line per server, as the trust prompt names it: the command it would run, or the address it would reach. */
export function describeServer(server: McpServerConfig): string {
  const t = server.transport;
  if (t.kind === 'http') return `${server.name}: ${t.url}`;
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  const env = Object.keys(t.env);
  return `${server.name}: ${[t.command, ...t.args].map(quote).join(' ')}${env.length ? ` (env: ${env.join(', ')})` : ''}`;
}
