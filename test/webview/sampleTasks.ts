/** Task views for the webview harness: a realistic one for screenshots, a huge one for timing. */
import type { TaskView } from '../../src/protocol/messages';

const DIFF = `--- a/src/math.ts
+++ b/src/math.ts
@@ -1,5 +1,7 @@
 export function add(a: number, b: number): number {
-  return a - b;
+  return a + b;
 }
+
+export const sum = (xs: number[]) => xs.reduce(add, 0);
-- the end`;

export function sampleTask(): TaskView {
  return {
    id: 't-sample',
    goal: 'Fix the failing test in src/math.ts and add a sum helper',
    status: 'running',
    createdAt: Date.UTC(2025, 0, 15, 9, 30),
    step: 4,
    maxSteps: 50,
    promptTokens: 18_432,
    completionTokens: 1_206,
    plan: [
      { title: 'Find the failing test', status: 'done' },
      { title: 'Fix add() in src/math.ts', status: 'in_progress' },
      { title: 'Add sum() and a test for it', status: 'pending' },
    ],
    items: [
      { kind: 'goal', text: 'Fix the failing test in src/math.ts and add a sum helper' },
      { kind: 'message', text: 'I will look at the tests first.', streaming: false },
      {
        kind: 'tool',
        id: 'c1',
        name: 'run_command',
        summary: 'npm test',
        status: 'error',
        output: 'FAIL test/math.test.ts\n  add(2, 2)\n    expected 4, got 0\n',
      },
      {
        kind: 'tool',
        id: 'c2',
        name: 'read_file',
        summary: 'src/math.ts (lines 1-20)',
        status: 'ok',
        output: 'export function add(a: number, b: number): number {\n  return a - b;\n}\n',
      },
      { kind: 'notice', text: 'Model request failed (timeout); retrying.', tone: 'warning' },
      {
        kind: 'message',
        streaming: false,
        text: 'The bug is in **`add`**: it subtracts. The fix:\n\n```ts\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n```\n\nSee [the docs](https://example.com/docs) for details.\n\n- fix `add`\n- add `sum`',
      },
      { kind: 'tool', id: 'c3', name: 'search', summary: '"add(" in src', status: 'denied', output: '' },
      { kind: 'tool', id: 'c4', name: 'edit_file', summary: 'src/math.ts', status: 'running', output: '' },
      { kind: 'message', text: 'Waiting for your approval of the edit', streaming: true },
    ],
    pendingApproval: {
      approvalId: 'a-1',
      toolCallId: 'c4',
      tool: 'edit_file',
      risk: 'edit',
      title: 'Edit src/math.ts',
      detail: DIFF,
      hasDiff: true,
    },
  };
}

export function planTask(): TaskView {
  const task = sampleTask();
  task.id = 't-plan';
  task.items = task.items.slice(0, 2);
  task.plan = [];
  task.step = 1;
  task.pendingApproval = undefined;
  task.pendingPlan = {
    approvalId: 'p-1',
    steps: [
      { title: 'Run the tests to see what fails', status: 'pending' },
      { title: 'Fix add() in src/math.ts', status: 'pending' },
      { title: 'Add sum() with a test', status: 'pending' },
    ],
  };
  return task;
}

export function commandTask(): TaskView {
  const task = sampleTask();
  task.id = 't-command';
  task.pendingApproval = {
    approvalId: 'a-cmd',
    toolCallId: 'c9',
    tool: 'run_command',
    risk: 'execute',
    title: 'Run a command',
    detail: 'npm test -- --runInBand',
    protectedPaths: ['.vscode/settings.json'],
    hasDiff: false,
  };
  return task;
}

/** A command with parts: one allowed by a rule, one missing a rule, one writing a file; a rule on offer. */
export function ruledCommandTask(): TaskView {
  const task = sampleTask();
  task.id = 't-ruled';
  task.pendingApproval = {
    approvalId: 'a-rule',
    toolCallId: 'c10',
    tool: 'run_command',
    risk: 'execute',
    title: 'Run: npm test && touch done.txt && git log > log.txt',
    detail: 'npm test && touch done.txt && git log > log.txt',
    hasDiff: false,
    command: {
      parts: [
        { text: 'npm test', status: 'allowed', reasons: [], rule: 'npm test' },
        { text: 'touch done.txt', status: 'ask', reasons: ['`touch` is not in your allowed commands'] },
        { text: 'git log > log.txt', status: 'ask', reasons: ['writes to a file (log.txt)'], rule: 'git log *' },
      ],
      problems: [],
      rules: { exact: ['touch done.txt'], anyArguments: ['touch *'] },
    },
  };
  return task;
}

export const sampleHistory = [
  { id: 't-sample', goal: 'Fix the failing test in src/math.ts and add a sum helper', status: 'running' as const, createdAt: Date.UTC(2025, 0, 15, 9, 30) },
  { id: 't-old1', goal: 'Rename the config loader and update its callers', status: 'finished' as const, createdAt: Date.UTC(2025, 0, 14, 16, 5) },
  { id: 't-old2', goal: 'Add a --json flag to the CLI', status: 'failed' as const, createdAt: Date.UTC(2025, 0, 13, 11, 0) },
  { id: 't-old3', goal: 'Upgrade the test runner', status: 'interrupted' as const, createdAt: Date.UTC(2025, 0, 12, 8, 45) },
];

/** A finished task of `n` items: mostly markdown messages, every third one a tool card. */
export function bigTask(n: number): TaskView {
  const items: TaskView['items'] = [{ kind: 'goal', text: 'A long task' }];
  for (let i = 1; i < n; i++) {
    if (i % 3 === 0) {
      items.push({
        kind: 'tool',
        id: `c${i}`,
        name: i % 2 ? 'read_file' : 'run_command',
        summary: `src/file${i}.ts`,
        status: i % 7 ? 'ok' : 'error',
        output: `line 1 of output ${i}\nline 2\n`,
      });
    } else {
      items.push({
        kind: 'message',
        streaming: false,
        text: `Step ${i}: reading **src/file${i}.ts** to check \`fn${i}()\`.\n\n- one point\n- another point with a [link](https://example.com/${i})`,
      });
    }
  }
  return {
    id: 't-big',
    goal: 'A long task',
    status: 'finished',
    createdAt: Date.now(),
    step: 50,
    maxSteps: 50,
    promptTokens: 1_000_000,
    completionTokens: 50_000,
    plan: [],
    items,
    summary: 'done',
  };
}
