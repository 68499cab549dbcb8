/** update_plan: the plan the user sees, as a checklist. */
import * as z from 'zod';
import { defineTool } from './defineTool';

export const updatePlan = defineTool({
  name: 'update_plan',
  description: 'Set the plan (short steps). Call first, then when a step changes status.',
  risk: 'none',
  schema: z.object({
    steps: z.array(z.object({ title: z.string().min(1), status: z.enum(['pending', 'in_progress', 'done']) })).min(1),
  }),
  async run(args) {
    return { ok: true, output: 'Plan updated.', plan: args.steps };
  },
});
