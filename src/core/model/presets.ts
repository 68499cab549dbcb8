/**
 * Where the OpenAI-compatible servers people run usually listen, so choosing one is a pick, not
 * a lookup. Local servers need no key; a custom server is any base URL.
 */
export interface ProviderPreset {
  id: 'ollama' | 'lmstudio' | 'llamacpp' | 'vllm' | 'openai';
  label: string;
  baseUrl: string;
  needsKey: boolean;
  /** What to do when it is not running, for messages and pickers. */
  hint: string;
}

export const PRESETS: readonly ProviderPreset[] = [
  {
    id: 'ollama',
    label: 'Ollama',
    baseUrl: 'http://127.0.0.1:11434/v1',
    needsKey: false,
    hint: 'start it with `ollama serve` and pull a model, e.g. `ollama pull qwen2.5-coder`',
  },
  {
    id: 'lmstudio',
    label: 'LM Studio',
    baseUrl: 'http://127.0.0.1:1234/v1',
    needsKey: false,
    hint: 'load a model and start the server in LM Studio (Developer tab), or `lms server start`',
  },
  {
    id: 'llamacpp',
    label: 'llama.cpp server',
    baseUrl: 'http://127.0.0.1:8080/v1',
    needsKey: false,
    hint: 'start `llama-server -m model.gguf --jinja` (--jinja enables tool calls)',
  },
  {
    id: 'vllm',
    label: 'vLLM',
    baseUrl: 'http://127.0.0.1:8000/v1',
    needsKey: false,
    hint: 'start `vllm serve MODEL --enable-auto-tool-choice --tool-call-parser …`',
  },
  { id: 'openai', label: 'OpenAI', baseUrl: 'https://api.openai.com/v1', needsKey: true, hint: 'set your API key' },
];

export function presetById(id: string): ProviderPreset | undefined {
  return PRESETS.find((p) => p.id === id.toLowerCase());
}

/** The preset a base URL belongs to, if any (for labels and hints). */
export function presetForUrl(baseUrl: string): ProviderPreset | undefined {
  const normalized = baseUrl.replace(/\/+$/, '').replace('://localhost', '://127.0.0.1');
  return PRESETS.find((p) => p.baseUrl === normalized);
}
