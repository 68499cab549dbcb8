/**
 * Checks a server's base URL before anything is sent: an http(s) URL, and no credentials in it (a
 * password in a URL ends up in messages, logs and the process list; the key belongs in its own
 * setting). Messages show the URL with any credentials masked.
 */
import * as l10n from '@vscode/l10n';
import { redactUrl } from '../redact';
import { DEFAULT_BASE_URL } from './defaults';
import { fix } from './fixWords';

/** A one-line problem with the URL, or undefined when it can be used. `name` is how the user set it. */
export function baseUrlProblem(baseUrl: string, name = fix('baseUrlSetting')): string | undefined {
  const shown = redactUrl(baseUrl);
  if (!/^https?:\/\/[^/]/i.test(baseUrl)) return l10n.t('{0} must be an http(s) URL such as {1}, not "{2}".', name, DEFAULT_BASE_URL, shown);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return l10n.t('{0} "{1}" is not a valid URL; use e.g. {2}.', name, shown, DEFAULT_BASE_URL);
  }
  if (url.username || url.password) {
    return l10n.t(
      '{0} {1} carries a user name or password, which Stepwise does not send in a URL (it would be printed and logged). Remove them. {2}',
      name,
      shown,
      fix('setKey'),
    );
  }
  return undefined;
}
