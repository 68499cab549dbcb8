/**
 * The CLI's memory of which models needed the text tool protocol, so the next run starts in it:
 * a small JSON list in the user's state folder ($XDG_STATE_HOME/stepwise, else
 * ~/.local/state/stepwise). Never fatal: an unreadable or unwritable file just means no memory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listProtocolMemory } from '../core/model/protocolMemory';
import type { ProtocolMemory } from '../core/model/toolProtocolClient';
import { stateDir } from './userConfig';

export function stateFile(env: NodeJS.ProcessEnv): string {
  return path.join(stateDir(env), 'text-protocol-models.json');
}

export function fileProtocolMemory(file: string, server: string, onRemember: (model: string) => void): ProtocolMemory {
  return listProtocolMemory(
    {
      read: () => {
        try {
          const list: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
          return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
        } catch {
          return [];
        }
      },
      write: (list) => {
        try {
          fs.mkdirSync(path.dirname(file), { recursive: true });
          const tmp = `${file}.${process.pid}.tmp`;
          fs.writeFileSync(tmp, JSON.stringify(list));
          fs.renameSync(tmp, file);
          return true;
        } catch {
          return false;
        }
      },
    },
    server,
    onRemember,
  );
}
