/**
 * Where a goal's model runs in VS Code. Precedence: the user's settings (stepwise.provider,
 * stepwise.baseUrl) > the environment (OPENAI_BASE_URL; OPENAI_API_KEY alone means OpenAI) > the
 * choice found before, if it still answers > looking: the local servers' usual ports
 * (src/core/model/discovery.ts) and the language models VS Code offers. One found is used and
 * named; of several the user picks once. The choice is remembered for this machine (global
 * state, not settings). A found server never gets the key.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { isChatModel } from '../core/model/chatModels';
import { chooseServer, describeProbes, hostOf, localCandidates, type Probe, probeServers } from '../core/model/discovery';
import { ModelError } from '../core/model/errors';
import { fix } from '../core/model/fixWords';
import { presetById, presetForUrl } from '../core/model/presets';
import type { ApiKeyStore, StepwiseSettings } from './settings';

export type SourceHow = 'setting' | 'environment' | 'remembered' | 'found';

export type ModelSource =
  | { kind: 'server'; baseUrl: string; label: string; apiKey: string | undefined; how: SourceHow; models?: string[]; lastModel?: string }
  | { kind: 'vscode-lm'; how: SourceHow; lastModel?: string }
  /** A GGUF model Stepwise runs itself (src/vscode/embeddedModel.ts): chosen in the settings only, never found. */
  | { kind: 'embedded'; how: SourceHow; modelFile: string };

type Remembered = { kind: 'server'; baseUrl: string; label: string; model?: string } | { kind: 'vscode-lm'; model?: string };

const REMEMBERED = 'stepwise.foundModel';
const LM_DECLINED = 'stepwise.lmDeclined';

export class ModelSources {
  constructor(
    private readonly state: vscode.Memento,
    private readonly keys: ApiKeyStore,
  ) {}

  /** The source a goal runs on; `pick` chooses among several found (undefined: the user chose none). */
  async resolve(settings: StepwiseSettings, signal: AbortSignal, pick: (found: ModelSource[]) => Promise<ModelSource | undefined>): Promise<ModelSource> {
    const seen = await this.inspect(settings, signal);
    if (seen.source) return seen.source;
    if (seen.found.length > 1) {
      const chosen = await pick(seen.found);
      if (chosen) return chosen;
      throw new ModelError('model_not_found', l10n.t('No model was chosen. {0}', fix('chooseServer')));
    }
    throw new ModelError('unreachable', l10n.t('No model found: {0}. {1}', lookedAt(seen.probes, this.lmNote()), fix('chooseServer')));
  }

  /** What is configured, or else what looking finds: the source when it is clear, all found, and the ports asked. */
  async inspect(settings: StepwiseSettings, signal: AbortSignal): Promise<{ source?: ModelSource; found: ModelSource[]; probes: Probe[] }> {
    const configured = await this.configured(settings);
    if (configured) return { source: configured, found: [configured], probes: [] };
    const remembered = this.remembered();
    const looked = await this.look(remembered, signal);
    const again = looked.found.find((s) => remembered && sameSource(s, remembered));
    if (again) return { ...looked, source: { ...again, how: 'remembered', ...(remembered?.model ? { lastModel: remembered.model } : {}) } };
    return looked.found.length === 1 ? { ...looked, source: looked.found[0]! } : looked;
  }

  /** Settings or environment: no looking, and the key goes only there. */
  private async configured(settings: StepwiseSettings): Promise<ModelSource | undefined> {
    if (settings.configured.provider && settings.provider === 'vscode-lm') return { kind: 'vscode-lm', how: 'setting' };
    if (settings.configured.provider && settings.provider === 'embedded') return { kind: 'embedded', how: 'setting', modelFile: settings.embeddedModelFile };
    if (settings.configured.baseUrl) return server(settings.baseUrl, await this.keys.get(), 'setting');
    const envUrl = process.env.OPENAI_BASE_URL?.replace(/\/+$/, '');
    if (envUrl) return server(envUrl, (await this.keys.get()) ?? (process.env.OPENAI_API_KEY || undefined), 'environment');
    if (process.env.OPENAI_API_KEY) return server(presetById('openai')!.baseUrl, process.env.OPENAI_API_KEY, 'environment');
    return undefined;
  }

