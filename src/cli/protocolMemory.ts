/**
 * The CLI's memory of which models needed the text tool protocol, so the next run starts in it:
 * a small JSON list in the user's state folder ($XDG_STATE_HOME/stepwise, else
 * ~/.local/state/stepwise). Never fatal: an unreadable or unwritable file just means no memory.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ProtocolMemory } from '../core/model/toolProtocolClient';

const MAX_ENTRIES = 200;

export function stateFile(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'stepwise', 'text-protocol-models.json');
}

export function fileProtocolMemory(file: string, server: string, onRemember: (model: string) => void): ProtocolMemory {
  const read = (): string[] => {
    try {
      const list: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  };
  return {
    needsText: (model) => read().includes(`${server} ${model}`),
    rememberText: (model) => {
      const known = read();
      const key = `${server} ${model}`;
      if (known.includes(key)) return;
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify([...known, key].slice(-MAX_ENTRIES)));
        fs.renameSync(tmp, file);
        onRemember(model);
      } catch {
        // No memory this time; the switch still happened for this run.
      }
    },
  };
}
