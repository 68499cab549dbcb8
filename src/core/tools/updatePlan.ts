/** update_plan: the plan the user sees, as a checklist. */
// l10n-ignore-file: tool description and results are for the model (planAccepted reads them back)
import * as z from 'zod';
import { defineTool } from './defineTool';

const PLAN_UPDATED = 'Plan updated.';
const EDITED_PLAN = 'The user approved an edited plan; follow it:';

/** Whether an update_plan result says the plan was taken (as written, or as the user edited it). */
export function planAccepted(output: string): boolean {
  return output === PLAN_UPDATED || output.startsWith(EDITED_PLAN);
}

export const updatePlan = defineTool({
  name: 'update_plan',
  description: 'Set the plan (short steps). Call first, then when a step changes status.',
  risk: 'none',
  schema: z.object({
    steps: z.array(z.object({ title: z.string().min(1), status: z.enum(['pending', 'in_progress', 'done']) })).min(1),
  }),
  async run(args, ctx) {
    const review = ctx.reviewPlan ? await ctx.reviewPlan(args.steps) : { approved: true as const, steps: args.steps, edited: false };
    if (!review.approved) {
      return { ok: false, output: `The user did not approve this plan: "${review.feedback}". Propose a new plan with update_plan.` };
    }
    ctx.effect({ kind: 'plan', steps: review.steps });
    if (review.edited) {
      const steps = review.steps.map((s, i) => `${i + 1}. ${s.title} (${s.status})`).join('\n');
      return { ok: true, output: `${EDITED_PLAN}\n${steps}` };
    }
    return { ok: true, output: PLAN_UPDATED };
  },
});
