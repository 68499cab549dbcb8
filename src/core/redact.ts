/**
 * Secrets never reach the model, the events, the log or the terminal: the configured API key (and
 * anything shaped like a bearer token or an `sk-` key) is replaced wherever text leaves the core —
 * tool results, error messages (a server may echo the key back), every event.
 */

export type Redactor = (text: string) => string;

const REDACTED = '[redacted]';
/** Shorter "secrets" would redact ordinary words. */
const MIN_SECRET_LENGTH = 8;
/** Bearer tokens and the key shapes of the common hosted APIs and code hosts. */
const TOKEN_SHAPES: [RegExp, string][] = [
  [/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`],
  [/\bsk-[A-Za-z0-9_-]{16,}/g, `sk-${REDACTED}`],
  [/\b(gsk|hf|ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/g, `$1_${REDACTED}`],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, `github_pat_${REDACTED}`],
  [/\b(xai|glpat)-[A-Za-z0-9_-]{20,}/g, `$1-${REDACTED}`],
  [/\bAIza[0-9A-Za-z_-]{30,}/g, `AIza${REDACTED}`],
  [/\bAKIA[0-9A-Z]{16}\b/g, `AKIA${REDACTED}`],
];

export function makeRedactor(secrets: readonly (string | undefined)[]): Redactor {
  const exact = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  return (text) => {
    if (typeof text !== 'string' || text === '') return text;
    let out = text;
    for (const secret of exact) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const [shape, replacement] of TOKEN_SHAPES) out = out.replace(shape, replacement);
    return out;
  };
}

/** The same value with every string in it redacted (events carry arguments of any shape). */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = redactDeep(v, redact);
    return out as T;
  }
  return value;
}

/** A URL as it may be shown: without a user name or password (everything up to the authority's last '@'). */
export function redactUrl(url: string): string {
  const scheme = /^\s*[a-z][a-z0-9+.-]*:[\\/]*/i.exec(url);
  const start = scheme ? scheme[0].length : 0;
  const rest = url.slice(start);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const at = authority.lastIndexOf('@');
  if (at === -1) return url;
  return `${url.slice(0, start)}***@${rest.slice(at + 1)}`;
}
