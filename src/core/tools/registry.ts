/** The tool set the model sees, by name. */
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

export class ToolRegistry {
  private readonly byName = new Map<string, Tool<any>>();

  constructor(tools: Tool<any>[]) {
    for (const tool of tools) this.byName.set(tool.name, tool);
  }

  get(name: string): Tool<any> | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  specs(): ToolSpec[] {
    return [...this.byName.values()].map((tool) => tool.spec);
  }

  /** A registry with only the tools `keep` accepts (e.g. read-only tools in Restricted Mode). */
  filter(keep: (tool: Tool<any>) => boolean): ToolRegistry {
    return new ToolRegistry([...this.byName.values()].filter(keep));
  }
}

export function defaultTools(): ToolRegistry {
  return new ToolRegistry([updatePlan, readFile, listFiles, search, getDiagnostics, editFile, writeFile, runCommand, runTask, webFetch, finish]);
}
