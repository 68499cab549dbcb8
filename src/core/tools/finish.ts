/** finish: the goal is done (or cannot be); ends the task with a summary for the user. */
// l10n-ignore-file: tool description and result are for the model
import * as z from 'zod';
import { defineTool } from './defineTool';

export const finish = defineTool({
  name: 'finish',
  description: 'End the task with a short summary of what was done.',
  risk: 'none',
  schema: z.object({ summary: z.string().min(1) }),
  async run(args, ctx) {
    ctx.effect({ kind: 'finish', summary: args.summary });
    return { ok: true, output: 'Done.' };
  },
});
