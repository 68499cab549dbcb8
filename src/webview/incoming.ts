/**
 * Validates what the extension sends. The protocol's envelope schema (`extensionToWebview`) leaves
 * the task, history and event payloads open; here they are checked in full before anything renders
 * them, so a malformed message is dropped with a log line instead of breaking the page. The schemas
 * are typed against the protocol's interfaces, so they cannot drift from them silently.
 */
import * as z from 'zod';
import { extensionToWebview, MAX_MESSAGE_CHARS, mentionSchema, planStepSchema } from '../protocol/messages';
import type { ApprovalView, MentionItem, PlanApprovalView, SetupView, TaskEvent, TaskItem, TaskStatus, TaskSummary, TaskView } from '../protocol/messages';

const str = z.string();
const num = z.number();
const status: z.ZodType<TaskStatus> = z.enum(['running', 'finished', 'failed', 'cancelled', 'max_steps', 'interrupted']);
const tone = z.enum(['info', 'warning', 'error']);

const item: z.ZodType<TaskItem> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('goal'), text: str }),
  z.object({ kind: z.literal('message'), text: str, streaming: z.boolean() }),
  z.object({
    kind: z.literal('tool'),
    id: str,
    name: str,
    summary: str,
    status: z.enum(['running', 'ok', 'error', 'denied', 'interrupted']),
    output: str,
    checkpoint: num.optional(),
  }),
  z.object({ kind: z.literal('notice'), text: str, tone }),
  z.object({ kind: z.literal('compaction'), text: str, summary: str }),
]);

const approval: z.ZodType<ApprovalView> = z.object({
  approvalId: str.min(1),
  toolCallId: str,
  tool: str,
  risk: z.enum(['read', 'edit', 'execute']),
  title: str,
  detail: str.optional(),
  protectedPaths: z.array(str).optional(),
  hasDiff: z.boolean(),
  command: z
    .object({
      parts: z.array(z.object({ text: str, status: z.enum(['allowed', 'ask', 'denied']), reasons: z.array(str), rule: str.optional() })),
      problems: z.array(str),
      rules: z.object({ exact: z.array(str).min(1), anyArguments: z.array(str).min(1) }).optional(),
    })
    .optional(),
  host: str.max(300).optional(),
  mcpTool: z.object({ server: str.max(300), tool: str.max(300), readOnlyHint: z.boolean().optional(), fromWorkspace: z.boolean().optional() }).optional(),
});

const planApproval: z.ZodType<PlanApprovalView> = z.object({ approvalId: str.min(1), steps: z.array(planStepSchema) });

const task: z.ZodType<TaskView> = z.object({
  id: str.min(1),
  goal: str,
  status,
  createdAt: num,
  items: z.array(item),
  plan: z.array(planStepSchema),
  pendingApproval: approval.optional(),
  pendingPlan: planApproval.optional(),
  step: num,
  maxSteps: num,
  promptTokens: num,
  completionTokens: num,
  costUsd: num.optional(),
  summary: str.optional(),
  checkpointTask: str.optional(),
  restored: z.boolean().optional(),
});

const summary: z.ZodType<TaskSummary> = z.object({ id: str.min(1), goal: str, status, createdAt: num });

const event: z.ZodType<TaskEvent> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('step'), step: num, maxSteps: num }),
  z.object({ type: z.literal('message_delta'), text: str }),
  z.object({ type: z.literal('message'), text: str }),
  z.object({ type: z.literal('plan'), steps: z.array(planStepSchema) }),
  z.object({ type: z.literal('tool_call'), id: str, name: str, summary: str }),
  z.object({ type: z.literal('tool_output'), id: str, chunk: str }),
  z.object({ type: z.literal('tool_result'), id: str, ok: z.boolean(), output: str }),
  z.object({ type: z.literal('denied'), id: str, feedback: str.optional() }),
  z.object({ type: z.literal('usage'), totalPromptTokens: num, totalCompletionTokens: num, costUsd: num.optional() }),
  z.object({ type: z.literal('retry'), reason: str }),
  z.object({ type: z.literal('approval_request'), approval }),
  z.object({ type: z.literal('plan_request'), plan: planApproval }),
  z.object({ type: z.literal('approval_resolved'), approvalId: str }),
  z.object({ type: z.literal('notice'), text: str, tone }),
  z.object({ type: z.literal('done'), status: z.enum(['finished', 'failed', 'cancelled', 'max_steps']), summary: str }),
  z.object({ type: z.literal('checkpoint'), id: str, step: num, task: str }),
  z.object({ type: z.literal('restored'), undoable: z.boolean() }),
  z.object({ type: z.literal('compaction'), text: str, summary: str }),
]);

const setup: z.ZodType<SetupView> = z.object({
  model: z.object({ name: str.max(300), where: str.max(300) }).optional(),
  needed: z.boolean(),
  reason: str.max(2000).optional(),
  lmAvailable: z.boolean(),
  lmNote: str.max(500).optional(),
});

export type Incoming =
  | { type: 'l10n'; locale: string; bundle: Record<string, string> }
  | { type: 'state'; task: TaskView | undefined; history: TaskSummary[]; running: boolean }
  | { type: 'event'; taskId: string; event: TaskEvent }
  | { type: 'history'; history: TaskSummary[] }
  | { type: 'setup'; setup: SetupView }
  | { type: 'mentionResults'; requestId: number; items: MentionItem[] }
  | { type: 'mentionsAdded'; items: MentionItem[] }
  | { type: 'composerError'; text: string; goal: string; mentions: MentionItem[] }
  | { type: 'promptFilled'; text: string };

const payload = z.discriminatedUnion('type', [
  z.object({ type: z.literal('l10n'), locale: str, bundle: z.record(str, str) }),
  z.object({ type: z.literal('state'), task: task.nullish().transform((t) => t ?? undefined), history: z.array(summary), running: z.boolean() }),
  z.object({ type: z.literal('event'), taskId: str, event }),
  z.object({ type: z.literal('history'), history: z.array(summary) }),
  z.object({ type: z.literal('setup'), setup }),
  z.object({ type: z.literal('mentionResults'), requestId: num, items: z.array(mentionSchema) }),
  z.object({ type: z.literal('mentionsAdded'), items: z.array(mentionSchema) }),
  z.object({ type: z.literal('composerError'), text: str, goal: str, mentions: z.array(mentionSchema) }),
  z.object({ type: z.literal('promptFilled'), text: str }),
]);

/** Returns the message, or undefined (with a console warning) when it is too large or malformed. */
export function parseIncoming(data: unknown): Incoming | undefined {
  let size: number;
  try {
    size = JSON.stringify(data)?.length ?? 0;
  } catch {
    console.warn('Stepwise: dropped a message that is not JSON');
    return undefined;
  }
  if (size > MAX_MESSAGE_CHARS) {
    console.warn(`Stepwise: dropped a message of ${size} characters (limit ${MAX_MESSAGE_CHARS})`);
    return undefined;
  }
  const envelope = extensionToWebview.safeParse(data);
  if (!envelope.success) {
    console.warn('Stepwise: dropped an invalid message', envelope.error.issues[0]);
    return undefined;
  }
  const full = payload.safeParse(data);
  if (!full.success) {
    console.warn(`Stepwise: dropped an invalid '${envelope.data.type}' message`, full.error.issues[0]);
    return undefined;
  }
  return full.data as Incoming;
}
