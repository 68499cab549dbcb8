/** What a command check finds, as the approval surfaces show it (plain data: it crosses to the webview). */
// l10n-ignore-file: command-check reasons are shown on approval cards and also given to the model as why a step was asked

export interface CommandPart {
  /** The simple command as written. */
  text: string;
  /** allowed: would run by itself; ask: needs the user; denied: a deny rule names it. */
  status: 'allowed' | 'ask' | 'denied';
  /** Why it needs approval ("`touch` is not in your allowed commands", "writes to a file"). */
  reasons: string[];
  /** The allow rule that covers it, or the deny rule that names it. */
  rule?: string;
}

export interface CommandCheck {
  parts: CommandPart[];
  /** Why the command as a whole cannot be trusted (a parse error, a here-document…). */
  problems: string[];
  /** Why it is asked even under auto-approval: a protected path, other privileges, a file kept from the model. */
  alwaysAsk: string[];
  /** Protected paths it writes or names as a writing command's argument. */
  protectedPaths?: string[];
  /** The deny rule that stops it: it never runs. */
  deniedBy?: { rule: string; part: string };
  /** Rules that would let the parts that are only missing a rule run by themselves. */
  suggestions?: { exact: string[]; anyArguments: string[] };
}

/** Runs without asking (when execute is not auto-approved). */
export function allowedByRules(check: CommandCheck): boolean {
  return (
    !check.deniedBy && check.problems.length === 0 && check.alwaysAsk.length === 0 && check.parts.length > 0 && check.parts.every((p) => p.status === 'allowed')
  );
}

/** One line for the model or a log: why the command was not run by itself. */
export function askReasons(check: CommandCheck): string {
  const lines = [
    ...check.problems.map((p) => `the command ${p}`),
    ...check.alwaysAsk,
    ...check.parts.filter((p) => p.status !== 'allowed').map((p) => `\`${oneLine(p.text)}\`: ${p.reasons.join('; ')}`),
  ];
  return [...new Set(lines)].join('; ');
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}…` : flat;
}
