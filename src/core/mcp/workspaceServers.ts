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
import { escapeControls } from '../text/controlChars';
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
  const parsed = parseMcpServers(value, shown, substitution);
  return { path: shown, hash, servers: parsed.servers.map((s) => ({ ...s, fromWorkspace: true })), problems: parsed.problems };
}

/**
 * One line per server, as the trust prompt names it: the command it would run (with its env and
 * folder) or the address it would reach (with the headers it would send), as written — a
 * `${env:TOKEN}` in a header is shown as such — and with control characters made visible.
 */
export function describeServer(server: McpServerConfig): string {
  const t = server.transport;
  const fallback = t.kind === 'http' ? t.url : [t.command, ...t.args].join(' ');
  // One line each: a newline in an argument must not fake another server's line.
  return escapeControls(`${server.name}: ${server.written ?? fallback}`).replace(/\n/g, '\\n');
}
