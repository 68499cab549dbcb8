/**
 * `stepwise doctor`: checks a setup the way `run` would use it (the same server choice), one line
 * per check and the next step under each problem. Exit 0 when a task could run, 1 when not.
 */
import * as l10n from '@vscode/l10n';
import { findRipgrep } from '../core/host/textSearch';
import { hostOf } from '../core/model/discovery';
import { proxySettings } from '../core/model/proxy';
import { escapeControls } from '../core/text/controlChars';
import { canRun, checkSetup, formatCheckLine, ripgrepLine, type SetupTarget } from '../core/setup/checkSetup';
import type { CheckLine } from '../core/setup/checkLine';
import { proxyLines } from '../core/setup/networkFacts';
import { downloadedDefault } from './defaultModelSetup';
import { embeddedLines } from '../core/setup/embeddedChecks';
import * as path from 'node:path';
import { readKeyFile } from './apiKey';
import type { DoctorConfig } from './args';
import { chooseCliServer, type ServerChoice } from './serverChoice';

function how(choice: ServerChoice['how']): string {
  if (choice === 'configured') return l10n.t('configured');
  if (choice === 'key') return l10n.t("an API key is set and no server: OpenAI's API");
  return choice === 'remembered' ? l10n.t('used last time, still answering') : l10n.t('found running');
}

/** The model process, beside the CLI's bundle. */
const WORKER = path.join(__dirname, 'embedded.js');

export interface DoctorIo {
  env: NodeJS.ProcessEnv;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export async function doctor(config: DoctorConfig, io: DoctorIo): Promise<number> {
  let apiKey = config.apiKey;
  try {
    apiKey ??= config.apiKeyFile === undefined ? undefined : readKeyFile(config.apiKeyFile);
  } catch (error) {
    io.err.write(`stepwise: ${(error as Error).message}\n`);
    return 2;
  }
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  try {
    const lines = await setupLines(config, apiKey, io.env, controller.signal);
    for (const line of lines) io.out.write(formatCheckLine(line, escapeControls));
    const ok = canRun(lines);
    io.out.write(`\n${ok ? l10n.t('A task can run.') : l10n.t('A task cannot run yet: see the lines marked fail.')}\n`);
    return ok ? 0 : 1;
  } finally {
    process.off('SIGINT', stop);
  }
}

/** The embedded model's checks when it is asked for, or what `run` would use when no server is found. */
async function setupLines(config: DoctorConfig, apiKey: string | undefined, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<CheckLine[]> {
  if (config.embedded) {
    const machine = await machineFacts(env);
    return [
      ...(await embeddedLines({ modelFile: config.embedded.modelFile, probe: config.probe, env, workerPath: WORKER }, signal)),
      ...proxyLines(machine.network),
      ripgrepLine(machine.ripgrep),
    ];
  }
  const setup = await target(config, apiKey, env, signal);
  if (setup.server || !downloadedDefault(env)) return checkSetup(setup, signal);
  const none = { status: 'info' as const, what: l10n.t('server'), detail: l10n.t('none found: run uses the embedded model downloaded earlier') };
  return [
    ...(await checkSetup({ ...setup, probeTools: false }, signal)).filter((l) => l.what !== l10n.t('server')),
    none,
    ...(await embeddedLines({ modelFile: undefined, probe: config.probe, env, workerPath: WORKER }, signal)),
  ];
}

async function target(config: DoctorConfig, apiKey: string | undefined, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<SetupTarget> {
  const choice = await chooseCliServer(config.baseUrl?.replace(/\/+$/, ''), apiKey, env, signal);
  const found = 'none' in choice ? undefined : choice;
  return {
    ...(found
      ? {
          server: {
            baseUrl: found.baseUrl,
            label: found.how === 'configured' ? hostOf(found.baseUrl) : found.label,
            how: how(found.how),
            apiKey: found.apiKey,
            ...(found.apiKey
              ? { keySource: config.apiKeyFile ? l10n.t('from {0}', config.apiKeyFile) : env.OPENAI_API_KEY === found.apiKey ? 'OPENAI_API_KEY' : '--api-key' }
              : {}),
          },
        }
      : {}),
    probes: 'none' in choice ? choice.none : choice.probes,
    model: config.model ?? (found?.lastModel && found.models?.includes(found.lastModel) ? found.lastModel : undefined),
    probeTools: config.probe,
    ...(await machineFacts(env)),
  };
}

/** The proxy requests go through, and ripgrep. */
async function machineFacts(env: NodeJS.ProcessEnv): Promise<Pick<SetupTarget, 'network' | 'ripgrep'>> {
  const proxy = proxySettings(env);
  const proxySource = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].filter((name) => env[name]).join(', ') || 'environment';
  return { network: { proxy, proxySource, extraCa: env.NODE_EXTRA_CA_CERTS || undefined }, ripgrep: await findRipgrep(env.PATH, [process.cwd()]) };
}
