/**
 * A cheap token estimate for every script: the window is fitted and the silent-truncation check
 * judged by it, before every request. Measured against o200k (test/unit/tokenEstimate.test.ts):
 * prose and code run about 3.5 characters a token (JSON, diffs and numbers nearer 2–3: counted as
 * 3.5, as the truncation check was tuned for), Chinese and Japanese about 0.7 tokens a character,
 * Cyrillic and accented Latin under 0.3, symbols and emoji about one, and base64 or hex (long runs
 * of letters and digits without spaces) about 0.7 a character.
 */

/** A run of letters, digits and base64's `+/=_-` at least this long is an encoded blob, not words. */
const BLOB_RUN = 32;
const ASCII_PER_TOKEN = 3.5;
const BLOB_TOKENS_PER_CHAR = 0.7;
const WIDE_TOKENS_PER_CHAR = 0.8;
const OTHER_TOKENS_PER_CHAR = 0.3;

export function estimateTokens(text: string): number {
  let ascii = 0;
  let tokens = 0;
  let run = 0;
  const endRun = () => {
    // The run was counted as ASCII text; a blob costs more than that.
    if (run >= BLOB_RUN) tokens += run * BLOB_TOKENS_PER_CHAR - run / ASCII_PER_TOKEN;
    run = 0;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      ascii++;
      const word = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 61 || c === 95 || c === 45;
      if (word) run++;
      else endRun();
      continue;
    }
    endRun();
    if (c >= 0xd800 && c <= 0xdfff)
      tokens += 1; // half of an emoji (or another astral character)
    // Symbols and dingbats, CJK, kana, Hangul, fullwidth forms: nearly a token each.
    else tokens += c >= 0x2000 ? WIDE_TOKENS_PER_CHAR : OTHER_TOKENS_PER_CHAR;
  }
  endRun();
  return Math.ceil(tokens + ascii / ASCII_PER_TOKEN);
}
