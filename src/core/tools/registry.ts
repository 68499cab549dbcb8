/** The tool set the model sees, by name: the built-in tools, then those of sources that change (MCP servers). */
import type { Tool, ToolSpec } from './defineTool';
import { editFile } from './editFile';
import { finish } from './finish';
import { getDiagnostics } from './getDiagnostics';
import { listFiles } from './listFiles';
import { readFile } from './readFile';
import { runCommand } from './runCommand';
import { runTask } from './runTask';
import { search } from './search';
import { updatePlan } from './updatePlan';
import { webFetch } from './webFetch';
import { writeFile } from './writeFile';

/** Tools that come and go while a task runs (a server's list changes, find_tools offers more). */
export interface ToolSource {
  /** Every tool that can be called now, by name. */
  callable(): readonly Tool<any>[];
  /** Those whose schemas are sent with each request, in a stable order (the rest are found with find_tools). */
  offered(): readonly Tool<any>[];
}

export class ToolRegistry {
  private readonly byName = new Map<string, Tool<any>>();

  constructor(
    tools: Tool<any>[],
    private readonly sources: readonly ToolSource[] = [],
    private readonly keep: (tool: Tool<any>) => boolean = () => true,
  ) {
    for (const tool of tools) if (keep(tool)) this.byName.set(tool.name, tool);
  }

  get(name: string): Tool<any> | undefined {
    return this.byName.get(name) ?? this.fromSources((s) => s.callable()).find((t) => t.name === name);
  }

  names(): string[] {
    return [...this.byName.keys(), ...this.fromSources((s) => s.offered()).map((t) => t.name)];
  }

  /** What the model is sent: the built-in tools, then the sources' offered ones (asked each request: they may change). */
  specs(): ToolSpec[] {
    return [...this.byName.values(), ...this.fromSources((s) => s.offered())].map((tool) => tool.spec);
  }

  /** A registry with only the tools `keep` accepts (e.g. read-only tools in Restricted Mode). */
  filter(keep: (tool: Tool<any>) => boolean): ToolRegistry {
    return new ToolRegistry([...this.byName.values()], this.sources, (t) => this.keep(t) && keep(t));
  }

  /** The same tools and a source more. */
  with(source: ToolSource): ToolRegistry {
    return new ToolRegistry([...this.byName.values()], [...this.sources, source], this.keep);
  }

  private fromSources(pick: (source: ToolSource) => readonly Tool<any>[]): Tool<any>[] {
    return this.sources.flatMap((s) => pick(s).filter((t) => this.keep(t) && !this.byName.has(t.name)));
  }
}

export function defaultTools(): ToolRegistry {
  return new ToolRegistry([updatePlan, readFile, listFiles, search, getDiagnostics, editFile, writeFile, runCommand, runTask, webFetch, finish]);
}
