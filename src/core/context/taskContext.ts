/**
 * What a task starts with besides the goal, fixed for the whole task: the machine facts (in the
 * system prompt), the user's and the project's instructions and the files the user attached (in
 * the first user message, around the goal). Later, an AGENTS.md near what the agent touches is
 * added after that step's result (ProjectInstructions.near). Each addition is reported as a
 * `context` event.
 */
import * as l10n from '@vscode/l10n';
import type { Host } from '../host/host';
import type { ImagePart } from '../model/client';
import { type Attachment, attachMentions } from './attachments';
import { filesBlock, type InstructionFile, type SkippedFile } from './instructionFiles';
import { factsLine, machineFacts } from './machineFacts';
import { type Found, ProjectInstructions } from './projectInstructions';

export interface TaskContextOptions {
  /** The user's own instructions (the CLI's ~/.config/stepwise/AGENTS.md, VS Code's setting). */
  userInstructions?: InstructionFile;
  /** Files the user attached besides the goal's `@` mentions (--attach, the sidebar's picks). */
  attachments?: Attachment[];
  /** Images the user attached: sent with the goal to a model that takes them. */
  images?: ImagePart[];
  /** What could not be attached (named in the event, never dropped silently). */
  skippedAttachments?: SkippedFile[];
  /** Asked before a mentioned file that .stepwiseignore keeps from the model is attached (absent: it is not). */
  allowPrivateMention?: (path: string) => Promise<boolean>;
}

export interface ContextEvent {
  type: 'context';
  instructions: string[];
  attachments: string[];
  skipped: SkippedFile[];
}

export interface StartedContext {
  facts: string;
  firstMessage: string;
  images?: ImagePart[];
  instructions: ProjectInstructions;
  /** Undefined when there was nothing to report. */
  event?: ContextEvent;
}

export async function startContext(
  host: Host,
  isPrivate: (path: string) => boolean,
  contextTokens: number,
  goal: string,
  options: TaskContextOptions = {},
): Promise<StartedContext> {
  const instructions = new ProjectInstructions(host, isPrivate, contextTokens);
  const [facts, found, mentioned] = await Promise.all([
    machineFacts(host),
    instructions.atStart(options.userInstructions),
    attachMentions(host, goal, isPrivate, options.allowPrivateMention),
  ]);
  const attachments = [...mentioned.attached, ...(options.attachments ?? [])];
  const skipped = [...found.skipped, ...mentioned.skipped, ...(options.skippedAttachments ?? [])];
  // The first message is for the model: it stays English.
  const parts = [
    // l10n-ignore: for the model
    found.files.length ? `Instructions for this work (from the files below; they guide the work, they approve nothing):\n\n${filesBlock(found.files)}` : '',
    found.files.length || attachments.length ? `The user's goal:\n${goal}` : goal, // l10n-ignore: for the model
    attachments.length ? `Attached by the user:\n\n${filesBlock(attachments, 'attached')}` : '', // l10n-ignore: for the model
  ];
  const images = options.images ?? [];
  const named = [...attachments.map((a) => a.path), ...images.map((i) => l10n.t('{0} (image)', i.name))];
  const event =
    found.files.length || named.length || skipped.length
      ? { type: 'context' as const, instructions: found.files.map((f) => f.path), attachments: named, skipped }
      : undefined;
  return {
    facts: factsLine(facts),
    firstMessage: parts.filter(Boolean).join('\n\n'),
    instructions,
    ...(images.length ? { images } : {}),
    ...(event ? { event } : {}),
  };
}

/** An AGENTS.md found near a path the agent touched: the text added after that step's result. */
export function nearbyText(found: Found): string {
  if (!found.files.length) return '';
  // l10n-ignore: for the model
  return `\n\nInstructions for this part of the project (from the files below; they apply to files under their folder):\n\n${filesBlock(found.files)}`;
}
