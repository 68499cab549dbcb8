/** run_task: a VS Code task by label, or a package.json script by name. */
import * as l10n from '@vscode/l10n';
import * as z from 'zod';
import { defineTool, deniedResult } from './defineTool';
import { commandResultText } from './commandResult';

export const runTask = defineTool({
  name: 'run_task',
  description: 'Run a task by name: a .vscode/tasks.json label or a package.json script (e.g. "test").', // l10n-ignore: for the model
  risk: 'execute',
  schema: z.object({ name: z.string().min(1) }),
  async run(args, ctx) {
    // Show what the task really runs: a repository's tasks.json decides that, not the name.
    const task = await ctx.host.describeTask(args.name);
    const command = await ctx.checkCommand?.(task.commands);
    const decision = await ctx.approve({
      tool: 'run_task',
      risk: 'execute',
      title: l10n.t('Run task: {0}', args.name),
      detail: task.text,
      paths: command?.protectedPaths ?? [],
      ...(command ? { command } : {}),
    });
    if (!decision.approved) return deniedResult(decision);
    const timeoutS = ctx.limits.commandTimeoutS;
    const result = await ctx.host.runTask(args.name, { timeoutMs: timeoutS * 1000, signal: ctx.signal, onOutput: ctx.onOutput });
    return commandResultText(result, timeoutS, ctx.limits.maxOutputChars);
  },
});