  /** The local ports (and the remembered server) and VS Code's models, asked at once. */
  private async look(remembered: Remembered | undefined, signal: AbortSignal): Promise<{ found: ModelSource[]; probes: Probe[] }> {
    const locals = localCandidates();
    const candidates =
      remembered?.kind === 'server' && !locals.some((c) => c.baseUrl === remembered.baseUrl)
        ? [{ label: remembered.label, baseUrl: remembered.baseUrl }, ...locals]
        : locals;
    const [probes, lm] = await Promise.all([probeServers(candidates, signal), this.lmDeclined() ? [] : vscode.lm.selectChatModels()]);
    const found: ModelSource[] = [];
    for (const p of probes) {
      if (p.outcome.kind === 'ok' && p.outcome.models.some(isChatModel))
        found.push({ ...server(p.baseUrl, undefined, 'found'), label: p.label, models: p.outcome.models });
    }
    if (lm.length) found.push({ kind: 'vscode-lm', how: 'found' });
    // A server that answers without a chat model is still named, so the error says what to pull.
    if (!found.length) {
      const answering = chooseServer(probes);
      if (answering?.outcome.kind === 'ok')
        found.push({ ...server(answering.baseUrl, undefined, 'found'), label: answering.label, models: answering.outcome.models });
    }
    return { found, probes };
  }

  remembered(): Remembered | undefined {
    const value = this.state.get<Remembered>(REMEMBERED);
    return value && (value.kind === 'vscode-lm' || (value.kind === 'server' && typeof value.baseUrl === 'string')) ? value : undefined;
  }

  /** After a goal set up its model: a found source (and the model) is kept for next time. */
  async remember(source: ModelSource, model: string): Promise<void> {
    if (source.how !== 'found' && source.how !== 'remembered') return;
    if (source.kind === 'embedded') return;
    const value: Remembered = source.kind === 'server' ? { kind: 'server', baseUrl: source.baseUrl, label: source.label, model } : { kind: 'vscode-lm', model };
    await Promise.resolve(this.state.update(REMEMBERED, value)).catch(() => undefined);
  }

  async forget(): Promise<void> {
    await Promise.resolve(this.state.update(REMEMBERED, undefined)).catch(() => undefined);
  }

  /** The user refused Stepwise access to VS Code's models: they count as not available until the user picks them. */
  async declineLm(reason: string): Promise<void> {
    await Promise.resolve(this.state.update(LM_DECLINED, reason)).catch(() => undefined);
    if (this.remembered()?.kind === 'vscode-lm') await this.forget();
  }

  async allowLm(): Promise<void> {
    await Promise.resolve(this.state.update(LM_DECLINED, undefined)).catch(() => undefined);
  }

  lmDeclined(): boolean {
    return typeof this.state.get(LM_DECLINED) === 'string';
  }

  /** Why VS Code's models are not used, if they are not; `sentence`: with its full stop. */
  lmNote(sentence = false): string | undefined {
    if (!this.lmDeclined()) return undefined;
    return sentence
      ? l10n.t(
          "VS Code's language models are not used: you did not allow Stepwise to use them (allow it in Manage Language Model Access, then pick them again).",
        )
      : l10n.t(
          "VS Code's language models are not used: you did not allow Stepwise to use them (allow it in Manage Language Model Access, then pick them again)",
        );
  }
}

function server(baseUrl: string, apiKey: string | undefined, how: SourceHow): Extract<ModelSource, { kind: 'server' }> {
  return { kind: 'server', baseUrl, label: presetForUrl(baseUrl)?.label ?? hostOf(baseUrl), apiKey, how };
}

function sameSource(source: ModelSource, remembered: Remembered): boolean {
  return source.kind === remembered.kind && (source.kind !== 'server' || (remembered.kind === 'server' && source.baseUrl === remembered.baseUrl));
}

function lookedAt(probes: readonly Probe[], lmNote: string | undefined): string {
  return l10n.t('no local server answers (looked for {0}) and {1}', describeProbes(probes), lmNote ?? l10n.t('VS Code offers no language models'));
}

/** "Ollama, local", "OpenAI", "VS Code": where a source runs, for the model bar. */
export function whereItRuns(source: ModelSource, vendor?: string): string {
  if (source.kind === 'vscode-lm') return vendor ? `VS Code (${vendor})` : 'VS Code'; // l10n-ignore: product names
  if (source.kind === 'embedded') return l10n.t('Stepwise, on this machine');
  const local = /^(127\.|localhost|\[::1\])/.test(hostOf(source.baseUrl));
  return local ? l10n.t('{0}, local', source.label) : source.label;
}
