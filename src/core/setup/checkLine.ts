/** One line of a setup check (checkSetup.ts). */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'info';

export interface CheckLine {
  status: CheckStatus;
  what: string;
  detail: string;
  /** What to do about it (a warn or a fail). */
  next?: string;
}
