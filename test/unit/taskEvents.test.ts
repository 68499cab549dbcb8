import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toTaskEvents } from '../../src/vscode/taskEvents';

describe('the task view of what a task was given', () => {
  test('instructions, attachments and what was not read become notices', () => {
    assert.deepEqual(
      toTaskEvents({
        type: 'context',
        instructions: ['AGENTS.md', 'pkg/AGENTS.md'],
        attachments: ['src/math.js'],
        skipped: [{ path: 'CLAUDE.md', reason: 'not read: it leads outside the workspace' }],
      }),
      [
        { type: 'notice', text: 'Instructions: AGENTS.md, pkg/AGENTS.md', tone: 'info' },
        { type: 'notice', text: 'Attached: src/math.js', tone: 'info' },
        { type: 'notice', text: 'CLAUDE.md: not read: it leads outside the workspace', tone: 'warning' },
      ],
    );
  });
});
