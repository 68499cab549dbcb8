/**
 * Stepwise: Create AGENTS.md — a task like any other: the agent looks at the workspace and writes
 * the file, which is a protected path, so the write is always shown and asked (even with edits
 * auto-approved).
 */
export const CREATE_AGENTS_MD_TITLE = 'Create AGENTS.md';

export const CREATE_AGENTS_MD_GOAL = [
  'Draft an AGENTS.md at the root of the workspace (the first folder) for coding agents that work here.',
  'First look at the workspace: the README, the package or build files, the CI configuration, the layout of the source and test folders.',
  'Then write it with write_file (or improve the existing one with edit_file): the exact commands to install, build, test and lint;',
  'where the code lives and how it is organised; the conventions to follow; what a newcomer tends to get wrong.',
  'Keep it short (under 60 lines) and only state what you saw in the workspace.',
].join(' ');
