/** The CLI's model client: the server's cache options when it was identified, and the tool protocol the model needs. */
import * as l10n from '@vscode/l10n';
import type { ServerKind } from '../core/model/contextWindow';
import { OpenAIClient } from '../core/model/openaiClient';
import { DEFAULT_KEEP_ALIVE } from '../core/model/serverCache';
import { ToolProtocolClient } from '../core/model/toolProtocolClient';
import type { RunConfig } from './args';
import { fileProtocolMemory, stateFile } from './protocolMemory';

/** The server's client: its cache options when identified, and the tool protocol this model needs. */
export function modelClient(
  config: RunConfig,
  baseUrl: string,
  model: string,
  apiKey: string | undefined,
  server: ServerKind | undefined,
  say: (line: string) => void,
) {
  const memory = fileProtocolMemory(stateFile(process.env), baseUrl, (m) =>
    say(l10n.t('{0} writes its tool calls as text; later runs start in the text protocol (--tool-protocol overrides, --reset-tool-protocol forgets)', m)),
  );
  if (config.resetToolProtocol) memory.forget?.(model);
  const keepAlive = process.env.STEPWISE_OLLAMA_KEEP_ALIVE ?? DEFAULT_KEEP_ALIVE;
  return new ToolProtocolClient(new OpenAIClient({ baseUrl, model, apiKey, ...(server ? { server } : {}), keepAlive }), config.toolProtocol, memory);
}
