/** The network settings model requests go by (src/core/model/proxy.ts), as setup checks show them. */
import * as l10n from '@vscode/l10n';
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
    const parts = [
      httpsProxy && l10n.t('https via {0}', redactUrl(httpsProxy)),
      httpProxy && l10n.t('http via {0}', redactUrl(httpProxy)),
      noProxy && l10n.t('not for {0}', noProxy),
    ];
    lines.push({
      status: 'info',
      what: l10n.t('proxy'),
      detail: l10n.t('{0} ({1}); model requests use it', parts.filter(Boolean).join(', '), facts.proxySource),
    });
  } else {
    lines.push({ status: 'info', what: l10n.t('proxy'), detail: l10n.t('none') });
  }
  if (facts.extraCa) {
    lines.push(
      existsSync(facts.extraCa)
        ? { status: 'info', what: l10n.t('CA certificates'), detail: l10n.t('also {0} (NODE_EXTRA_CA_CERTS)', facts.extraCa) }
        : {
            status: 'warn',
            what: l10n.t('CA certificates'),
            detail: l10n.t('NODE_EXTRA_CA_CERTS names {0}, which does not exist', facts.extraCa),
            next: l10n.t('point NODE_EXTRA_CA_CERTS at your PEM file'),
          },
    );
  }
  return lines;
}
