/**
 * The extension ⇄ webview protocol: one zod discriminated union per direction. Both sides
 * safeParse every message; anything invalid (unknown type, extra or missing fields, too large) is
 * dropped and logged. Strict objects: an extra field makes a message invalid.
 */
import * as z from 'zod';

const MAX_TEXT = 20_000;
const id = z.string().min(1).max(100);

export const planStepSchema = z.strictObject({
  title: z.string().min(1).max(500),
  status: z.enum(['pending', 'in_progress', 'done']),
});
export type PlanStepView = z.infer<typeof planStepSchema>;

/**
 * What `@` can point at in the composer: a workspace file or folder, a web page, or one of the
 * named sources; and what `/` at the start of the goal box offers: an MCP server's prompt.
 */
export const mentionSchema = z.strictObject({
  kind: z.enum(['file', 'folder', 'problems', 'selection', 'terminal', 'changes', 'url', 'resource', 'prompt']),
  /** The workspace path of a file or folder, the address of a page, `[server, uri]` / `[server, prompt]` as JSON for MCP ('' for the others). */
  value: z.string().max(2000),
  label: z.string().max(300),
});
export type MentionItem = z.infer<typeof mentionSchema>;

/** Images pasted or dropped into the goal box: at most MAX_IMAGES, each at most MAX_IMAGE_BYTES. */
export const MAX_IMAGES = 4;
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const imageSchema = z.strictObject({
  name: z.string().min(1).max(200),
  mimeType: z.enum(['image/png', 'image/jpeg', 'image/gif', 'image/webp']),
  /** Base64 of at most MAX_IMAGE_BYTES. */
  data: z
    .string()
    .max(Math.ceil(MAX_IMAGE_BYTES / 3) * 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/),
});
export type ImageView = z.infer<typeof imageSchema>;
/** A goal with images may be this large; every other message stays under MAX_MESSAGE_CHARS. */
export const MAX_START_CHARS = MAX_IMAGES * (Math.ceil(MAX_IMAGE_BYTES / 3) * 4 + 400) + 2 * MAX_TEXT;

/** What the webview may ask. Approvals name an id the extension handed out; it never sends arguments to run. */
export const webviewToExtension = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({
    type: z.literal('start'),
    goal: z.string().trim().min(1).max(MAX_TEXT),
    mentions: z.array(mentionSchema).max(20).optional(),
    images: z.array(imageSchema).max(MAX_IMAGES).optional(),
  }),
  /** The `@` picker asks what matches what was typed after the `@`. */
  z.strictObject({ type: z.literal('mentionQuery'), query: z.string().max(200), requestId: z.number().int().nonnegative() }),
  /** The `/` picker (at the start of the goal box) asks which MCP prompts match; answered with mentionResults. */
  z.strictObject({ type: z.literal('promptQuery'), query: z.string().max(200), requestId: z.number().int().nonnegative() }),
  /** A prompt was picked: the extension asks for its arguments and answers with promptFilled (or composerError). */
  z.strictObject({ type: z.literal('usePrompt'), value: z.string().max(2000) }),
  /** Files dropped on the composer (from the Explorer): the extension turns them into mentions. */
  z.strictObject({ type: z.literal('dropped'), uris: z.array(z.string().max(2000)).max(50) }),
  z.strictObject({ type: z.literal('stop') }),
  /** Compact the running task's context before its next request. */
  z.strictObject({ type: z.literal('compact') }),
  z.strictObject({ type: z.literal('newTask') }),
  z.strictObject({
    type: z.literal('decide'),
    approvalId: id,
    decision: z.enum(['approve', 'reject', 'approve_next', 'always', 'allow_rule']),
    count: z.number().int().min(1).max(100).optional(),
    /** allow_rule: the offered rule with `*` (any arguments) instead of the exact words. The extension holds the rules. */
    anyArguments: z.boolean().optional(),
    feedback: z.string().max(4000).optional(),
  }),
  z.strictObject({
    type: z.literal('decidePlan'),
    approvalId: id,
    decision: z.enum(['approve', 'feedback']),
    steps: z.array(planStepSchema).min(1).max(50).optional(),
    feedback: z.string().max(4000).optional(),
  }),
  z.strictObject({ type: z.literal('viewDiff'), approvalId: id }),
  /** The page has put this approval (or plan) card on screen: no notification is needed for it. */
  z.strictObject({ type: z.literal('shown'), approvalId: id }),
  /** Open the full text of a tool's output the panel shows shortened. */
  z.strictObject({ type: z.literal('openOutput'), toolId: id }),
  z.strictObject({ type: z.literal('openTask'), taskId: id }),
  z.strictObject({ type: z.literal('openLink'), url: z.string().max(2000) }),
  /** Restore the workspace to right before this step (the extension shows the list and asks). */
  z.strictObject({ type: z.literal('restore'), toolId: id }),
  /** A multi-file diff of what changed since this step. */
  z.strictObject({ type: z.literal('viewChanges'), toolId: id }),
  z.strictObject({ type: z.literal('undoRestore') }),
  /** The setup card and the model bar: each action runs a command the user could run from the palette. */
  z.strictObject({
    type: z.literal('setupAction'),
    action: z.enum(['useLm', 'findServer', 'apiKey', 'chooseModel', 'checkSetup', 'copyPull', 'copyInstall', 'useEmbedded']),
  }),
]);
export type WebviewMessage = z.infer<typeof webviewToExtension>;

