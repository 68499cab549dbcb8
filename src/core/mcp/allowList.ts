/**
 * Which MCP tools run without asking: `SERVER` (all of its tools) or `SERVER/TOOL`, from the user
 * (--allow-mcp, the user's config, a setting) and from "Always allow this tool" answers during a task.
 */
import type { McpToolRef } from '../contracts';

export class McpAllowList {
  private readonly servers = new Set<string>();
  private readonly tools = new Set<string>();

  constructor(entries: readonly string[] = []) {
    for (const entry of entries) this.addEntry(entry);
  }

  /** `SERVER` or `SERVER/TOOL`; an empty one is ignored. */
  addEntry(entry: string): void {
    const text = entry.trim();
    if (!text) return;
    const slash = text.indexOf('/');
    if (slash < 0) this.servers.add(text);
    else this.tools.add(key(text.slice(0, slash), text.slice(slash + 1)));
  }

  allowTool(ref: McpToolRef): void {
    this.tools.add(key(ref.server, ref.tool));
  }

  /** A workspace's own server is never covered by name: a repository could name its server like one the user allows. */
  covers(ref: McpToolRef): boolean {
    if (ref.fromWorkspace) return false;
    return this.servers.has(ref.server) || this.tools.has(key(ref.server, ref.tool));
  }
}

function key(server: string, tool: string): string {
  return `${server}\0${tool}`;
}
