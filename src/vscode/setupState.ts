/**
 * What the sidebar's model bar and setup card show: the model in use and where it runs (known from
 * the settings or the remembered choice without asking anything, then from each goal's setup),
 * whether the setup card is needed (nothing set up yet, or setting up the model failed), and
 * whether VS Code offers language models.
 */
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_MODEL } from '../core/embedded/defaultModel';
import { hostOf } from '../core/model/discovery';
import { isConfigurationError, ModelError } from '../core/model/errors';
import { presetById, presetForUrl } from '../core/model/presets';
import type { SetupView } from '../protocol/messages';
import type { ModelSetup } from './modelSetup';
import { type ModelSource, ModelSources, whereItRuns } from './modelSource';
import { type ApiKeyStore, readSettings } from './settings';
import { EmbeddedModels } from './embeddedModel';

export class SetupState implements vscode.Disposable {
  readonly sources: ModelSources;
  /** The embedded model, loaded by a goal and kept for the next. */
  readonly embedded = new EmbeddedModels();
  private failure: string | undefined;
  private shown: { name: string; where: string } | undefined;
  private lmCount = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly watchers: vscode.Disposable[];

  constructor(
    globalState: vscode.Memento,
    keys: ApiKeyStore,
    private readonly choices: vscode.Memento,
  ) {
    this.sources = new ModelSources(globalState, keys);
    this.watchers = [
      vscode.lm.onDidChangeChatModels(() => void this.refreshLm()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('stepwise')) return;
        // A model chosen in the settings replaces what the last goal used.
        this.shown = undefined;
        this.failure = undefined;
        this.changed.fire();
      }),
    ];
    void this.refreshLm();
  }

  view(): SetupView {
    const model = this.shown ?? this.described();
    const lmNote = this.sources.lmNote(true);
    return {
      ...(model ? { model } : {}),
      needed: this.failure !== undefined || model === undefined,
      ...(this.failure ? { reason: this.failure } : {}),
      lmAvailable: this.lmCount > 0 && !this.sources.lmDeclined(),
      ...(lmNote && this.lmCount > 0 ? { lmNote } : {}),
    };
  }

  succeeded(setup: ModelSetup): void {
    this.failure = undefined;
    this.shown = setup.shown;
    this.changed.fire();
  }

  /** A goal could not set up its model, or its model refused: the card says why. */
  async failed(error: Error, source?: ModelSource): Promise<void> {
    if (!(error instanceof ModelError) || !isConfigurationError(error)) return;
    if (error.kind === 'auth' && source?.kind === 'vscode-lm') await this.sources.declineLm(error.message);
    this.failure = error.message;
    this.changed.fire();
  }

  /** Something was set up (a key, a model, VS Code's models): the next goal tries it. */
  async reset(): Promise<void> {
    this.failure = undefined;
    this.shown = undefined;
    await this.refreshLm();
  }

  /** Of several places found, the user picks one (remembered by the caller). */
  async pick(found: ModelSource[]): Promise<ModelSource | undefined> {
    const items = found.map((source) => ({ ...pickText(source), source }));
    const chosen = await vscode.window.showQuickPick(items, {
      title: l10n.t('Stepwise found several places to run a model'),
      placeHolder: l10n.t('Pick one; Stepwise remembers it on this machine (switch later in the sidebar’s model bar)'),
      ignoreFocusOut: true,
    });
    return chosen?.source;
  }

  private async refreshLm(): Promise<void> {
    const count = await Promise.resolve(vscode.lm.selectChatModels()).then(
      (models) => models.length,
      () => 0,
    );
    this.lmCount = count;
    this.changed.fire();
  }

  /** The model as the settings or the remembered choice tell, without asking any server. */
  private described(): { name: string; where: string } | undefined {
    const settings = readSettings(this.choices);
    const first = l10n.t("the server's first model");
    if (settings.configured.provider && settings.provider === 'vscode-lm')
      return { name: settings.model || l10n.t("VS Code's language models"), where: 'VS Code' }; // l10n-ignore: product name
    if (settings.configured.provider && settings.provider === 'embedded')
      return {
        name: settings.embeddedModelFile ? path.basename(settings.embeddedModelFile) : DEFAULT_MODEL.label,
        where: whereItRuns({ kind: 'embedded', how: 'setting', modelFile: settings.embeddedModelFile }),
      };
    const url = settings.configured.baseUrl
      ? settings.baseUrl
      : process.env.OPENAI_BASE_URL || (process.env.OPENAI_API_KEY ? presetById('openai')!.baseUrl : undefined);
    if (url) {
      const source: ModelSource = { kind: 'server', baseUrl: url, label: presetForUrl(url)?.label ?? hostOf(url), apiKey: undefined, how: 'setting' };
      return { name: settings.model || first, where: whereItRuns(source) };
    }
    const remembered = this.sources.remembered();
    if (!remembered) return undefined;
    const source: ModelSource =
      remembered.kind === 'server' ? { ...remembered, apiKey: undefined, how: 'remembered' } : { kind: 'vscode-lm', how: 'remembered' };
    return { name: settings.model || remembered.model || first, where: whereItRuns(source) };
  }

  dispose(): void {
    this.embedded.dispose();
    for (const w of this.watchers) w.dispose();
    this.changed.dispose();
  }
}

/** How a place to run a model reads in the picker. */
function pickText(source: ModelSource): { label: string; description: string } {
  if (source.kind === 'vscode-lm') return { label: l10n.t("VS Code's language models"), description: l10n.t('Copilot or another provider') };
  if (source.kind === 'embedded') return { label: l10n.t('The embedded model'), description: whereItRuns(source) };
  return {
    label: source.label,
    description: source.models ? l10n.t('{0} · {1} model(s)', hostOf(source.baseUrl), source.models.length) : hostOf(source.baseUrl),
  };
}
