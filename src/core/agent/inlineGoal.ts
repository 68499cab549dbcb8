/**
 * The goal for an inline code-task request: the user's words plus the code they pointed at (the
 * selection, its file and the problems in range), scoped to that file unless the request needs more.
 */
// l10n-ignore-file: the inline goal is sent to the model

export interface InlineProblem {
  /** 1-based line. */
  line: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  source?: string;
}

export interface InlineTask {
  request: string;
  /** Workspace-relative path of the file. */
  path: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** What the range is, in words: "the selection", "function parse", "line 12". */
  what: string;
  code: string;
  /** The exact text selected, when it is only part of these lines ("rename this"). */
  selectedText?: string;
  languageId?: string;
  problems: InlineProblem[];
}

/** Longer selections are not pasted whole: the model reads the rest with read_file. */
const MAX_CODE_CHARS = 12_000;

export function inlineGoal(task: InlineTask): string {
  const lines = task.startLine === task.endLine ? `line ${task.startLine}` : `lines ${task.startLine}-${task.endLine}`;
  const code = task.code.length > MAX_CODE_CHARS ? `${task.code.slice(0, MAX_CODE_CHARS)}\n[… cut; read_file ${task.path} for the rest]` : task.code;
  const fence = code.includes('```') ? '~~~~' : '```';
  const parts = [
    `${task.request.trim()}`,
    '',
    `This is about ${task.what} in ${task.path} (${lines}):`,
    `${fence}${task.languageId ?? ''}`,
    code.replace(/\n$/, ''),
    fence,
  ];
  if (task.selectedText && task.selectedText.trim()) {
    parts.push(
      `The exact text selected in it: ${JSON.stringify(task.selectedText.length > 2000 ? `${task.selectedText.slice(0, 2000)}…` : task.selectedText)}`,
    );
  }
  if (task.problems.length > 0) {
    parts.push('Problems reported in this range:');
    for (const p of task.problems.slice(0, 20)) parts.push(`- line ${p.line} ${p.severity}${p.source ? ` (${p.source})` : ''}: ${p.message}`);
  }
  parts.push(
    '',
    `Change ${task.path} only, unless the request cannot be done without touching other files. Keep the rest of the file as it is. Copy search text for edit_file from the file as it is now. Call finish with one line saying what you changed.`,
  );
  return parts.join('\n');
}

/** A short title for the history: "src/math.ts:3-7: make it handle empty input". */
export function inlineTitle(task: Pick<InlineTask, 'request' | 'path' | 'startLine' | 'endLine'>): string {
  const range = task.startLine === task.endLine ? `${task.startLine}` : `${task.startLine}-${task.endLine}`;
  const request = task.request.trim().replace(/\s+/g, ' ');
  return `${task.path}:${range}: ${request.length > 120 ? `${request.slice(0, 119)}…` : request}`;
}
