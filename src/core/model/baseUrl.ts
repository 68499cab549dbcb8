/**
 * Checks a server's base URL before anything is sent: an http(s) URL, and no credentials in it (a
 * password in a URL ends up in messages, logs and the process list; the key belongs in its own
 * setting). Messages show the URL with any credentials masked.
 */
import { redactUrl } from '../redact';
import { DEFAULT_BASE_URL } from './defaults';
import { fix } from './fixWords';

/** A one-line problem with the URL, or undefined when it can be used. `name` is how the user set it. */
export function baseUrlProblem(baseUrl: string, name = fix('baseUrlSetting')): string | undefined {
  const shown = redactUrl(baseUrl);
  if (!/^https?:\/\/[^/]/i.test(baseUrl)) return `${name} must be an http(s) URL such as ${DEFAULT_BASE_URL}, not "${shown}".`;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return `${name} "${shown}" is not a valid URL; use e.g. ${DEFAULT_BASE_URL}.`;
  }
  if (url.username || url.password) {
    return `${name} ${shown} carries a user name or password, which Stepwise does not send in a URL (it would be printed and logged). Remove them. ${fix('setKey')}`;
  }
  return undefined;
}