export type TaskStatus = 'running' | 'finished' | 'failed' | 'cancelled' | 'max_steps' | 'interrupted';

/** A step waiting for the user, as the panel shows it. */
export interface ApprovalView {
  approvalId: string;
  toolCallId: string;
  tool: string;
  risk: 'read' | 'edit' | 'execute';
  title: string;
  /** The unified diff of an edit, or the full command line. */
  detail?: string;
  protectedPaths?: string[];
  /** An edit with a proposed file: the panel offers "View diff". */
  hasDiff: boolean;
  /** A command's parts, which need approval and why, and the rule "Always allow" would save. */
  command?: CommandView;
  /** A web fetch: "Always allow" covers this host (for the task), not a kind of step. */
  host?: string;
  /** An MCP tool: "Always allow" covers this tool (for the task); the server's read-only claim is shown, not trusted. */
  /** fromWorkspace: a server the workspace defines, which no saved allow covers ("always" lasts for the task). */
  mcpTool?: { server: string; tool: string; readOnlyHint?: boolean; fromWorkspace?: boolean };
}

export interface CommandView {
  parts: { text: string; status: 'allowed' | 'ask' | 'denied'; reasons: string[]; rule?: string }[];
  /** Why the command as a whole is asked (a parse error, a here-document…). */
  problems: string[];
  /** What "Always allow" saves: the exact words, or with any arguments. */
  rules?: { exact: string[]; anyArguments: string[] };
}

export interface PlanApprovalView {
  approvalId: string;
  steps: PlanStepView[];
}

export type TaskItem =
  | { kind: 'goal'; text: string }
  | { kind: 'message'; text: string; streaming: boolean }
  | {
      kind: 'tool';
      id: string;
      name: string;
      summary: string;
      status: 'running' | 'ok' | 'error' | 'denied' | 'interrupted';
      output: string;
      /** A checkpoint was recorded before this step: the panel offers Restore to here. */
      checkpoint?: number;
    }
  | { kind: 'notice'; text: string; tone: 'info' | 'warning' | 'error' }
  /** Older turns were summarised: the line, and the summary the model now works from. */
  | { kind: 'compaction'; text: string; summary: string };

export interface TaskView {
  id: string;
  goal: string;
  status: TaskStatus;
  createdAt: number;
  items: TaskItem[];
  plan: PlanStepView[];
  pendingApproval?: ApprovalView;
  pendingPlan?: PlanApprovalView;
  step: number;
  maxSteps: number;
  promptTokens: number;
  completionTokens: number;
  /** Estimated cost so far, for a priced hosted model. */
  costUsd?: number;
  summary?: string;
  /** The checkpoint task of this run (its steps can be restored). */
  checkpointTask?: string;
  /** A restore was made from this task and can be undone. */
  restored?: boolean;
}

export interface TaskSummary {
  id: string;
  goal: string;
  status: TaskStatus;
  createdAt: number;
}

