/**
 * sed, read as GNU sed reads it: `-i` edits in place, `-f` runs a script from a file, and a
 * script's `w`/`W` (and `s///w`) write files, `r`/`R` read others and `e` (and `s///e`) runs
 * commands. Only scripts made of commands that do none of that are let through.
 */
import { parseOptions } from './options';

/** Why this sed command may write, read other files or run commands, or undefined. */
export function sedRisk(args: readonly string[]): string | undefined {
  const parsed = parseOptions(args, SED_OPTIONS);
  if (parsed.unknown) return `\`${parsed.unknown}\` is a sed option Stepwise does not follow`;
  const names = parsed.options.map((o) => o.name);
  if (names.includes('-i') || names.includes('--in-place')) return '`sed -i` edits files in place';
  if (names.includes('-f') || names.includes('--file')) return '`sed -f` runs a script from a file';
  const given = parsed.options.filter((o) => o.name === '-e' || o.name === '--expression').map((o) => o.value ?? '');
  const scripts = given.length ? given : parsed.operands.slice(0, 1);
  return scripts.every(safeSedScript) ? undefined : 'this sed script can write or read other files or run commands';
}

const SED_OPTIONS = {
  flags: 'nsuzEr',
  values: 'efl',
  optional: 'i',
  longFlags: [
    'quiet',
    'silent',
    'debug',
    'posix',
    'sandbox',
    'separate',
    'unbuffered',
    'null-data',
    'zero-terminated',
    'regexp-extended',
    'follow-symlinks',
    'binary',
    'help',
    'version',
  ],
  longValues: ['expression', 'file', 'line-length'],
  longOptional: ['in-place'],
};

/** Addresses, then p d q Q = n N l h H g G x D P z y s{…} b t T : { } with s flags other than w and e. */
function safeSedScript(script: string): boolean {
  let i = 0;
  const s = script;
  const skipSpace = () => {
    while (i < s.length && /[\s;]/.test(s[i]!)) i++;
  };
  const delimited = (delim: string): boolean => {
    for (; i < s.length; i++) {
      if (s[i] === '\\') i++;
      else if (s[i] === delim) {
        i++;
        return true;
      } else if (s[i] === '\n') return false;
    }
    return false;
  };
  const address = (): boolean => {
    if (/[0-9$]/.test(s[i] ?? '')) {
      while (/[0-9$~+]/.test(s[i] ?? '')) i++;
      return true;
    }
    if (s[i] === '/') {
      i++;
      return delimited('/') && (skipFlags(), true);
    }
    if (s[i] === '\\') {
      const d = s[i + 1];
      i += 2;
      return d !== undefined && delimited(d) && (skipFlags(), true);
    }
    return true;
  };
  const skipFlags = () => {
    while (/[IM]/.test(s[i] ?? '')) i++;
  };
  while (i < s.length) {
    skipSpace();
    if (i >= s.length) break;
    if (!address()) return false;
    if (s[i] === ',') {
      i++;
      if (!address()) return false;
    }
    while (s[i] === ' ' || s[i] === '!') i++;
    const cmd = s[i++];
    if (cmd === undefined) return true;
    if ('pdqQ=nNlhHgGxDPz{}'.includes(cmd)) continue;
    if (cmd === 'b' || cmd === 't' || cmd === 'T' || cmd === ':') {
      // GNU sed ends a label at whitespace and reads on: anything but the end of the command after it is refused.
      while (s[i] === ' ') i++;
      while (i < s.length && !/[\s;}]/.test(s[i]!)) i++;
      while (s[i] === ' ' || s[i] === '\t') i++;
      if (i < s.length && !/[;\n}]/.test(s[i]!)) return false;
      continue;
    }
    if (cmd === 'y' || cmd === 's') {
      const d = s[i++];
      if (d === undefined || d === '\\' || d === '\n') return false;
      if (!delimited(d) || !delimited(d)) return false;
      if (cmd === 's') {
        while (i < s.length && /[gpiImM0-9]/.test(s[i]!)) i++;
        if (i < s.length && !/[\s;}]/.test(s[i]!)) return false;
      }
      continue;
    }
    return false;
  }
  return true;
}
