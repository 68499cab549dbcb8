/**
 * What can be told about a model file before loading it, so a wrong file gets a sentence naming
 * it instead of an error from inside llama.cpp: that it is there, is GGUF (magic and version), and
 * fits in this machine's memory. A cut or corrupt file passes these and is named by the load.
 */
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as os from 'node:os';

export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

export interface ModelFileFacts {
  bytes: number;
}

const GIB = 1024 ** 3;
const gib = (bytes: number) => (bytes / GIB).toFixed(1);

/** Throws ModelFileError with the file's name and what is wrong with it. */
export async function checkModelFile(file: string, totalMemory = os.totalmem()): Promise<ModelFileFacts> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch {
    throw new ModelFileError(l10n.t('The model file {0} does not exist.', file));
  }
  if (!stat.isFile()) throw new ModelFileError(l10n.t('The model file {0} is not a file.', file));
  const head = Buffer.alloc(8);
  let read: number;
  try {
    const handle = await fs.promises.open(file, 'r');
    try {
      read = (await handle.read(head, 0, 8, 0)).bytesRead;
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new ModelFileError(l10n.t('The model file {0} cannot be read: {1}', file, (error as NodeJS.ErrnoException).code ?? (error as Error).message));
  }
  if (read < 8 || head.subarray(0, 4).toString('latin1') !== 'GGUF')
    throw new ModelFileError(l10n.t('{0} is not a GGUF model file (GGUF files start with "GGUF"); download the model as .gguf.', file));
  const version = head.readUInt32LE(4);
  if (version < 2 || version > 3)
    throw new ModelFileError(l10n.t('{0} is GGUF version {1}, which this runtime does not read (it reads 2 and 3).', file, version));
  // The weights are mapped into memory whole: a file larger than the machine's memory cannot run.
  if (stat.size > totalMemory)
    throw new ModelFileError(
      l10n.t(
        '{0} needs about {1} GB of memory to run; this machine has {2} GB. Choose a smaller model (a smaller size or quantisation).',
        file,
        gib(stat.size),
        gib(totalMemory),
      ),
    );
  return { bytes: stat.size };
}
