/**
 * What the user approves is readable on the card: a 300-character command wraps (a longer one
 * scrolls inside the card, its length said), a plan's long steps show whole. Screenshots of both,
 * light and dark, in test-results/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planTask, sampleTask } from './sampleTasks';
import { assert, show, type Case } from './support';

const RESULTS = path.join(__dirname, '..', '..', 'test-results');
const LONG_COMMAND = `npx --yes eslint@9 --max-warnings 0 --rule 'no-unused-vars: error' --ignore-pattern 'dist/**' --ignore-pattern 'coverage/**' src/core src/cli src/vscode && node --test --test-reporter=spec --test-concurrency=1 test/unit/**/*.test.js && curl -fsS https://example.org/report -d @out.json -H 'x-run: ci'`;
const LONG_STEPS = [
  'Run the unit tests with the spec reporter to see exactly which of the arithmetic tests fail and with what message, before touching any code',
  'Fix add() in src/math.ts so that it adds its two arguments, keeping the existing signature, the JSDoc comment above it and the NaN guard the callers rely on',
  'Add sum() that folds add() over an array, with a test for an empty array, a single element and a long list of mixed negative and positive numbers',
];

const unclipped = (el: any) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1;

export const readabilityCases: Case[] = [
  [
    'a 300-character command is shown whole and wrapped with its length; the plan review shows long steps whole (screenshots light and dark)',
    async ({ harness }) => {
      assert.equal(LONG_COMMAND.length, 300);
      fs.mkdirSync(RESULTS, { recursive: true });
      for (const theme of ['light', 'dark'] as const) {
        const page = await harness.open(theme, { width: 360, height: 900 });
        try {
          const task = sampleTask();
          task.pendingApproval = {
            approvalId: 'a-long',
            toolCallId: 'c-long',
            tool: 'run_command',
            risk: 'execute',
            title: 'Run a command',
            detail: LONG_COMMAND,
            hasDiff: false,
          };
          await show(page, task);
          const command = page.locator('[data-testid=approval-card] pre.command');
          assert.equal(await command.innerText(), LONG_COMMAND, 'every character is there');
          assert.equal(await command.evaluate(unclipped), true, 'wrapped inside the card, nothing cut or hidden');
          assert.equal(await page.locator('[data-testid=command-length]').innerText(), `${LONG_COMMAND.length} characters`);
          await page.locator('[data-testid=approval-card]').screenshot({ path: path.join(RESULTS, `card-long-command-${theme}.png`) });

          // Ten times as long: it scrolls inside its box; the box stays inside the card.
          task.pendingApproval = { ...task.pendingApproval, approvalId: 'a-longer', detail: Array(10).fill(LONG_COMMAND).join(' && ') };
          await show(page, task);
          const box = await command.evaluate((el) => ({ scrolls: el.scrollHeight > el.clientHeight, width: el.scrollWidth <= el.clientWidth + 1 }));
          assert.deepEqual(box, { scrolls: true, width: true });

          const plan = planTask();
          plan.pendingPlan!.steps = LONG_STEPS.map((title) => ({ title, status: 'pending' as const }));
          await show(page, plan);
          const steps = page.locator('[data-testid=plan-step-input]');
          for (let i = 0; i < LONG_STEPS.length; i++) {
            assert.equal(await steps.nth(i).inputValue(), LONG_STEPS[i]);
            assert.equal(await steps.nth(i).evaluate(unclipped), true, `step ${i + 1} is shown whole`);
          }
          await steps.nth(0).press('End');
          await steps.nth(0).press('Enter');
          assert.equal(await steps.nth(0).inputValue(), LONG_STEPS[0], 'Enter adds no line break to a step');
          await page.locator('[data-testid=plan-card]').screenshot({ path: path.join(RESULTS, `plan-long-steps-${theme}.png`) });
        } finally {
          await page.close();
        }
      }
    },
  ],
];
