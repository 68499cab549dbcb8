/**
 * sed, read as GNU sed reads it: `-i` edits in place, `-f` runs a script from a file, and a
 * script's `w`/`W` (and `s///w`) write files, `r`/`R` read others and `e` (and `s///e`) runs
 * commands. Only scripts made of commands that do none of that are let through.
 */
// l10n-ignore-file: command-check reasons are shown on approval cards and also given to the model as why a step was asked
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
  const c = new SedCursor(script);
  while (!c.done) {
    c.skip(/[\s;]/);
    if (c.done) break;
    if (!c.address()) return false;
    if (c.at(',')) {
      c.i++;
      if (!c.address()) return false;
    }
    c.skip(/[ !]/);
    const cmd = c.s[c.i++];
    if (cmd === undefined) return true;
    if ('pdqQ=nNlhHgGxDPz{}'.includes(cmd)) continue;
    if (cmd === 'b' || cmd === 't' || cmd === 'T' || cmd === ':') {
      if (!c.label()) return false;
    } else if (cmd === 'y' || cmd === 's') {
      if (!c.operands(cmd)) return false;
    } else return false;
  }
  return true;
}

/** A position in a sed script, read as GNU sed reads it. */
class SedCursor {
  i = 0;
  constructor(readonly s: string) {}

  get done(): boolean {
    return this.i >= this.s.length;
  }

  at(ch: string): boolean {
    return this.s[this.i] === ch;
  }

  skip(re: RegExp): void {
    while (!this.done && re.test(this.s[this.i]!)) this.i++;
  }

  /** Up to and past the closing delimiter (backslash escapes); false at a newline or the end. */
  delimited(delim: string): boolean {
    for (; !this.done; this.i++) {
      if (this.at('\\')) this.i++;
      else if (this.at(delim)) {
        this.i++;
        return true;
      } else if (this.at('\n')) return false;
    }
    return false;
  }

  /** A line number, `$`, `first~step`, `/re/` or `\cREc` with its I/M flags (or none). */
  address(): boolean {
    if (/[0-9$]/.test(this.s[this.i] ?? '')) {
      this.skip(/[0-9$~+]/);
      return true;
    }
    if (this.at('/') || this.at('\\')) {
      const d = this.at('/') ? '/' : this.s[this.i + 1];
      this.i += d === '/' ? 1 : 2;
      if (d === undefined || !this.delimited(d)) return false;
      this.skip(/[IM]/);
    }
    return true;
  }

  /** GNU sed ends a label at whitespace and reads on: anything but the end of the command after it is refused. */
  label(): boolean {
    this.skip(/ /);
    while (!this.done && !/[\s;}]/.test(this.s[this.i]!)) this.i++;
    this.skip(/[ \t]/);
    return this.done || /[;\n}]/.test(this.s[this.i]!);
  }

  /** y/a/b/ and s/re/text/flags, with no flag that writes a file or runs a command (w, e). */
  operands(cmd: 's' | 'y'): boolean {
    const d = this.s[this.i++];
    if (d === undefined || d === '\\' || d === '\n') return false;
    if (!this.delimited(d) || !this.delimited(d)) return false;
    if (cmd === 'y') return true;
    this.skip(/[gpiImM0-9]/);
    return this.done || /[\s;}]/.test(this.s[this.i]!);
  }
}