/** Incremental changes to the open task; the same reducer (taskReducer.ts) runs on both sides. */
export type TaskEvent =
  | { type: 'step'; step: number; maxSteps: number }
  | { type: 'message_delta'; text: string }
  | { type: 'message'; text: string }
  | { type: 'plan'; steps: PlanStepView[] }
  | { type: 'tool_call'; id: string; name: string; summary: string }
  | { type: 'tool_output'; id: string; chunk: string }
  | { type: 'tool_result'; id: string; ok: boolean; output: string }
  | { type: 'denied'; id: string; feedback?: string }
  | { type: 'usage'; totalPromptTokens: number; totalCompletionTokens: number; costUsd?: number }
  | { type: 'retry'; reason: string }
  | { type: 'approval_request'; approval: ApprovalView }
  | { type: 'plan_request'; plan: PlanApprovalView }
  | { type: 'approval_resolved'; approvalId: string }
  | { type: 'notice'; text: string; tone: 'info' | 'warning' | 'error' }
  | { type: 'done'; status: Exclude<TaskStatus, 'running' | 'interrupted'>; summary: string }
  | { type: 'checkpoint'; id: string; step: number; task: string }
  | { type: 'restored'; undoable: boolean }
  | { type: 'compaction'; text: string; summary: string };

/** The model bar and the setup card. */
export interface SetupView {
  /** The model in use and where it runs ("qwen2.5-coder:7b", "Ollama, local"); undefined until one is known. */
  model?: { name: string; where: string };
  /** Show the setup card: nothing is set up yet, or setting up the model failed (`reason`). */
  needed: boolean;
  reason?: string;
  /** VS Code offers language models (Copilot or another provider), and the user has not declined them. */
  lmAvailable: boolean;
  /** Why VS Code's language models cannot be used, when they are there but refused. */
  lmNote?: string;
}

/** The local model the setup card suggests pulling, and how Ollama is installed on Linux (each with a Copy button). */
// l10n-ignore: commands, shown as typed
export const PULL_COMMAND = 'ollama pull qwen2.5-coder:7b';
// l10n-ignore: a command, shown as typed
export const INSTALL_COMMAND = 'curl -fsSL https://ollama.com/install.sh | sh';

export type ExtensionMessage =
  /** The interface language (VS Code's display language) and its bundle; sent first, before anything renders. */
  | { type: 'l10n'; locale: string; bundle: Record<string, string> }
  | { type: 'state'; task: TaskView | undefined; history: TaskSummary[]; running: boolean }
  | { type: 'event'; taskId: string; event: TaskEvent }
  | { type: 'history'; history: TaskSummary[] }
  | { type: 'setup'; setup: SetupView }
  | { type: 'mentionResults'; requestId: number; items: MentionItem[] }
  /** Mentions to add as chips (files dropped on the composer). */
  | { type: 'mentionsAdded'; items: MentionItem[] }
  /** Why the goal was not started (a mention that cannot be attached): shown in the composer, which keeps the goal. */
  | { type: 'composerError'; text: string; goal: string; mentions: MentionItem[] }
  /** A picked prompt's text, for the goal box (the user reads it, and may change it, before sending). */
  | { type: 'promptFilled'; text: string };

/** Validated on the webview side too: a compromised or buggy sender cannot crash the page. */
export const extensionToWebview = z.discriminatedUnion('type', [
  z.object({ type: z.literal('l10n'), locale: z.string().max(40), bundle: z.record(z.string().max(10_000), z.string().max(10_000)) }),
  z.object({ type: z.literal('state'), task: z.unknown().optional(), history: z.array(z.unknown()), running: z.boolean() }),
  z.object({ type: z.literal('event'), taskId: id, event: z.object({ type: z.string() }).loose() }),
  z.object({ type: z.literal('history'), history: z.array(z.unknown()) }),
  z.object({ type: z.literal('setup'), setup: z.object({}).loose() }),
  z.object({ type: z.literal('mentionResults'), requestId: z.number(), items: z.array(mentionSchema).max(100) }),
  z.object({ type: z.literal('mentionsAdded'), items: z.array(mentionSchema).max(50) }),
  z.object({ type: z.literal('composerError'), text: z.string().max(2000), goal: z.string().max(MAX_TEXT), mentions: z.array(mentionSchema).max(20) }),
  z.object({ type: z.literal('promptFilled'), text: z.string().max(MAX_TEXT) }),
]);

/** Messages larger than this are dropped unread (a runaway or hostile sender). */
export const MAX_MESSAGE_CHARS = 200_000;
