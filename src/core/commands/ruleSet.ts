/**
 * The allow and deny rules a task runs with: the user's (settings, flags, the CLI's config file),
 * the built-in read-only list unless switched off, and rules the user adds while it runs.
 */
import * as l10n from '@vscode/l10n';
import { BUILT_IN_ALLOW } from './programs';
import { parseRule, parseRules, type CommandRule, type RuleWord } from './rules';

export interface RuleLists {
  allow?: readonly string[];
  deny?: readonly string[];
  /** The built-in list of read-only commands (default on). */
  builtInAllow?: boolean;
}

export class CommandRules {
  private readonly allow: CommandRule[];
  private readonly deny: CommandRule[];
  private readonly builtIn: CommandRule[];

  /** Throws RuleError for an invalid rule, saying where it came from. */
  constructor(lists: RuleLists = {}, where = l10n.t('command rules')) {
    this.allow = parseRules(lists.allow ?? [], `${where} (allow)`);
    this.deny = parseRules(lists.deny ?? [], `${where} (deny)`);
    this.builtIn = lists.builtInAllow === false ? [] : BUILT_IN_ALLOW.map((r) => parseRule(r));
  }

  get hasDenyRules(): boolean {
    return this.deny.length > 0;
  }

  /** Allows a rule for the rest of this task (the UI saves it too, where it can). */
  addAllow(text: string): void {
    const rule = parseRule(text);
    if (!this.allow.some((r) => r.source === rule.source)) this.allow.push(rule);
  }

  /** The allow rule (user's first, then built in) that covers these words. */
  allowing(words: readonly string[]): string | undefined {
    return (this.allow.find((r) => r.test(words) === 'yes') ?? this.builtIn.find((r) => r.test(words) === 'yes'))?.source;
  }

  /** The deny rule that names these words; `certain` is false when unknown words may make it match. */
  denying(words: readonly RuleWord[]): { rule: string; certain: boolean } | undefined {
    let maybe: string | undefined;
    for (const rule of this.deny) {
      const match = rule.test(words);
      if (match === 'yes') return { rule: rule.source, certain: true };
      if (match === 'maybe') maybe ??= rule.source;
    }
    return maybe === undefined ? undefined : { rule: maybe, certain: false };
  }
}
