/**
 * A page fetched for the model, safely: http and https only; every host resolved and checked
 * when the connection is made (so a name cannot resolve to a private address between the check
 * and the connect), and again on every redirect, followed by hand (at most 5); no cookies or
 * credentials; a size and a time cap; the user agent says Stepwise.
 */
// l10n-ignore-file: its errors are tool results, read by the model
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, fetch } from 'undici';
import { isLocalAddress } from './addresses';

export interface FetchPageOptions {
  /** Loopback, private and link-local addresses are refused unless the user allowed local fetches. */
  allowLocal: boolean;
  signal: AbortSignal;
  /** Bytes read at most (the rest is cut; default 2 MB). */
  maxBytes?: number;
  /** The same for a PDF, which cannot be read from a part of it (default 16 MB). */
  maxPdfBytes?: number;
  /** The whole fetch, redirects included (default 20 s). */
  timeoutMs?: number;
  /** Name resolution (default: the system's). */
  lookup?: (hostname: string) => Promise<LookupAddress[]>;
  /** Which addresses count as local (default: isLocalAddress). */
  isLocal?: (address: string) => boolean;
  userAgent?: string;
}

export interface FetchedPage {
  /** Where the page was finally fetched from (after redirects). */
  url: string;
  status: number;
  contentType: string;
  body: Buffer;
  /** The body was longer than maxBytes and was cut. */
  truncated: boolean;
}

export class WebFetchError extends Error {
  override name = 'WebFetchError';
}

const MAX_REDIRECTS = 5;

export async function fetchPage(address: string, options: FetchPageOptions): Promise<FetchedPage> {
  const isLocal = options.isLocal ?? isLocalAddress;
  const resolve = options.lookup ?? systemLookup;
  const agent = new Agent({
    connect: {
      // Checked at connect time: the address connected to is the one checked.
      lookup: (hostname, opts, callback) => {
        const reply = callback as (error: Error | null, address: string | LookupAddress[], family?: number) => void;
        resolve(hostname).then(
          (found) => {
            const refused = found.find((a) => !options.allowLocal && isLocal(a.address));
            if (refused) reply(localError(hostname, refused.address), '', 0);
            else if (!found[0]) reply(new WebFetchError(`${hostname} did not resolve to any address.`), '', 0);
            // Node asks for every address when it may try several (autoSelectFamily).
            else if ((opts as { all?: boolean }).all) reply(null, found);
            else reply(null, found[0].address, found[0].family);
          },
          (error: Error) => reply(error, '', 0),
        );
      },
    },
  });
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs ?? 20_000)]);
  try {
    let url = checkedUrl(address, options.allowLocal, isLocal);
    for (let hop = 0; ; hop++) {
      const response = await fetch(url, {
        dispatcher: agent,
        redirect: 'manual',
        credentials: 'omit',
        signal,
        headers: { 'user-agent': options.userAgent ?? 'Stepwise', accept: 'text/html, application/json, text/*;q=0.9, */*;q=0.5' },
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        if (hop >= MAX_REDIRECTS) throw new WebFetchError(`${address} redirected more than ${MAX_REDIRECTS} times.`);
        url = checkedUrl(new URL(location, url).href, options.allowLocal, isLocal);
        continue;
      }
      const contentType = response.headers.get('content-type') ?? '';
      const pdf = /^application\/pdf\b/i.test(contentType.trim());
      const cap = pdf ? (options.maxPdfBytes ?? 16 * 1024 * 1024) : (options.maxBytes ?? 2 * 1024 * 1024);
      const { body, truncated } = await readCapped(response.body, cap);
      return { url: url.href, status: response.status, contentType, body, truncated };
    }
  } catch (error) {
    throw explain(error, address, signal, options.signal);
  } finally {
    await agent.close().catch(() => undefined);
  }
}

/** http(s) only, no credentials in the URL, and an IP literal checked here (no lookup happens for it). */
export function checkedUrl(text: string, allowLocal: boolean, isLocal: (a: string) => boolean = isLocalAddress): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebFetchError(`"${text}" is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebFetchError(`${url.protocol}: only http and https URLs can be fetched.`);
  if (url.username || url.password) throw new WebFetchError(`URLs with a user name or password are not fetched.`);
  // ".com" or "a..b" would read as a pattern ("every subdomain") wherever a host is allowed by name.
  if (/^\.|\.\.|^$/.test(url.hostname)) throw new WebFetchError(`"${url.hostname}" is not a host name.`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowLocal && (isIP(host) ? isLocal(host) : /^localhost$|\.localhost$/i.test(host))) throw localError(url.hostname, host);
  return url;
}

function localError(host: string, address: string): WebFetchError {
  return new WebFetchError(
    `${host} is a local or private address (${address}); fetching it needs the local-fetch permission (--allow-local-fetch, or the stepwise.web.allowLocalFetch setting).`,
  );
}

async function readCapped(stream: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<{ body: Buffer; truncated: boolean }> {
  if (!stream) return { body: Buffer.alloc(0), truncated: false };
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { body: Buffer.concat(chunks), truncated: false };
    chunks.push(Buffer.from(value));
    size += value.length;
    if (size >= maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { body: Buffer.concat(chunks).subarray(0, maxBytes), truncated: true };
    }
  }
}

function systemLookup(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));
}

function explain(error: unknown, address: string, signal: AbortSignal, outer: AbortSignal): Error {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof WebFetchError) return cause;
  if (error instanceof WebFetchError) return error;
  if (outer.aborted) return new WebFetchError(`Cancelled.`);
  if (signal.aborted) return new WebFetchError(`${address} did not answer in time.`);
  const message = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  return new WebFetchError(`${address} could not be fetched (${message}).`);
}
