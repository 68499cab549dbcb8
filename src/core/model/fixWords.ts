/**
 * The next step a message names, in the words of the place the user is in: flags and environment
 * variables on the command line (the default), commands and settings in VS Code (set once when
 * the extension's runtime loads). A VS Code user is never told to pass a flag.
 */
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
}

export const CLI_FIXES: FixWords = {
  startServer: 'Start the server (e.g. `ollama serve`) or pass --base-url URL (env OPENAI_BASE_URL).',
  chooseServer:
    'Start a local server (e.g. `ollama serve`, then `ollama pull qwen2.5-coder:7b`), set OPENAI_API_KEY to use OpenAI, or pass --base-url URL (env OPENAI_BASE_URL) or --provider NAME.',
  setKey: 'Set a valid key: OPENAI_API_KEY, or --api-key-file FILE (env STEPWISE_API_KEY_FILE).',
  nameModel: 'Pass --model NAME (env STEPWISE_MODEL) with a model the server lists.',
  windowSetting: '--context-window',
  baseUrlSetting: '--base-url',
  skippedProbe: '(--no-probe)',
};

let current: FixWords = CLI_FIXES;

export function setFixWords(words: FixWords): void {
  current = words;
}

export function fix(kind: keyof FixWords): string {
  return current[kind];
}
