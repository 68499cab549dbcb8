/**
 * The Host port: everything the agent does to the world goes through here.
 * NodeHost implements it over a plain folder (CLI, tests, benchmarks); VsCodeHost over the editor.
 * Paths given to a Host are workspace-relative as the model wrote them; the Host resolves and
 * checks them (see pathSafety.ts) and throws PathError for anything outside the workspace.
 */

/** A file's text as read, with an opaque version used to refuse writes computed on stale text. */
export interface TextFile {
  /** Workspace-relative, normalised, forward slashes. */
  path: string;
  /** Decoded text; a UTF-8 BOM stays in the text as U+FEFF so that writing it back preserves it. */
  text: string;
  version: string;
}

export type ReadOutcome =
  | ({ kind: 'text' } & TextFile)
  | { kind: 'binary'; path: string; size: number }
  | { kind: 'not_utf8'; path: string; size: number }
  | { kind: 'too_large'; path: string; size: number };

/** A window of lines from a file too large to read whole (streamed, bounded memory). */
export interface LineWindow {
  path: string;
  /** 1-based number of the first returned line. */
  startLine: number;
  lines: string[];
  /** Total lines in the file, when the host counted to the end. */
  totalLines?: number;
  /** More lines follow the window (the host stopped reading there). */
  more?: boolean;
}

export interface FileStat {
  type: 'file' | 'directory' | 'other';
  size: number;
}

export interface ListOptions {
  recursive: boolean;
  limit: number;
}

export interface ListResult {
  /** Workspace-relative paths; directories end with '/'. */
  entries: string[];
  /** Entries not returned because of the limit. */
  omitted: number;
}

export interface SearchOptions {
  query: string;
  regex: boolean;
  /** Folder or file to search in, workspace-relative. */
  path?: string;
  glob?: string;
  maxMatches: number;
  /** Stop (with what was found) when this fires: Stop, or the search's time limit. */
  signal?: AbortSignal;
}

export interface SearchMatch {
  path: string;
  line: number;
  text: string;
}

export interface SearchResult {
  matches: SearchMatch[];
  /** True when more matches exist than were returned. */
  truncated: boolean;
  /** Which engine answered ('ripgrep' or 'builtin'): useful in logs and benchmarks. */
  engine: string;
  /** The search was stopped (its time limit, or Stop) before it was through: the matches are partial. */
  stopped?: boolean;
}

export interface RunOptions {
  timeoutMs: number;
  signal: AbortSignal;
  /** Live output for the UI; the result carries the capped output for the model. */
  onOutput?: (chunk: string) => void;
}

export interface CommandResult {
  /** null when the process was killed (timeout or cancel) or died from a signal. */
  exitCode: number | null;
  /** Combined stdout/stderr, capped (head and tail kept, the cut marked). */
  output: string;
  timedOut: boolean;
  cancelled: boolean;
  /** Problems a task's problem matcher reported (VS Code host only). */
  problems?: string[];
  /** Extra facts for the model, e.g. which command a task ran. */
  note?: string;
}

export interface TaskDescription {
  /** Everything that will run, for the approval and the model. */
  text: string;
  /** The command lines it amounts to, for the command rules; undefined when they cannot be known. */
  commands?: string[];
}

export interface Host {
  /** A short name for the workspace, shown to the user and the model. */
  readonly name: string;
  /** With several workspace folders, their names, the first being where commands run; undefined with one. */
  readonly folders?: readonly string[];
  /** Resolves a model-supplied path; throws PathError when it leaves the workspace. */
  resolve(path: string): Promise<string>;
  /** Resolves a path as a command's argument, relative to where commands run (default: `resolve`). */
  resolveCommandPath?(path: string): Promise<string>;
  stat(path: string): Promise<FileStat | undefined>;
  readFile(path: string, maxBytes: number): Promise<ReadOutcome>;
  readLines(path: string, startLine: number, endLine: number, signal?: AbortSignal): Promise<LineWindow>;
  /**
   * Creates or replaces a file. With `expectedVersion`, refuses (StaleFileError) when the file
   * changed since it was read; with `null`, refuses when the file exists.
   */
  writeFile(path: string, text: string, expectedVersion?: string | null): Promise<void>;
  listFiles(path: string, options: ListOptions): Promise<ListResult>;
  search(options: SearchOptions): Promise<SearchResult>;
  runCommand(command: string, options: RunOptions): Promise<CommandResult>;
  runTask(name: string, options: RunOptions): Promise<CommandResult>;
  /** What a task runs (e.g. `tasks.json "test": npm test`), shown before approval; throws HostError when there is no such task. */
  describeTask(name: string): Promise<TaskDescription>;
  /** Problems reported for one file or the whole workspace, as model-readable lines. */
  getDiagnostics(path: string | undefined): Promise<string>;
  /**
   * Errors that appeared in a file since the agent's last write to it, once the language services
   * have settled (bounded wait). Hosts without language services leave it out.
   */
  newProblems?(path: string): Promise<string[]>;
}

/** A path the agent may not use: outside the workspace, through a symlink out of it, or malformed. */
export class PathError extends Error {
  override name = 'PathError';
}

/** The file changed between the read an edit was computed on and the write. */
export class StaleFileError extends Error {
  override name = 'StaleFileError';
}

/** Something the host cannot do or find (no such task, a missing file), worded for the model. */
export class HostError extends Error {
  override name = 'HostError';
}
