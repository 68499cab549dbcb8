/** One line of a setup check (checkSetup.ts). */
import * as l10n from '@vscode/l10n';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'info';

export interface CheckLine {
  status: CheckStatus;
  what: string;
  detail: string;
  /** What to do about it (a warn or a fail). */
  next?: string;
}

const MARK: Record<CheckStatus, string> = { ok: 'ok  ', info: '--  ', warn: 'warn', fail: 'FAIL' };

/** `ok    server: …` and, under a problem, `      next: …`. */
export function formatCheckLine(line: CheckLine, clean: (text: string) => string = (t) => t): string {
  const head = `${MARK[line.status]}  ${line.what}: ${clean(line.detail)}\n`;
  return line.next ? `${head}      ${l10n.t('next: {0}', clean(line.next))}\n` : head;
}
