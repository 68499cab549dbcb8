/**
 * Model requests go through the user's proxy: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case)
 * in the CLI, VS Code's `http.proxy` / `http.noProxy` in the editor (configureProxy). Node's own
 * fetch ignores these, so the requests carry undici's proxy agent. Extra CA certificates
 * (NODE_EXTRA_CA_CERTS) are Node's own and apply to every request as they are.
 */
import { type Dispatcher, EnvHttpProxyAgent } from 'undici';

export interface ProxySettings {
  httpProxy?: string | undefined;
  httpsProxy?: string | undefined;
  noProxy?: string | undefined;
}

let configured: ProxySettings | undefined;
let agent: { key: string; dispatcher: Dispatcher } | undefined;

/** The editor's proxy settings win over the environment's (undefined: the environment only). */
export function configureProxy(settings: ProxySettings | undefined): void {
  configured = settings;
}

/** The proxy in use, as a host would show it (the environment's, unless one was configured). */
export function proxySettings(env: NodeJS.ProcessEnv = process.env): ProxySettings {
  const fromEnv = {
    httpProxy: env.HTTP_PROXY || env.http_proxy || undefined,
    httpsProxy: env.HTTPS_PROXY || env.https_proxy || undefined,
    noProxy: env.NO_PROXY || env.no_proxy || undefined,
  };
  if (!configured?.httpProxy && !configured?.httpsProxy) return fromEnv;
  return { ...fromEnv, ...Object.fromEntries(Object.entries(configured).filter(([, v]) => v)) };
}

/** The dispatcher for a model request: undefined (Node's default) when no proxy is set. */
export function proxyDispatcher(): Dispatcher | undefined {
  const settings = proxySettings();
  if (!settings.httpProxy && !settings.httpsProxy) return undefined;
  const key = JSON.stringify(settings);
  if (agent?.key !== key) {
    void agent?.dispatcher.close().catch(() => undefined);
    agent = { key, dispatcher: new EnvHttpProxyAgent(settings) };
  }
  return agent.dispatcher;
}
