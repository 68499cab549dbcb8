/** Searching what the ready servers offer besides tools (resources, prompts) by the words typed. */
import type { ToolServer } from './connection';
import type { McpHub } from './hub';

/** Items of the ready servers whose text holds every word of the query (any case), in server order, at most `limit`. */
export function findOffered<T>(
  hub: McpHub,
  query: string,
  limit: number,
  offered: (server: ToolServer) => readonly T[] | undefined,
  text: (server: string, item: T) => string,
): { server: string; item: T }[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const found: { server: string; item: T }[] = [];
  for (const server of hub.connections) {
    if (server.state !== 'ready') continue;
    for (const item of offered(server) ?? []) {
      const haystack = text(server.config.name, item).toLowerCase();
      if (words.every((w) => haystack.includes(w))) found.push({ server: server.config.name, item });
      if (found.length >= limit) return found;
    }
  }
  return found;
}
