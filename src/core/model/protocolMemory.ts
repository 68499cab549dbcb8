/**
 * A ProtocolMemory over any small list store (VS Code's globalState, a file for the CLI): one
 * "server model" entry per model that needed the text protocol, the newest 200 kept.
 */
import type { ProtocolMemory } from './toolProtocolClient';

const MAX_ENTRIES = 200;

export interface ListStore {
  read(): string[];
  /** Returns false when the list could not be saved (then nothing is reported). */
  write(list: string[]): boolean;
}

export function listProtocolMemory(store: ListStore, server: string, onRemember: (model: string) => void): ProtocolMemory {
  const key = (model: string) => `${server} ${model}`;
  return {
    needsText: (model) => store.read().includes(key(model)),
    rememberText: (model) => {
      const known = store.read();
      if (known.includes(key(model))) return;
      if (store.write([...known, key(model)].slice(-MAX_ENTRIES))) onRemember(model);
    },
    forget: (model) => {
      const known = store.read();
      if (known.includes(key(model))) store.write(known.filter((k) => k !== key(model)));
    },
  };
}
