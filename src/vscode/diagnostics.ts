/**
 * Diagnostics as the model reads them, and "what broke with this edit": the errors in a file
 * after its language service settles, compared with the errors it had before the edit.
 */
import * as vscode from 'vscode';

const SEVERITY = ['error', 'warning', 'info', 'hint'] as const;

export function formatDiagnostic(display: string, d: vscode.Diagnostic): string {
  const source = d.source ? ` (${d.source}${d.code !== undefined ? ` ${typeof d.code === 'object' ? d.code.value : d.code}` : ''})` : '';
  return `${display}:${d.range.start.line + 1}:${d.range.start.character + 1} ${SEVERITY[d.severity]}: ${d.message.split('\n')[0]}${source}`;
}

export function errorsOf(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
}

export interface SettleTimes {
  /** Give up waiting for a first change after this long (no language service, or nothing changed). */
  firstChangeMs: number;
  /** After a change, wait for this much quiet. */
  quietMs: number;
  /** Never wait longer than this in all. */
  maxMs: number;
}

export const SETTLE: SettleTimes = { firstChangeMs: 1000, quietMs: 300, maxMs: 2000 };

/** Resolves once diagnostics for `uri` stop changing, within the bounds of `times`. */
export function settle(uri: vscode.Uri, times: SettleTimes = SETTLE): Promise<void> {
  return new Promise((resolve) => {
    const key = uri.toString();
    let quiet: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(first);
      clearTimeout(cap);
      if (quiet) clearTimeout(quiet);
      listener.dispose();
      resolve();
    };
    const first = setTimeout(done, times.firstChangeMs);
    const cap = setTimeout(done, times.maxMs);
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((u) => u.toString() === key)) return;
      clearTimeout(first);
      if (quiet) clearTimeout(quiet);
      quiet = setTimeout(done, times.quietMs);
    });
  });
}

/** Errors present now that were not present before (compared by message and line text). */
export function newErrors(before: vscode.Diagnostic[], after: vscode.Diagnostic[]): vscode.Diagnostic[] {
  const seen = new Set(before.map((d) => `${d.message}|${d.source ?? ''}`));
  return after.filter((d) => !seen.has(`${d.message}|${d.source ?? ''}`));
}
