/** run_command: a shell command in the workspace, non-interactive, with a timeout; output capped. */
import * as l10n from '@vscode/l10n';
import * as z from 'zod';
import { defineTool, deniedResult } from './defineTool';
import { commandResultText } from './commandResult';

export const runCommand = defineTool({
  name: 'run_command',
  description: 'Run a shell command in the workspace root (non-interactive). Returns exit code and output.', // l10n-ignore: for the model
  risk: 'execute',
  schema: z.object({
    command: z.string().min(1),
    timeout_s: z.number().positive().optional(),
  }),
  async run(args, ctx) {
    const command = await ctx.checkCommand?.(args.command);
    const decision = await ctx.approve({
      tool: 'run_command',
      risk: 'execute',
      title: l10n.t('Run: {0}', args.command),
      detail: args.command,
      paths: command?.protectedPaths ?? [],
      ...(command ? { command } : {}),
    });
    if (!decision.approved) return deniedResult(decision);
    const timeoutS = Math.min(args.timeout_s ?? ctx.limits.commandTimeoutS, ctx.limits.maxCommandTimeoutS);
    const result = await ctx.host.runCommand(args.command, { timeoutMs: timeoutS * 1000, signal: ctx.signal, onOutput: ctx.onOutput });
    return commandResultText(result, timeoutS, ctx.limits.maxOutputChars);
  },
});
