/**
 * Where the OpenAI-compatible servers people run usually listen, so choosing one is a pick, not
 * a lookup. Local servers need no key; a custom server is any base URL.
 */
import * as l10n from '@vscode/l10n';

export interface ProviderPreset {
  id: 'ollama' | 'lmstudio' | 'llamacpp' | 'vllm' | 'openai';
  label: string;
  baseUrl: string;
  needsKey: boolean;
  /** What to do when it is not running, for messages and pickers (in the display language when read). */
  hint: string;
}

export const PRESETS: readonly ProviderPreset[] = [
  {
    id: 'ollama',
    label: 'Ollama', // l10n-ignore: a product name
    baseUrl: 'http://127.0.0.1:11434/v1',
    needsKey: false,
    get hint() {
      return l10n.t('start it with `ollama serve` and pull a model, e.g. `ollama pull qwen2.5-coder`');
    },
  },
  {
    id: 'lmstudio',
    label: 'LM Studio', // l10n-ignore: a product name
    baseUrl: 'http://127.0.0.1:1234/v1',
    needsKey: false,
    get hint() {
      return l10n.t('load a model and start the server in LM Studio (Developer tab), or `lms server start`');
    },
  },
  {
    id: 'llamacpp',
    label: 'llama.cpp server', // l10n-ignore: a product name
    baseUrl: 'http://127.0.0.1:8080/v1',
    needsKey: false,
    get hint() {
      return l10n.t('start `llama-server -m model.gguf --jinja` (--jinja enables tool calls)');
    },
  },
  {
    id: 'vllm',
    label: 'vLLM', // l10n-ignore: a product name
    baseUrl: 'http://127.0.0.1:8000/v1',
    needsKey: false,
    get hint() {
      return l10n.t('start `vllm serve MODEL --enable-auto-tool-choice --tool-call-parser …`');
    },
  },
  {
    id: 'openai',
    label: 'OpenAI', // l10n-ignore: a product name
    baseUrl: 'https://api.openai.com/v1',
    needsKey: true,
    get hint() {
      return l10n.t('set your API key');
    },
  },
];

export function presetById(id: string): ProviderPreset | undefined {
  return PRESETS.find((p) => p.id === id.toLowerCase());
}

/** The preset a base URL belongs to, if any (for labels and hints). */
export function presetForUrl(baseUrl: string): ProviderPreset | undefined {
  const normalized = baseUrl.replace(/\/+$/, '').replace('://localhost', '://127.0.0.1');
  return PRESETS.find((p) => p.baseUrl === normalized);
}
