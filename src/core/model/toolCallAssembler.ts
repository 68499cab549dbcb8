/**
 * Assembles streamed tool-call deltas by `index` (local servers send later deltas without ids,
 * some send none at all). Calls are released only when the answer completed normally.
 */
import type { ToolCall } from './client';

interface Partial {
  id?: string;
  name: string;
  arguments: string;
}

export interface ToolCallDelta {
  index?: number;
  id?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
}

export class ToolCallAssembler {
  private readonly calls = new Map<number, Partial>();

  add(delta: ToolCallDelta): void {
    const index = delta.index ?? this.calls.size;
    let call = this.calls.get(index);
    if (!call) {
      call = { name: '', arguments: '' };
      this.calls.set(index, call);
    }
    if (delta.id) call.id = delta.id;
    if (delta.function?.name) call.name += delta.function.name;
    if (delta.function?.arguments) call.arguments += delta.function.arguments;
  }

  get size(): number {
    return this.calls.size;
  }

  /** Completed calls in index order; missing ids get stable unique ones. */
  complete(idPrefix: string): ToolCall[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => ({ id: call.id ?? `${idPrefix}_${index}`, name: call.name, arguments: call.arguments }));
  }
}
