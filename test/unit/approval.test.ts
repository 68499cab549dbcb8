import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApprovalGate } from '../../src/core/agent/approvalGate';
import type { AgentEvent, ApprovalAnswer, ApprovalRequest } from '../../src/core/agent/events';
import { decide, DEFAULT_POLICY, policyFromLevel, ProtectedPaths } from '../../src/core/approval';

const edit = (path: string) => ({ tool: 'edit_file', risk: 'edit' as const, title: `Edit ${path}`, paths: [path] });
const command = { tool: 'run_command', risk: 'execute' as const, title: 'Run: ls', detail: 'ls', paths: [] };

describe('approval policy', () => {
  test('defaults: reads run, edits and commands ask', () => {
    assert.equal(decide('read', DEFAULT_POLICY, false), 'allow');
    assert.equal(decide('edit', DEFAULT_POLICY, false), 'ask');
    assert.equal(decide('execute', DEFAULT_POLICY, false), 'ask');
    assert.equal(decide('none', DEFAULT_POLICY, false), 'allow');
  });

  test('--approve levels map to policies', () => {
    assert.deepEqual(policyFromLevel('none'), { read: 'ask', edit: 'ask', execute: 'ask' });
    assert.deepEqual(policyFromLevel('reads'), { read: 'auto', edit: 'ask', execute: 'ask' });
    assert.deepEqual(policyFromLevel('edits'), { read: 'auto', edit: 'auto', execute: 'ask' });
    assert.deepEqual(policyFromLevel('all'), { read: 'auto', edit: 'auto', execute: 'auto', mcp: 'auto' }, 'only --approve all runs MCP calls without asking');
  });

  test('protected paths ask even when everything is auto-approved', () => {
    assert.equal(decide('edit', policyFromLevel('all'), true), 'ask');
  });

  test('protected paths: .vscode, .git, workspace files, .stepwiseignore rules', () => {
    const paths = new ProtectedPaths('secrets/\n*.pem\n');
    for (const p of [
      '.vscode/settings.json',
      '.vscode/tasks.json',
      '.git/config',
      '.git/hooks/pre-commit',
      'app.code-workspace',
      'sub/x.code-workspace',
      'secrets/key.txt',
      'certs/server.pem',
      '.stepwiseignore',
      '.VSCode/settings.json',
    ]) {
      assert.equal(paths.matches(p), true, p);
    }
    for (const p of ['src/a.ts', 'README.md', 'vscode/notes.md', '.github/workflows/ci.yml', '']) {
      assert.equal(paths.matches(p), false, p);
    }
  });
});

describe('approval gate', () => {
  const events: AgentEvent[] = [];
  const signal = new AbortController().signal;
  const answering = (...answers: ApprovalAnswer[]) => {
    const asked: ApprovalRequest[] = [];
    return { asked, approver: async (r: ApprovalRequest) => (asked.push(r), answers.shift() ?? { decision: 'deny' as const }) };
  };

  test('without an approver, a step that needs approval is denied with a reason for the model', async () => {
    const gate = new ApprovalGate(DEFAULT_POLICY, new ProtectedPaths(), undefined, (e) => events.push(e));
    const outcome = await gate.approve(command, 'c1', signal);
    assert.equal(outcome.approved, false);
    assert.match(!outcome.approved ? outcome.reason : '', /no one can approve/);
    assert.deepEqual(events.at(-1), { type: 'approval', id: 'c1', decision: 'denied', by: 'policy' }, 'no one was asked: the policy denied it');
  });

  test('a denial carries the user feedback', async () => {
    const { approver } = answering({ decision: 'deny', feedback: 'use pnpm' });
    const gate = new ApprovalGate(DEFAULT_POLICY, new ProtectedPaths(), approver, () => {});
    const outcome = await gate.approve(command, 'c1', signal);
    assert.deepEqual(outcome, { approved: false, reason: 'The user denied this step.', feedback: 'use pnpm' });
  });

  test('"y 3" approves this step and the next two, then asks again', async () => {
    const { asked, approver } = answering({ decision: 'approve_next', count: 3 }, { decision: 'deny' });
    const gate = new ApprovalGate(DEFAULT_POLICY, new ProtectedPaths(), approver, () => {});
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await gate.approve(command, `c${i}`, signal)).approved);
    assert.deepEqual(results, [true, true, true, false]);
    assert.equal(asked.length, 2);
  });

  test('"always" covers its risk class only, and never a protected path', async () => {
    const { asked, approver } = answering({ decision: 'always' }, { decision: 'deny' }, { decision: 'deny' });
    const gate = new ApprovalGate(DEFAULT_POLICY, new ProtectedPaths(), approver, () => {});
    assert.equal((await gate.approve(edit('a.ts'), '1', signal)).approved, true);
    assert.equal((await gate.approve(edit('b.ts'), '2', signal)).approved, true);
    assert.equal((await gate.approve(edit('.vscode/settings.json'), '3', signal)).approved, false);
    assert.equal((await gate.approve(command, '4', signal)).approved, false);
    assert.equal(asked.length, 3);
    assert.deepEqual(asked[1]?.protectedPaths, ['.vscode/settings.json']);
  });

  test('auto-approve covers edits, but a protected path is still asked', async () => {
    const { asked, approver } = answering({ decision: 'deny' });
    const gate = new ApprovalGate(policyFromLevel('all'), new ProtectedPaths(), approver, () => {});
    assert.equal((await gate.approve(edit('src/a.ts'), '1', signal)).approved, true);
    assert.equal((await gate.approve(edit('.git/config'), '2', signal)).approved, false);
    assert.equal(asked.length, 1);
  });
});

test('review paths are never covered by standing answers ("always", "the next N"), like protected paths', async () => {
  const { ApprovalGate } = await import('../../src/core/agent/approvalGate');
  const { ProtectedPaths } = await import('../../src/core/approval');
  const asked: string[] = [];
  const gate = new ApprovalGate(
    { read: 'auto', edit: 'ask', execute: 'ask' },
    new ProtectedPaths(),
    async (r) => (asked.push(r.title), { decision: 'always' }),
    () => undefined,
    ['src/target.ts'],
  );
  const step = (path: string) => ({ tool: 'edit_file', risk: 'edit' as const, title: `Edit ${path}`, paths: [path] });
  const signal = new AbortController().signal;
  assert.equal((await gate.approve(step('src/other.ts'), 'c1', signal)).approved, true);
  assert.equal((await gate.approve(step('src/other2.ts'), 'c2', signal)).approved, true);
  assert.equal((await gate.approve(step('src/target.ts'), 'c3', signal)).approved, true);
  assert.deepEqual(asked, ['Edit src/other.ts', 'Edit src/target.ts'], 'always covered other2, never the review path');
});
