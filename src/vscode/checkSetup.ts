/**
 * Stepwise: Check Setup — the same checks as `stepwise doctor` (src/core/setup/checkSetup.ts) on
 * the model a goal would use, plus VS Code's language models: offered or not, and whether the user
 * allowed Stepwise to use them (one tiny request; a refusal counts as not available). The report
 * opens as a read-only document and is returned to the caller.
 */
import * as vscode from 'vscode';
import { findRipgrep } from '../core/host/textSearch';
import { proxySettings } from '../core/model/proxy';
import { canRun, checkSetup, type CheckLine, formatCheckLine, ripgrepLine, type SetupTarget } from '../core/setup/checkSetup';
import type { ModelSource } from './modelSource';
import type { ProposedContent } from './proposedContent';
import { vscodeRipgrep } from './ripgrepPath';
import { readSettings } from './settings';
import type { SetupState } from './setupState';

export interface SetupReport {
  canRun: boolean;
  lines: CheckLine[];
}

export async function checkSetupInVsCode(setup: SetupState, choices: vscode.Memento, proposed: ProposedContent): Promise<SetupReport> {
  const settings = readSettings(choices);
  const signal = new AbortController().signal;
  const seen = await setup.sources.inspect(settings, signal);
  const source = seen.source;
  const lines: CheckLine[] = [];
  if (source?.kind === 'vscode-lm') {
    // The goal's model is one of VS Code's: the server checks do not apply.
    lines.push(...(await lmLines(setup, true, settings.model)));
    lines.push(ripgrepLine(await ripgrep()));
  } else {
    const target: SetupTarget = {
      ...(source ? { server: { baseUrl: source.baseUrl, label: source.label, how: HOW[source.how], apiKey: source.apiKey, ...keySource(source) } } : {}),
      probes: seen.probes,
      model: settings.model || (source?.lastModel && source.models?.includes(source.lastModel) ? source.lastModel : undefined),
      contextTokens: settings.contextWindow,
      probeTools: true,
      network: { proxy: proxySettings(), proxySource: proxySource(), extraCa: process.env.NODE_EXTRA_CA_CERTS || undefined },
      ripgrep: await ripgrep(),
    };
    if (!source && seen.found.length > 1)
      lines.push({ status: 'info', what: 'found', detail: 'several places to run a model: the first goal asks which to use' });
    lines.push(...(await checkSetup(target, signal)), ...(await lmLines(setup, false, undefined)));
  }
  const report = { canRun: source !== undefined || seen.found.length > 0 ? canRun(lines) : false, lines };
  const text = `${lines.map((l) => formatCheckLine(l)).join('')}\n${report.canRun ? 'A task can run.' : 'A task cannot run yet: see the lines marked FAIL.'}\n`;
  await vscode.window.showTextDocument(proposed.add('Stepwise setup check.txt', text), { preview: true });
  return report;
}

const HOW: Record<ModelSource['how'], string> = {
  setting: 'your settings',
  environment: 'the environment (OPENAI_BASE_URL / OPENAI_API_KEY)',
  remembered: 'used last time, still answering',
  found: 'found running',
};

function keySource(source: Extract<ModelSource, { kind: 'server' }>): { keySource?: string } {
  if (!source.apiKey) return {};
  return { keySource: source.apiKey === process.env.OPENAI_API_KEY ? 'OPENAI_API_KEY' : "VS Code's secret storage" };
}

/** VS Code's language models: offered, and allowed (a refusal is remembered: they count as not available). */
async function lmLines(setup: SetupState, chosen: boolean, named: string | undefined): Promise<CheckLine[]> {
  const models = await vscode.lm.selectChatModels(named ? { id: named } : undefined);
  const what = "VS Code's language models";
  if (!models.length) {
    return chosen
      ? [
          {
            status: 'fail',
            what,
            detail: named ? `none named "${named}"` : 'none offered',
            next: 'Pick one with Stepwise: Select Model, or install a provider such as GitHub Copilot.',
          },
        ]
      : [{ status: 'info', what, detail: 'none offered (with GitHub Copilot or another provider installed, Stepwise can use them with no setup)' }];
  }
  const names = models.map((m) => `${m.name} (${m.vendor})`).join(', ');
  const refusal = await askOnce(models[0]!);
  if (refusal) {
    await setup.sources.declineLm(refusal);
    return [
      {
        status: chosen ? 'fail' : 'warn',
        what,
        detail: `offered (${names}) but not available: ${refusal}`,
        next: 'Allow Stepwise in Manage Language Model Access, then pick them again.',
      },
    ];
  }
  return [{ status: 'ok', what, detail: `${models.length} offered and allowed: ${names}` }];
}

/** One tiny request: the consent dialog, if any, is asked here. Returns why it was refused. */
async function askOnce(model: vscode.LanguageModelChat): Promise<string | undefined> {
  const cts = new vscode.CancellationTokenSource();
  try {
    const response = await model.sendRequest(
      [vscode.LanguageModelChatMessage.User('Say ok.')],
      { justification: 'Stepwise checks that it may use this model.' },
      cts.token,
    );
    for await (const _ of response.text) break;
    return undefined;
  } catch (error) {
    if (
      error instanceof vscode.LanguageModelError &&
      (error.code === vscode.LanguageModelError.NoPermissions.name || error.code === vscode.LanguageModelError.Blocked.name)
    ) {
      return `you did not allow Stepwise to use it (${error.message})`;
    }
    return undefined; // another failure says nothing about consent; a goal reports it with its own message
  } finally {
    cts.cancel();
    cts.dispose();
  }
}

function proxySource(): string {
  const http = vscode.workspace.getConfiguration('http');
  if (http.get<string>('proxy')) return "VS Code's http.proxy";
  return ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].filter((n) => process.env[n]).join(', ') || 'environment';
}

async function ripgrep(): Promise<string | undefined> {
  return (
    vscodeRipgrep() ??
    (await findRipgrep(
      process.env.PATH,
      (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    ))
  );
}
