/** The API key given in a file (--api-key-file, STEPWISE_API_KEY_FILE). */
import * as fs from 'node:fs';

/** The key from a file: its first line, trimmed (an editor's final newline is not part of it). */
export function readKeyFile(file: string): string {
  const problem = (why: string) => new Error(`cannot read the API key file "${file}" (${why}).`);
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw problem('not a regular file');
    if (stat.size > 64 * 1024) throw problem('larger than 64 KB');
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw (error as NodeJS.ErrnoException).code ? problem((error as NodeJS.ErrnoException).code!) : error;
  }
  const key = text.split(/\r?\n/)[0]?.trim() ?? '';
  if (!key) throw new Error(`the API key file "${file}" is empty.`);
  return key;
}
