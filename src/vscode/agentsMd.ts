/**
 * Stepwise: Create AGENTS.md — a task like any other: the agent looks at the workspace and writes
 * the file, which is a protected path, so the write is always shown and asked (even with edits
 * auto-approved).
 */
import * as l10n from '@vscode/l10n';

/** The task's title in the history (the language is known only once the extension is active). */
export const createAgentsMdTitle = (): string => l10n.t('Create AGENTS.md');

// The goal is text for the model: it stays English.
export const CREATE_AGENTS_MD_GOAL = [
  // l10n-ignore: goal for the model
  'Draft an AGENTS.md at the root of the workspace (the first folder) for coding agents that work here.',
  // l10n-ignore: goal for the model
  'First look at the workspace: the README, the package or build files, the CI configuration, the layout of the source and test folders.',
  // l10n-ignore: goal for the model
  'Then write it with write_file (or improve the existing one with edit_file): the exact commands to install, build, test and lint;',
  // l10n-ignore: goal for the model
  'where the code lives and how it is organised; the conventions to follow; what a newcomer tends to get wrong.',
  // l10n-ignore: goal for the model
  'Keep it short (under 60 lines) and only state what you saw in the workspace.',
].join(' ');
