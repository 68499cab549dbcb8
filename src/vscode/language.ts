/**
 * The interface language in VS Code: by default VS Code's display language and its bundle
 * (l10n/bundle.l10n.<lang>.json, loaded by VS Code through the manifest's "l10n"); with the
 * `stepwise.language` setting, the language the user chose for Stepwise — for instance Chinese in a
 * VS Code without its Chinese language pack, where the display language stays English. The core's
 * words (@vscode/l10n) and the sidebar page use the same bundle; a phrase it lacks is English.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

const CHOICES = new Set(['en', 'zh-cn']);

export interface InterfaceLanguage {
  locale: string;
  bundle: Record<string, string>;
}

let chosen: InterfaceLanguage | undefined;

/** Decides the language once (at activation; a change of the setting applies after a reload). */
export function useDisplayLanguage(extensionPath: string): InterfaceLanguage {
  const setting = vscode.workspace.getConfiguration('stepwise').inspect<string>('language')?.globalValue;
  chosen =
    setting && CHOICES.has(setting)
      ? { locale: setting, bundle: bundleFile(extensionPath, setting) }
      : { locale: vscode.env.language, bundle: plain(vscode.l10n.bundle) };
  if (Object.keys(chosen.bundle).length) l10n.config({ contents: chosen.bundle });
  return chosen;
}

/** What the sidebar page is sent first. */
export function interfaceLanguage(): InterfaceLanguage {
  return chosen ?? { locale: vscode.env.language, bundle: plain(vscode.l10n.bundle) };
}

function bundleFile(extensionPath: string, locale: string): Record<string, string> {
  if (locale === 'en') return {};
  try {
    const file = path.join(extensionPath, 'l10n', `bundle.l10n.${locale}.json`); // l10n-ignore: a file name
    return plain(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>);
  } catch {
    return {};
  }
}

/** The bundle's plain strings (entries with translator comments carry their text in `message`). */
function plain(bundle: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(bundle ?? {})) {
    const text = typeof value === 'string' ? value : (value as { message?: unknown } | undefined)?.message;
    if (typeof text === 'string') out[key] = text;
  }
  return out;
}
