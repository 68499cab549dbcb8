/** One block read once (BOM stripped, LF versions, lines), and the facts about a file computed only when needed. */
import { shapeOf } from './candidates';
import { indentUnitHint, mostlyTabs } from './indent';
import { blockLines, dominantEol, toLF } from './lines';
import type { FileFacts, Prepared } from './match';
import type { EditBlock } from './types';

const BOM = '\uFEFF';

export function prepare(edit: EditBlock): Prepared {
  const search = stripBom(edit.search);
  const searchLF = toLF(search);
  const replLF = toLF(stripBom(edit.replace));
  const lines = blockLines(searchLF);
  const repl = blockLines(replLF);
  return {
    search,
    searchLF,
    replLF,
    searchHadCR: search !== searchLF,
    shape: shapeOf(lines),
    repl,
    unitHint: indentUnitHint([...lines, ...repl]),
  };
}

export function factsOf(body: string): FileFacts {
  let eol: '\n' | '\r\n' | undefined;
  let tabs: boolean | undefined;
  return {
    eol: () => (eol ??= dominantEol(body)),
    usesTabs: () => (tabs ??= mostlyTabs(body)),
  };
}

export function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}
