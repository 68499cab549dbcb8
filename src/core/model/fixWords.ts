/**
 * The next step a message names, in the words of the place the user is in: flags and environment
 * variables on the command line (the default), commands and settings in VS Code (set once when
 * the extension's runtime loads). A VS Code user is never told to pass a flag.
 */
import * as l10n from '@vscode/l10n';

export interface FixWords {
  /** The server cannot be reached. */
  startServer: string;
  /** No server was found or configured. */
  chooseServer: string;
  /** The key is missing or was refused. */
  setKey: string;
  /** The model is missing or not listed. */
  nameModel: string;
  /** Where the context window is set, inside a sentence. */
  windowSetting: string;
  /** Where the base URL is set, inside a sentence. */
  baseUrlSetting: string;
  /** How a skipped tool-call probe is explained (setup checks). */
  skippedProbe: string;
  /** How to get the embedded model's default downloaded, or use another file. */
  getEmbeddedModel: string;
  /** How to name another model file for the embedded model. */
  otherModelFile: string;
}

/** The CLI's words (the default), in the display language: a function, since the language is set after modules load. */
export function cliFixes(): FixWords {
  return {
    startServer: l10n.t('Start the server (e.g. `ollama serve`) or pass --base-url URL (env OPENAI_BASE_URL).'),
    chooseServer: l10n.t(
      'Start a local server (e.g. `ollama serve`, then `ollama pull qwen2.5-coder:7b`), set OPENAI_API_KEY to use OpenAI, or pass --base-url URL (env OPENAI_BASE_URL) or --provider NAME.',
    ),
    setKey: l10n.t('Set a valid key: OPENAI_API_KEY, or --api-key-file FILE (env STEPWISE_API_KEY_FILE).'),
    nameModel: l10n.t('Pass --model NAME (env STEPWISE_MODEL) with a model the server lists.'),
    windowSetting: '--context-window',
    baseUrlSetting: '--base-url',
    skippedProbe: '(--no-probe)',
    getEmbeddedModel: l10n.t('`stepwise run --provider embedded "…"` downloads it once (on a terminal it asks first), or pass --model-file PATH'),
    otherModelFile: l10n.t('pass --model-file with a GGUF file, or leave it out for the default model'),
  };
}

/** The host's words: fixed, or made when asked (so they follow a language set later). Absent: the CLI's. */
let current: FixWords | (() => FixWords) | undefined;

export function setFixWords(words: FixWords | (() => FixWords)): void {
  current = words;
}

export function fix(kind: keyof FixWords): string {
  const words = current ?? cliFixes;
  return (typeof words === 'function' ? words() : words)[kind];
}
