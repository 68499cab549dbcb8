/**
 * The page's language: the bundle the extension sends first (VS Code's display language), used by
 * every `l10n.t()` in the page; dates and numbers follow the same locale through Intl. A phrase the
 * bundle lacks shows in English, never as a key.
 */
import * as l10n from '@vscode/l10n';

let current = 'en';

/** Returns the locale taken (a malformed one is English). */
export function useLocale(locale: string, bundle: Record<string, string>): string {
  current = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(locale) ? locale : 'en';
  l10n.config({ contents: bundle });
  return current;
}

export function locale(): string {
  return current;
}
