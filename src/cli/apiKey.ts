/** The API key given in a file (--api-key-file, STEPWISE_API_KEY_FILE). */
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';

/** The key from a file: its first line, trimmed (an editor's final newline is not part of it). */
export function readKeyFile(file: string): string {
  const problem = (why: string) => new Error(l10n.t('cannot read the API key file "{0}" ({1}).', file, why));
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw problem(l10n.t('not a regular file'));
    if (stat.size > 64 * 1024) throw problem(l10n.t('larger than 64 KB'));
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw (error as NodeJS.ErrnoException).code ? problem((error as NodeJS.ErrnoException).code!) : error;
  }
  const key = text.split(/\r?\n/)[0]?.trim() ?? '';
  if (!key) throw new Error(l10n.t('the API key file "{0}" is empty.', file));
  return key;
}
