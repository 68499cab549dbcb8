/**
 * The model bar (which model a goal runs on, and where; one click switches it) and the setup card
 * (before anything is set up, and after setting up the model failed): the ways Stepwise can run,
 * each a button for the command that sets it up.
 */
import * as l10n from '@vscode/l10n';
import { INSTALL_COMMAND, PULL_COMMAND, type SetupView, type WebviewMessage } from '../protocol/messages';
import { button, h, icon, setText } from './dom';

type Action = Extract<WebviewMessage, { type: 'setupAction' }>['action'];

export class ModelBar {
  readonly el: HTMLButtonElement;
  private readonly text = h('span', { class: 'model-name', 'data-testid': 'model-name' });

  constructor(post: (m: WebviewMessage) => void) {
    this.el = h('button', { type: 'button', class: 'model-bar', 'data-testid': 'model-bar' }, icon('sparkle'), this.text, icon('chevron-down'));
    this.el.addEventListener('click', () => post({ type: 'setupAction', action: 'chooseModel' }));
  }

  update(setup: SetupView | undefined): void {
    const model = setup?.model;
    setText(this.text, model ? `${model.name} · ${model.where}` : l10n.t('No model set up yet'));
    const label = model ? l10n.t('Model: {0}, {1}. Switch model', model.name, model.where) : l10n.t('No model set up yet. Choose a model');
    this.el.title = label;
    this.el.setAttribute('aria-label', label);
  }
}

export class SetupCard {
  readonly el: HTMLElement;
  private readonly reason = h('p', { class: 'card-error', 'data-testid': 'setup-reason', role: 'alert' });
  private readonly lm: HTMLElement;
  private readonly lmNote = h('p', { class: 'card-hint', 'data-testid': 'setup-lm-note' });
  private last = '';

  constructor(post: (m: WebviewMessage) => void) {
    const act = (action: Action) => () => post({ type: 'setupAction', action });
    this.lm = option(
      l10n.t("Use VS Code's language models"),
      l10n.t('The models VS Code offers (GitHub Copilot or another provider), with no setup.'),
      button({ label: l10n.t("Use VS Code's language models"), text: l10n.t('Use them'), kind: 'primary', testid: 'setup-use-lm' }, act('useLm')),
    );
    const local = option(
      l10n.t('Connect to a local server'),
      l10n.t(
        'Ollama, LM Studio, llama.cpp or vLLM on this machine: nothing leaves it. With Ollama: install it (on macOS and Windows the app from ollama.com, on Linux the first command), then pull a coding model (the second).',
      ),
      commandLine(INSTALL_COMMAND, 'setup-install', act('copyInstall')),
      commandLine(PULL_COMMAND, 'setup-pull', act('copyPull')),
      button({ label: l10n.t('Look for a running local server'), text: l10n.t('Look for a server'), testid: 'setup-find-server' }, act('findServer')),
    );
    const embedded = option(
      l10n.t('Run a model inside Stepwise'),
      l10n.t(
        'Nothing else to install and no key: Stepwise runs Qwen2.5-Coder 1.5B itself, on this machine. The first goal asks before downloading it (1.1 GB, once). Smaller and slower than a server model.',
      ),
      button({ label: l10n.t('Run a model inside Stepwise'), text: l10n.t('Use the embedded model'), testid: 'setup-use-embedded' }, act('useEmbedded')),
    );
    const key = option(
      l10n.t('Enter an API key'),
      l10n.t('OpenAI or another hosted OpenAI-compatible service; the key is kept in VS Code’s secret storage.'),
      button({ label: l10n.t('Enter an API key'), text: l10n.t('Enter a key…'), testid: 'setup-api-key' }, act('apiKey')),
    );
    this.el = h(
      'section',
      { class: 'card setup-card', 'data-testid': 'setup-card', 'aria-label': l10n.t('Set up a model') },
      h('div', { class: 'card-title' }, icon('plug'), h('h3', { text: l10n.t('Set up a model') })),
      this.reason,
      h('p', { class: 'card-hint', text: l10n.t('Stepwise looks for a running local server by itself when you send a goal. Or choose one way:') }),
      this.lm,
      this.lmNote,
      local,
      embedded,
      key,
      h(
        'div',
        { class: 'setup-footer' },
        button({ label: l10n.t('Choose a model'), text: l10n.t('Choose a model…'), testid: 'setup-choose-model' }, act('chooseModel')),
        button({ label: l10n.t('Check the setup'), text: l10n.t('Check setup'), icon: 'checklist', testid: 'setup-check' }, act('checkSetup')),
      ),
    );
  }

  update(setup: SetupView | undefined): void {
    const key = JSON.stringify(setup ?? null);
    if (key === this.last) return;
    this.last = key;
    this.el.hidden = !setup?.needed;
    setText(this.reason, setup?.reason ?? '');
    this.lm.hidden = !setup?.lmAvailable;
    setText(this.lmNote, setup?.lmNote ?? '');
    this.lmNote.hidden = !setup?.lmNote;
  }
}

/** A command shown whole, with a button that copies it. */
function commandLine(command: string, testid: string, copy: () => void): HTMLElement {
  return h(
    'div',
    { class: 'setup-command' },
    h('code', { text: command, 'data-testid': `${testid}-command` }),
    button({ label: l10n.t('Copy "{0}"', command), icon: 'copy', kind: 'icon', testid: `${testid}-copy` }, copy),
  );
}

function option(title: string, hint: string, ...controls: HTMLElement[]): HTMLElement {
  return h('div', { class: 'setup-option' }, h('h4', { text: title }), h('p', { class: 'card-hint', text: hint }), ...controls);
}
