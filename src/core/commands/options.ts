/**
 * Reads a program's options the way getopt_long does — clusters (`-iu NAME`), glued values
 * (`-C/etc`, `--chdir=/etc`), values in the next word, unique prefixes of long names (`--ch`) —
 * so the checker sees what the program will see. An option it does not know is reported, and
 * the caller asks rather than guessing what follows it.
 */
export interface OptionSpec {
  /** Short letters that take no value. */
  flags?: string;
  /** Short letters that take a value (the rest of the word, else the next word). */
  values?: string;
  /** Short letters whose value is optional and only glued (`sed -i.bak`). */
  optional?: string;
  /** Long names (without `--`). */
  longFlags?: readonly string[];
  longValues?: readonly string[];
  /** Long names whose value is optional and only given with `=`. */
  longOptional?: readonly string[];
  /** Options end at the first operand (a wrapper: what follows is the command it runs). */
  stopAtOperand?: boolean;
}

export interface ParsedOption {
  /** `-x` or `--long-name` (the full name, also when abbreviated). */
  name: string;
  value?: string;
}

export interface ParsedOptions {
  options: ParsedOption[];
  operands: string[];
  /** With stopAtOperand: the index (in the words given) of the first word not read as an option. */
  rest: number;
  /** The first option that is not in the spec, or is an ambiguous abbreviation. */
  unknown?: string;
}

export function parseOptions(args: readonly string[], spec: OptionSpec): ParsedOptions {
  const out: ParsedOptions = { options: [], operands: [], rest: args.length };
  const longs = [...(spec.longFlags ?? []), ...(spec.longValues ?? []), ...(spec.longOptional ?? [])];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word === '--') {
      if (spec.stopAtOperand) return { ...out, rest: i + 1 };
      out.operands.push(...args.slice(i + 1));
      return out;
    }
    if (word.startsWith('--') && word.length > 2) {
      const eq = word.indexOf('=');
      const given = word.slice(2, eq < 0 ? undefined : eq);
      const name = longs.includes(given) ? given : uniquePrefix(longs, given);
      if (name === undefined) {
        out.unknown ??= `--${given}`;
        continue;
      }
      if (spec.longValues?.includes(name)) {
        out.options.push({ name: `--${name}`, value: eq < 0 ? (args[++i] ?? '') : word.slice(eq + 1) });
      } else {
        out.options.push({ name: `--${name}`, ...(eq < 0 ? {} : { value: word.slice(eq + 1) }) });
      }
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      for (let j = 1; j < word.length; j++) {
        const letter = word[j]!;
        if (spec.values?.includes(letter)) {
          const glued = word.slice(j + 1);
          out.options.push({ name: `-${letter}`, value: glued !== '' ? glued : (args[++i] ?? '') });
          break;
        }
        if (spec.optional?.includes(letter)) {
          const glued = word.slice(j + 1);
          out.options.push({ name: `-${letter}`, ...(glued ? { value: glued } : {}) });
          break;
        }
        if (!spec.flags?.includes(letter)) out.unknown ??= `-${letter}`;
        out.options.push({ name: `-${letter}` });
      }
      continue;
    }
    if (spec.stopAtOperand) return { ...out, rest: i };
    out.operands.push(word);
  }
  return out;
}

function uniquePrefix(names: readonly string[], given: string): string | undefined {
  if (given === '') return undefined;
  const hits = names.filter((n) => n.startsWith(given));
  return hits.length === 1 ? hits[0] : undefined;
}
