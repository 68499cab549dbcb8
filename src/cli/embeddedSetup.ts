/**
 * `--provider embedded`: the model file checked, the runtime installed on first use, the model
 * loaded in its own process. Each problem is one line naming the file and what to do (exit 2).
 */
import * as l10n from '@vscode/l10n';
import * as os from 'node:os';
import * as path from 'node:path';
import { userCacheDir } from '../core/embedded/cacheDir';
import { EmbeddedClient } from '../core/embedded/embeddedClient';
import { checkModelFile, ModelFileError } from '../core/embedded/modelFile';
import { ModelProcess, ModelProcessError } from '../core/embedded/modelProcess';
import { ensureRuntime, killInstalls, RuntimeError } from '../core/embedded/runtime';
import { DEFAULT_CONTEXT_TOKENS } from '../core/model/modelProfile';
import type { ModelSetup } from './agentRun';
import type { RunConfig } from './args';
import { EXIT_CONFIG, type Prepared } from './prepare';
import { defaultModelFile } from './defaultModelSetup';
import type { TerminalInput } from './terminalInput';

/** The model processes and runtime installs still running, ended when the CLI must quit at once. */
export function killModelProcesses(): void {
  for (const proc of ModelProcess.running()) proc.dispose();
  killInstalls();
}

/**
 * The embedded model for a run: --model-file's, else the default one (downloaded once; `consented`:
 * the user already said yes to the download, when it was offered because no server was found).
 */
export async function embeddedModel(
  config: RunConfig,
  embedded: { modelFile: string | undefined },
  p: Prepared,
  parts: { signal: AbortSignal; terminal: TerminalInput | undefined },
  consented = false,
): Promise<ModelSetup | number> {
  const { say } = p;
  const { signal } = parts;
  if (config.budgetUsd !== undefined && config.budgetTokens === undefined) {
    say(l10n.t('--budget-usd cannot apply: the embedded model has no price; use --budget-tokens.'));
    return EXIT_CONFIG;
  }
  try {
    // The user's file is checked before anything is installed; the runtime (small) before the default model (large).
    if (embedded.modelFile !== undefined) await checkModelFile(path.resolve(embedded.modelFile));
    const runtime = await ensureRuntime({ cacheDir: userCacheDir(process.env), env: process.env, signal, say });
    const chosen = embedded.modelFile === undefined ? await defaultModelFile(say, parts.terminal, signal, consented) : path.resolve(embedded.modelFile);
    if (typeof chosen === 'number') return chosen;
    const modelFile = chosen;
    // The user's file was checked before anything was installed; the downloaded one is checked now.
    if (embedded.modelFile === undefined) await checkModelFile(modelFile);
    const workerPath = path.join(__dirname, 'embedded.js');
    say(l10n.t('loading the embedded model {0}…', modelFile));
    const maxContextTokens = config.contextWindow ?? DEFAULT_CONTEXT_TOKENS;
    const { process: proc, loaded } = await ModelProcess.load(
      { workerPath, runtimeEntry: runtime.entry, modelFile, maxContextTokens, gpu: true, threads: os.availableParallelism() },
      signal,
    );
    say(
      l10n.t(
        'using the embedded model {0} ({1}, context {2} tokens, loaded in {3} s)',
        path.basename(modelFile),
        loaded.gpu ? l10n.t('GPU: {0}', loaded.gpu) : l10n.t('CPU'),
        loaded.contextTokens,
        (loaded.loadMs / 1000).toFixed(1),
      ),
    );
    return {
      client: new EmbeddedClient(proc, modelFile),
      contextTokens: loaded.contextTokens,
      // The window is the one the process allocated: a prompt longer than it fails, never silently shortened.
      truncationCheck: false,
      apiKey: undefined,
      dispose: () => proc.dispose(),
    };
  } catch (error) {
    if (error instanceof ModelProcessError && error.cancelled) return 1;
    if (!(error instanceof ModelFileError || error instanceof RuntimeError || error instanceof ModelProcessError)) throw error;
    if (signal.aborted) return 1;
    say(error.message);
    return EXIT_CONFIG;
  }
}
