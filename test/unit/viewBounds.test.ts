import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AgentEvent } from '../../src/core/agent/events';
import { MAX_MESSAGE_CHARS, type TaskView } from '../../src/protocol/messages';
import { applyTaskEvent, newTaskView } from '../../src/protocol/taskReducer';
import { boundApproval, boundHistory, boundTask, isShortened, VIEW_DETAIL_CHARS } from '../../src/protocol/viewBounds';
import { toTaskEvents } from '../../src/vscode/taskEvents';
import { parseIncoming } from '../../src/webview/incoming';

/** The task view as the extension keeps it after these agent events. */
function taskAfter(events: AgentEvent[]): TaskView {
  const task = newTaskView('t1', 'Read everything', 50, 0);
  for (const event of events) for (const e of toTaskEvents(event)) applyTaskEvent(task, e);
  return task;
}

const reads = (n: number, chars: number): AgentEvent[] =>
  Array.from({ length: n }, (_, i) => [
    { type: 'tool_call' as const, id: `r${i}`, name: 'read_file', args: { path: `src/f${i}.ts` } },
    { type: 'tool_result' as const, id: `r${i}`, ok: true, output: `src/f${i}.ts (400 lines)\n${'const x = 1; // padding\n'.repeat(Math.ceil(chars / 24))}` },
  ]).flat();

function stateMessage(task: TaskView): unknown {
  return { type: 'state', task: boundTask(task), history: [], running: true };
}

describe('the panel always gets the task, and the step waiting for approval', () => {
  test('18 ordinary reads of 12,000 characters and a pending edit: the state fits, the approval is in it', () => {
    const task = taskAfter(reads(18, 12_000));
    applyTaskEvent(task, {
      type: 'approval_request',
      approval: boundApproval({
        approvalId: 'a1',
        toolCallId: 'e1',
        tool: 'edit_file',
        risk: 'edit',
        title: 'Edit src/f1.ts',
        detail: `--- a\n+++ b\n${'+x\n'.repeat(60_000)}`,
        hasDiff: true,
      }),
    });
    const message = stateMessage(task);
    assert.ok(JSON.stringify(message).length < MAX_MESSAGE_CHARS, `${JSON.stringify(message).length} characters`);
    const parsed = parseIncoming(message);
    assert.equal(parsed?.type, 'state');
    assert.equal(parsed?.type === 'state' && parsed.task?.pendingApproval?.approvalId, 'a1');
    const detail = parsed?.type === 'state' ? (parsed.task?.pendingApproval?.detail ?? '') : '';
    assert.ok(detail.length > 1000 && detail.length <= VIEW_DETAIL_CHARS + 200, `${detail.length}`);
    assert.match(detail, /View diff shows all of it/);
    assert.ok(
      task.items.some((i) => i.kind === 'tool' && isShortened(i.output)),
      'long outputs are marked as shortened (the full text opens on demand)',
    );
  });

  test('a very long task: older items give way with a notice; the goal and the latest steps stay', () => {
    const many: AgentEvent[] = [];
    for (let i = 0; i < 400; i++)
      many.push({ type: 'message', text: `Step ${i}: ${'thinking '.repeat(200)}` }, ...reads(1, 3000).map((e) => ({ ...e, id: `x${i}` }) as AgentEvent));
    const task = taskAfter(many);
    applyTaskEvent(task, {
      type: 'approval_request',
      approval: { approvalId: 'a9', toolCallId: 'c', tool: 'run_command', risk: 'execute', title: 'Run: npm test', detail: 'npm test', hasDiff: false },
    });
    const bounded = boundTask(task);
    assert.ok(JSON.stringify(stateMessage(task)).length < MAX_MESSAGE_CHARS);
    assert.equal(bounded.items[0]?.kind, 'goal');
    assert.match(JSON.stringify(bounded.items[1]), /earlier steps are not shown here/);
    assert.equal(bounded.pendingApproval?.approvalId, 'a9');
    assert.match(JSON.stringify(bounded.items.at(-1)), /x399/);
    assert.equal(task.items.length, 1 + 800, 'the task itself (saved in history) is not changed');
  });

  test('a small task is sent as it is', () => {
    const task = taskAfter(reads(2, 100));
    assert.equal(boundTask(task), task);
  });

  test('history goals are cut to a line', () => {
    const [entry] = boundHistory([{ id: 'h', goal: 'x'.repeat(5000), status: 'finished', createdAt: 0 }]);
    assert.equal(entry?.goal.length, 200);
  });
});
