/** Caps and timeouts for tools: configuration, not constants buried in the tools. */
export interface Limits {
  /** Characters of one tool result the model sees (head and tail kept). */
  maxOutputChars: number;
  /** Lines returned by a read without a range. */
  maxReadLines: number;
  /** Files larger than this are read by line windows only, and never edited whole. */
  maxReadBytes: number;
  maxListEntries: number;
  maxSearchMatches: number;
  /** A search that takes longer stops with what it found (a huge workspace, a slow disk). */
  searchTimeoutS: number;
  /** Default and ceiling for run_command / run_task. */
  commandTimeoutS: number;
  maxCommandTimeoutS: number;
}

/** Model turns before a task gives up, unless the user sets another number. */
export const DEFAULT_MAX_STEPS = 50;

export const DEFAULT_LIMITS: Limits = {
  maxOutputChars: 12_000,
  maxReadLines: 600,
  maxReadBytes: 2 * 1024 * 1024,
  maxListEntries: 300,
  maxSearchMatches: 100,
  searchTimeoutS: 30,
  commandTimeoutS: 120,
  maxCommandTimeoutS: 1800,
};
