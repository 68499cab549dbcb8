/**
 * The contract of the search/replace matcher: pure functions over text, no I/O.
 * The edit_file tool reads the file, calls applyEdits, and hands the new text to the Host.
 */

export interface EditBlock {
  search: string;
  replace: string;
}

/** Where one block landed, so the tool result can tell the model (1-based, inclusive, in the text before this block). */
export interface BlockMatch {
  /** 0-based index of the block in the call. */
  block: number;
  startLine: number;
  endLine: number;
  /** 'exact' or the tolerance that made it match, e.g. 'line endings', 'indentation'. */
  via: string;
  /** True for a similarity-based match: the result must say which lines were matched. */
  approximate: boolean;
}

export type RefusalReason = 'no_match' | 'ambiguous' | 'elision' | 'invalid';

export type EditOutcome =
  | { ok: true; text: string; matches: BlockMatch[] }
  | {
      ok: false;
      /** 0-based index of the block that failed. */
      block: number;
      reason: RefusalReason;
      /** Short, written for the model: which block, why, the closest candidates with line numbers. */
      message: string;
    };
