/**
 * The fetch the openai client uses: it never follows a redirect (the API key must not reach a
 * host other than the configured one), turns an HTML page into a clear "wrong base URL", and
 * bounds an event stream's events and size (streamLimits.ts). It goes through the user's proxy (proxy.ts).
 */
import * as l10n from '@vscode/l10n';
import { ModelError } from './errors';
import { proxyDispatcher } from './proxy';
import { limitBody, limitEventStream } from './streamLimits';

export function guardedFetch(baseUrl: string): typeof fetch {
  return async (input, init) => {
    const dispatcher = proxyDispatcher();
    // `dispatcher` is undici's option to Node's fetch (not in the DOM type).
    const response = await fetch(input, { ...init, redirect: 'manual', ...(dispatcher ? { dispatcher } : {}) } as RequestInit);
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location') ?? l10n.t('another address');
      throw new ModelError(
        'bad_url',
        l10n.t(
          'The server at {0} redirected to {1}. Stepwise does not follow redirects, so your key is never sent elsewhere: set the base URL to the final address.',
          baseUrl,
          location,
        ),
      );
    }
    const type = response.headers.get('content-type') ?? '';
    if (response.ok && type.includes('text/html')) {
      throw new ModelError(
        'bad_url',
        l10n.t(
          '{0} answered with a web page, not an OpenAI-compatible API. Check the base URL (it usually ends in /v1, e.g. http://127.0.0.1:11434/v1).',
          baseUrl,
        ),
      );
    }
    if (!response.body || [101, 204, 205, 304].includes(response.status)) return response;
    const body = type.includes('text/event-stream') ? limitEventStream(response.body, baseUrl) : limitBody(response.body, baseUrl);
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
