/**
 * What the core says in VS Code's words (src/core/model/fixWords.ts: commands and settings, never
 * command-line flags), and the proxy VS Code is set to use (http.proxy, http.noProxy) for model
 * requests (src/core/model/proxy.ts).
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { type FixWords, setFixWords } from '../core/model/fixWords';
import { configureProxy } from '../core/model/proxy';

/** In the interface language, so made when the runtime loads (after the language is set). */
export function vscodeFixes(): FixWords {
  return {
    startServer: l10n.t('Start it (e.g. `ollama serve`), or choose another in the Stepwise sidebar or with Stepwise: Select Model.'),
    chooseServer: l10n.t(
      "Set one up in the Stepwise sidebar: VS Code's language models, a local server (e.g. Ollama: `ollama pull qwen2.5-coder:7b`), or an API key; or run Stepwise: Select Model.",
    ),
    setKey: l10n.t('Set a valid key with Stepwise: Set API Key (or Enter an API key in the Stepwise sidebar).'),
    nameModel: l10n.t('Pick one with Stepwise: Select Model.'),
    windowSetting: l10n.t('the stepwise.contextWindow setting'),
    baseUrlSetting: 'stepwise.baseUrl',
    skippedProbe: l10n.t('(skipped)'),
    getEmbeddedModel: l10n.t('send a goal: Stepwise asks, then downloads it once; or set stepwise.embedded.modelFile to a GGUF file'),
    otherModelFile: l10n.t('set stepwise.embedded.modelFile to a GGUF file, or leave it empty for the default model'),
  };
}

export function useEditorWords(): vscode.Disposable {
  setFixWords(vscodeFixes);
  const applyProxy = () => {
    const http = vscode.workspace.getConfiguration('http');
    const proxy = http.get<string>('proxy') || undefined;
    const noProxy = http.get<string[]>('noProxy');
    configureProxy(proxy ? { httpProxy: proxy, httpsProxy: proxy, noProxy: noProxy?.length ? noProxy.join(',') : undefined } : undefined);
  };
  applyProxy();
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('http.proxy') || e.affectsConfiguration('http.noProxy')) applyProxy();
  });
}
