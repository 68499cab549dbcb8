/**
 * Short forms shown in logs, progress and summaries: a tool call's main argument, and an amount of
 * money. (The sidebar page, which imports only src/protocol, has its own copy of the money form.)
 */

/** The argument that says what a tool call is about: its path, command, query, task name or summary. */
export function mainArgument(args: unknown, max = 120): string {
  if (typeof args === 'string') return args.slice(0, max);
  if (!args || typeof args !== 'object') return '';
  const a = args as Record<string, unknown>;
  const main = a.path ?? a.command ?? a.query ?? a.name ?? a.summary;
  return typeof main === 'string' ? main.slice(0, max) : '';
}

/** "$0.0042", "$1.25": small amounts keep their first significant digits. */
export function formatUsd(amount: number): string {
  return `$${amount < 0.01 ? amount.toFixed(4) : amount.toFixed(2)}`;
}
