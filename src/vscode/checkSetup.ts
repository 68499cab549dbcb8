/**
 * Stepwise: Check Setup — the same checks as `stepwise doctor` (src/core/setup/checkSetup.ts) on
 * the model a goal would use, plus VS Code's language models: offered or not, and whether the user
 * allowed Stepwise to use them (one tiny request; a refusal counts as not available). The report
 * opens as a read-only document and is returned to the caller.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { findRipgrep } from '../core/host/textSearch';
import { proxySettings } from '../core/model/proxy';
import { canRun, checkSetup, type CheckLine, formatCheckLine, ripgrepLine, type SetupTarget } from '../core/setup/checkSetup';
import type { ModelSource } from './modelSource';
import { embeddedLines } from '../core/setup/embeddedChecks';
import { EMBEDDED_WORKER } from './embeddedModel';
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
  if (source?.kind === 'embedded') {
    // The model Stepwise runs itself: its runtime, its file, one load.
    const target = { modelFile: source.modelFile || undefined, probe: true, env: process.env, workerPath: EMBEDDED_WORKER };
    lines.push(...(await embeddedLines(target, signal)), ripgrepLine(await ripgrep()));
  } else if (source?.kind === 'vscode-lm') {
    // The goal's model is one of VS Code's: the server checks do not apply.
    lines.push(...(await lmLines(setup, true, settings.model)));
    lines.push(ripgrepLine(await ripgrep()));
  } else {
    const target: SetupTarget = {
      ...(source ? { server: { baseUrl: source.baseUrl, label: source.label, how: how(source.how), apiKey: source.apiKey, ...keySource(source) } } : {}),
      probes: seen.probes,
      model: settings.model || (source?.lastModel && source.models?.includes(source.lastModel) ? source.lastModel : undefined),
      contextTokens: settings.contextWindow,
      probeTools: true,
      network: { proxy: proxySettings(), proxySource: proxySource(), extraCa: process.env.NODE_EXTRA_CA_CERTS || undefined },
      ripgrep: await ripgrep(),
    };
    if (!source && seen.found.length > 1)
      lines.push({ status: 'info', what: l10n.t('found'), detail: l10n.t('several places to run a model: the first goal asks which to use') });
    lines.push(...(await checkSetup(target, signal)), ...(await lmLines(setup, false, undefined)));
  }
  const report = { canRun: source !== undefined || seen.found.length > 0 ? canRun(lines) : false, lines };
  const verdict = report.canRun ? l10n.t('A task can run.') : l10n.t('A task cannot run yet: see the lines marked FAIL.');
  const text = `${lines.map((l) => formatCheckLine(l)).join('')}\n${verdict}\n`;
  await vscode.window.showTextDocument(proposed.add(l10n.t('Stepwise setup check.txt'), text), { preview: true });
  return report;
}

function how(source: ModelSource['how']): string {
  switch (source) {
    case 'setting':
      return l10n.t('your settings');
    case 'environment':
      return l10n.t('the environment (OPENAI_BASE_URL / OPENAI_API_KEY)');
    case 'remembered':
      return l10n.t('used last time, still answering');
    case 'found':
      return l10n.t('found running');
  }
}

function keySource(source: Extract<ModelSource, { kind: 'server' }>): { keySource?: string } {
  if (!source.apiKey) return {};
  return { keySource: source.apiKey === process.env.OPENAI_API_KEY ? 'OPENAI_API_KEY' : l10n.t("VS Code's secret storage") };
}

/** VS Code's language models: offered, and allowed (a refusal is remembered: they count as not available). */
async function lmLines(setup: SetupState, chosen: boolean, named: string | undefined): Promise<CheckLine[]> {
  const models = await vscode.lm.selectChatModels(named ? { id: named } : undefined);
  const what = l10n.t("VS Code's language models");
  if (!models.length) {
    return chosen
      ? [
          {
            status: 'fail',
            what,
            detail: named ? l10n.t('none named "{0}"', named) : l10n.t('none offered'),
            next: l10n.t('Pick one with Stepwise: Select Model, or install a provider such as GitHub Copilot.'),
          },
        ]
      : [{ status: 'info', what, detail: l10n.t('none offered (with GitHub Copilot or another provider installed, Stepwise can use them with no setup)') }];
  }
  const names = models.map((m) => `${m.name} (${m.vendor})`).join(', ');
  const refusal = await askOnce(models[0]!);
  if (refusal) {
    await setup.sources.declineLm(refusal);
    return [
      {
        status: chosen ? 'fail' : 'warn',
        what,
        detail: l10n.t('offered ({0}) but not available: {1}', names, refusal),
        next: l10n.t('Allow Stepwise in Manage Language Model Access, then pick them again.'),
      },
    ];
  }
  return [{ status: 'ok', what, detail: l10n.t('{0} offered and allowed: {1}', models.length, names) }];
}

/** One tiny request: the consent dialog, if any, is asked here. Returns why it was refused. */
async function askOnce(model: vscode.LanguageModelChat): Promise<string | undefined> {
  const cts = new vscode.CancellationTokenSource();
  try {
    const response = await model.sendRequest(
      [vscode.LanguageModelChatMessage.User('Say ok.')], // l10n-ignore: for the model
      { justification: l10n.t('Stepwise checks that it may use this model.') },
      cts.token,
    );
    for await (const _ of response.text) break;
    return undefined;
  } catch (error) {
    if (
      error instanceof vscode.LanguageModelError &&
      (error.code === vscode.LanguageModelError.NoPermissions.name || error.code === vscode.LanguageModelError.Blocked.name)
    ) {
      return l10n.t('you did not allow Stepwise to use it ({0})', error.message);
    }
    return undefined; // another failure says nothing about consent; a goal reports it with its own message
  } finally {
    cts.cancel();
    cts.dispose();
  }
}

function proxySource(): string {
  const http = vscode.workspace.getConfiguration('http');
  if (http.get<string>('proxy')) return l10n.t("VS Code's http.proxy");
  return ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].filter((n) => process.env[n]).join(', ') || l10n.t('environment');
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
