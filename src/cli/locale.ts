/**
 * The CLI's language: LC_ALL, then LC_MESSAGES, then LANG (an empty variable counts as unset).
 * zh_CN, zh_SG and zh-Hans locales get Simplified Chinese; every other one, C and POSIX included,
 * English (zh_TW and zh_HK too: there is no Traditional Chinese bundle, and a Simplified one
 * would not be theirs). `--json` events never change with the language.
 */
import * as l10n from '@vscode/l10n';
import zhCn from '../../l10n/bundle.l10n.zh-cn.json';

export type CliLanguage = 'en' | 'zh-cn';

export function cliLanguage(env: NodeJS.ProcessEnv): CliLanguage {
  const value = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return value && /^zh[_-](cn|sg|hans)/i.test(value) ? 'zh-cn' : 'en';
}

/** Sets the words of this process (called once, first thing). */
export function useCliLanguage(env: NodeJS.ProcessEnv): CliLanguage {
  const language = cliLanguage(env);
  if (language === 'zh-cn') l10n.config({ contents: zhCn as Record<string, string> });
  return language;
}
