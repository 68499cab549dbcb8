/** The network settings model requests go by (src/core/model/proxy.ts), as setup checks show them. */
import { existsSync } from 'node:fs';
import type { ProxySettings } from '../model/proxy';
import { redactUrl } from '../redact';
import type { CheckLine } from './checkLine';

export interface NetworkFacts {
  proxy: ProxySettings;
  /** Where the proxy came from: "HTTPS_PROXY", "VS Code's http.proxy". */
  proxySource: string;
  /** NODE_EXTRA_CA_CERTS. */
  extraCa?: string | undefined;
}

export function proxyLines(facts: NetworkFacts): CheckLine[] {
  const { httpProxy, httpsProxy, noProxy } = facts.proxy;
  const lines: CheckLine[] = [];
  if (httpProxy || httpsProxy) {
    const parts = [httpsProxy && `https via ${redactUrl(httpsProxy)}`, httpProxy && `http via ${redactUrl(httpProxy)}`, noProxy && `not for ${noProxy}`];
    lines.push({ status: 'info', what: 'proxy', detail: `${parts.filter(Boolean).join(', ')} (${facts.proxySource}); model requests use it` });
  } else {
    lines.push({ status: 'info', what: 'proxy', detail: 'none' });
  }
  if (facts.extraCa) {
    lines.push(
      existsSync(facts.extraCa)
        ? { status: 'info', what: 'CA certificates', detail: `also ${facts.extraCa} (NODE_EXTRA_CA_CERTS)` }
        : {
            status: 'warn',
            what: 'CA certificates',
            detail: `NODE_EXTRA_CA_CERTS names ${facts.extraCa}, which does not exist`,
            next: 'point NODE_EXTRA_CA_CERTS at your PEM file',
          },
    );
  }
  return lines;
}
