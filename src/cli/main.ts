/** `stepwise run`: wires the core to a folder, a model server and the terminal. */
import * as l10n from '@vscode/l10n';
import { chooseCliServer, chooseModel, choiceMessage, rememberServer } from './serverChoice';
import { noServerFound } from './defaultModelSetup';
import { NodeHost } from '../core/host/nodeHost';
import { killAllProcessGroups } from '../core/host/processRunner';
import { isConfigurationError, ModelError } from '../core/model/errors';
import { modelClient } from './modelClient';
import { DEFAULT_CONTEXT_SOURCE, profileModel } from '../core/model/modelProfile';
import { parseCommandLine, UsageError, type RunConfig } from './args';
import { help } from './help';
import { useCliLanguage } from './locale';
import { doctor } from './doctor';
import { TerminalInput } from './terminalInput';
import { listCheckpoints, restoreCommand } from './checkpointCommands';
import { EXIT_CONFIG, prepare, type Prepared } from './prepare';
import { killMcpProcesses, startCliMcp } from './mcpSetup';
import { EXIT_FAILED, EXIT_OK, type ModelSetup, type ProcessWatch, type RunParts, runAgentTask } from './agentRun';
import { embeddedModel, killModelProcesses } from './embeddedSetup';

export { EXIT_CONFIG } from './prepare';
export { EXIT_FAILED, EXIT_OK } from './agentRun';

export async function main(argv: string[], version: string): Promise<number> {
  useCliLanguage(process.env);
  let command;
  try {
    command = parseCommandLine(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`stepwise: ${error.message} ${l10n.t('(see stepwise --help)')}\n`);
    return EXIT_CONFIG;
  }
  if (command.kind === 'help') {
    process.stdout.write(`${help()}\n`);
    return EXIT_OK;
  }
  if (command.kind === 'version') {
    process.stdout.write(`${version}\n`);
    return EXIT_OK;
  }
  if (command.kind === 'doctor') return doctor(command.config, { env: process.env, out: process.stdout, err: process.stderr });
  if (command.kind === 'checkpoints' || command.kind === 'restore') {
    const io = { env: process.env, out: process.stdout, err: process.stderr, ...(process.stdin.isTTY ? { input: process.stdin } : {}) };
    return command.kind === 'checkpoints' ? listCheckpoints(command.config, io) : restoreCommand(command.config, io);
  }
  return run(command.config);
}

async function run(config: RunConfig): Promise<number> {
  const prepared = prepare(config);
  if (typeof prepared === 'number') return prepared;
  const controller = new AbortController();
  const watch = watchProcess(controller);
  // Until the task ends, an unexpected exit (e.g. stdin closed at a prompt) is not a success.
  process.exitCode = EXIT_FAILED;
  const terminal = process.stdin.isTTY ? new TerminalInput(process.stdin) : undefined;
  try {
    return await runTask(config, prepared, controller.signal, terminal, watch);
  } catch (error) {
    if (error instanceof ModelError) {
      if (error.kind === 'cancelled' && watch.outputGone) return EXIT_FAILED;
      prepared.say(error.message);
      return isConfigurationError(error) ? EXIT_CONFIG : EXIT_FAILED;
    }
    throw error;
  } finally {
    terminal?.close();
    watch.dispose();
  }
}

/**
 * Ctrl+C stops the task (commands are killed with their children); a second one, or the terminal
 * closing / a kill, ends at once — after killing every command still running. A reader of our
 * output that goes away stops the task like Ctrl+C, quietly.
 */
function watchProcess(controller: AbortController): ProcessWatch {
  let interrupts = 0;
  let outputGone = false;
  const onSigint = () => {
    if (++interrupts > 1) return quitNow(130);
    process.stderr.write(`\n${l10n.t('Stopping… (press Ctrl+C again to quit at once)')}\n`);
    controller.abort();
  };
  const onTerminate = () => quitNow(143);
  const onOutputError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    outputGone = true;
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onTerminate);
  process.on('SIGHUP', onTerminate);
  process.stdout.on('error', onOutputError);
  process.stderr.on('error', onOutputError);
  return {
    get outputGone() {
      return outputGone;
    },
    dispose() {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onTerminate);
      process.off('SIGHUP', onTerminate);
    },
  };
}

/** The MCP servers start while the model is found; they are stopped when the task ends, however it ends. */
async function runTask(config: RunConfig, p: Prepared, signal: AbortSignal, terminal: TerminalInput | undefined, watch: ProcessWatch): Promise<number> {
  const host = new NodeHost(p.workspace);
  // Looked for (and started) while the model server is found: neither waits for the other.
  const mcp = startCliMcp(p.mcp, { host, workspace: p.workspace, trustWorkspace: config.trustWorkspaceMcp, say: p.say });
  mcp.catch(() => undefined); // handled where it is awaited; not an unhandled rejection meanwhile
  try {
    return await runWithModel(config, p, { host, mcp, signal, terminal, watch });
  } finally {
    await (await mcp.catch(() => undefined))?.hub.dispose();
  }
}

/** The model (a server's, or the embedded one), then the task itself. */
async function runWithModel(config: RunConfig, p: Prepared, parts: RunParts): Promise<number> {
  const setup = config.embedded ? await embeddedModel(config, config.embedded, p, parts) : await serverModel(config, p, parts);
  if (typeof setup === 'number') return setup;
  try {
    return await runAgentTask(config, p, parts, setup);
  } finally {
    setup.dispose?.();
  }
}

/** The server run uses, its model, the model's window and price. */
async function serverModel(config: RunConfig, p: Prepared, parts: RunParts): Promise<ModelSetup | number> {
  const { say } = p;
  const { signal } = parts;
  const server = await chooseCliServer(p.baseUrl, p.apiKey, process.env, signal);
  if ('none' in server) {
    // Nothing to talk to: the embedded model, downloaded before or offered now.
    const embedded = await noServerFound(server.none, say, parts.terminal, signal);
    return typeof embedded === 'number' ? embedded : embeddedModel(config, { modelFile: embedded.file }, p, parts, true);
  }
  const { baseUrl, apiKey } = server;
  const model = await chooseModel(config.model, server, signal);
  if (server.how !== 'configured') say(choiceMessage(server, model));
  await rememberServer(process.env, server, model);
  const profile = await profileModel({ baseUrl, model, apiKey, contextTokens: config.contextWindow, signal });
  if (config.contextWindow === undefined && profile.contextSource !== DEFAULT_CONTEXT_SOURCE)
    say(l10n.t('context window {0} tokens ({1})', profile.contextTokens, profile.contextSource));
  if (config.budgetUsd !== undefined && profile.facts?.inputPerMTok === undefined && config.budgetTokens === undefined) {
    // A budget that cannot be kept must not look like one that is.
    say(l10n.t('--budget-usd cannot apply: {0} at {1} has no published price; use --budget-tokens.', model, baseUrl));
    return EXIT_CONFIG;
  }
  return {
    client: modelClient(config, baseUrl, model, apiKey, profile.server, say),
    contextTokens: profile.contextTokens,
    truncationCheck: !profile.windowCertain,
    ...(profile.facts ? { facts: profile.facts } : {}),
    apiKey,
  };
}

function quitNow(code: number): never {
  killAllProcessGroups();
  killMcpProcesses();
  killModelProcesses();
  process.exit(code);
}
