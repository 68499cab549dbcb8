/**
 * The interface language in VS Code: its display language's bundle (l10n/bundle.l10n.<lang>.json,
 * loaded by VS Code through the manifest's "l10n"). The core's words (@vscode/l10n) and the sidebar
 * page get the same bundle; without one (English, or a language Stepwise has no bundle for),
 * everything is English.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

/** The bundle's plain strings (entries with translator comments carry their text in `message`). */
export function interfaceBundle(): Record<string, string> {
  const bundle: Record<string, string> = {};
  for (const [key, value] of Object.entries(vscode.l10n.bundle ?? {})) {
    const text = typeof value === 'string' ? value : (value as { message?: unknown } | undefined)?.message;
    if (typeof text === 'string') bundle[key] = text;
  }
  return bundle;
}

/** The core's t() in the display language (called once, at activation). */
export function useDisplayLanguage(): void {
  if (vscode.l10n.bundle) l10n.config({ contents: interfaceBundle() });
}
