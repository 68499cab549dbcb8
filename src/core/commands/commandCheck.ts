/**
 * Decides, part by part, whether a command line may run without asking: it is parsed with a real
 * shell grammar, every simple command in it (wrappers taken off, scripts given to `sh -c` and
 * `eval` read too) is matched against the allow and deny rules, and its assignments,
 * redirections, options and file arguments are checked. Anything that cannot be read for certain
 * asks. See docs in README ("Command rules") for what this does and does not guarantee.
 */
// l10n-ignore-file: command-check reasons are shown on approval cards and also given to the model as why a step was asked
import { PathChecker, type PathVerdict, type WorkspaceFacts } from './pathArgs';
import { changedRunnerFile, isReadOnlyProgram, isScriptRunner, riskyOption } from './programs';
import { commandName, suggestRule, type RuleWord } from './rules';
import type { CommandRules } from './ruleSet';
import { loadShellParser } from './shellParser';
import { readScript, type SimpleCommand, type Word } from './shellSyntax';
import type { CommandCheck, CommandPart } from './types';
import { programName, unwrap } from './wrappers';
import { denyForms, execLayers } from './denyForms';
import { gitConfigWrite, gitElsewhere } from './gitChecks';

export interface CheckInput {
  rules: CommandRules;
  workspace: WorkspaceFacts;
  /** Paths the task changed so far; undefined when commands ran whose changes were not watched. */
  changed: readonly string[] | undefined;
}

/** Longer commands are not parsed: they are asked. */
export const MAX_COMMAND_CHARS = 10_000;
const MAX_SCRIPT_DEPTH = 3;

/** Checks a command line (run_command), or the lines a task runs (run_task; undefined = not known). */
export async function checkCommand(text: string | readonly string[] | undefined, input: CheckInput): Promise<CommandCheck> {
  const check = new Check(input);
  try {
    if (text === undefined) check.result.problems.push('runs what the extension that provides the task decides, which Stepwise cannot see');
    else for (const line of typeof text === 'string' ? [text] : text) await check.text(line, 0);
    return await check.finish();
  } catch (error) {
    // Whatever went wrong, the answer is to ask: never to run unchecked, never to crash the step.
    return {
      parts: [],
      problems: [`it could not be checked (${error instanceof RangeError ? 'it nests too deeply' : (error as Error).message})`],
      alwaysAsk: [],
    };
  }
}

class Check {
  readonly result: CommandCheck = { parts: [], problems: [], alwaysAsk: [] };
  private readonly exact = new Set<string>();
  private readonly anyArguments = new Set<string>();
  private readonly paths: PathChecker;
  /** Each simple command with what was found about it; statuses are set once the path lookups are in. */
  private readonly found: { part: CommandPart; verdict: PathVerdict; script: boolean; bare: boolean }[] = [];

  constructor(private readonly input: CheckInput) {
    this.paths = new PathChecker(input.workspace);
  }

  async finish(): Promise<CommandCheck> {
    await this.paths.settle();
    const r = this.result;
    for (const { part, verdict, script, bare } of this.found) {
      // A script wrapper (or a bare redirection) with nothing of its own to say is left out.
      const nothingToSay = part.status === 'allowed' && !part.reasons.length && !verdict.always.length;
      if (nothingToSay && (script || bare)) continue;
      r.alwaysAsk.push(...verdict.always);
      if (verdict.protectedPaths.length) r.protectedPaths = [...new Set([...(r.protectedPaths ?? []), ...verdict.protectedPaths])];
      part.reasons.push(...verdict.always);
      if (part.status !== 'denied' && part.reasons.length) part.status = 'ask';
      r.parts.push(part);
    }
    r.problems = [...new Set(r.problems)];
    r.alwaysAsk = [...new Set(r.alwaysAsk)];
    // A rule cannot make a command that cannot be read run by itself: none is offered then.
    if (this.exact.size && r.problems.length === 0) r.suggestions = { exact: [...this.exact], anyArguments: [...this.anyArguments] };
    return r;
  }

  async text(text: string, depth: number): Promise<void> {
    this.result.problems.push(...lexicalProblems(text));
    // Commands run in cmd.exe or PowerShell there, whose syntax is not bash's.
    if (process.platform === 'win32') this.result.problems.push('on Windows commands run in a shell whose syntax Stepwise does not parse');
    if (text.length > MAX_COMMAND_CHARS) {
      this.result.problems.push(`it is longer than ${MAX_COMMAND_CHARS} characters, too long to check`);
      return;
    }
    let parser;
    try {
      parser = await loadShellParser();
    } catch (error) {
      this.result.problems.push(`the shell parser could not be loaded (${(error as Error).message})`);
      return;
    }
    const tree = parser.parse(text);
    let script;
    try {
      script = readScript(tree.rootNode);
    } finally {
      tree.delete();
    }
    this.result.problems.push(...script.problems);
    for (const command of script.commands) await this.simple(command, depth);
  }

  private async simple(cmd: SimpleCommand, depth: number): Promise<void> {
    const { rules } = this.input;
    const part: CommandPart = { text: cmd.text, status: 'allowed', reasons: [] };
    const verdict: PathVerdict = { reasons: part.reasons, always: [], protectedPaths: [] };
    const un = unwrap(cmd.words);

    // For deny rules, a pattern could be any word, and so could what xargs adds; find -exec runs commands too.
    const asDeny = (ws: readonly Word[]): RuleWord[] => ws.map((w) => (w.glob && w.value !== undefined ? { glob: w.value } : w.value));
    const layers = [cmd.words, ...un.layers, ...execLayers(un.words)].map(asDeny);
    if (un.moreArgs) layers.push([...asDeny(un.words), undefined]);
    for (const layer of denyForms(layers)) {
      const denied = rules.denying(layer);
      if (denied?.certain) {
        part.status = 'denied';
        part.rule = denied.rule;
        this.result.deniedBy ??= { rule: denied.rule, part: cmd.text };
        break;
      }
      if (denied)
        verdict.always.push(`your deny rule \`${denied.rule}\` may match \`${cmd.text}\` (a word in it is computed when it runs), so it is always asked`);
    }
    if (un.privileged) verdict.always.push(`\`${un.privileged}\` runs it with other privileges, so it is always asked`);
    if (un.unsure) this.result.problems.push(`it uses \`${un.unsure}\`, an option Stepwise does not follow`);
    if (un.stdinShell) this.result.problems.push('it runs a shell script from its input, which Stepwise cannot see');
    if (un.moreArgs) part.reasons.push('`xargs` adds arguments from its input, which Stepwise cannot see');
    if (un.script === null) this.result.problems.push(`\`${un.wrappers.at(-1)}\` runs a script that is computed when it runs`);
    else if (un.script !== undefined) {
      if (depth >= MAX_SCRIPT_DEPTH) this.result.problems.push('it nests scripts too deeply to check');
      else await this.text(un.script, depth + 1);
    }

    const words = un.words;
    const values = words.map((w) => w.value);
    if (words.length > 0) {
      if (values[0] === undefined) part.reasons.push('the program it runs is computed when it runs');
      else if (values.some((v) => v === undefined)) part.reasons.push(`an argument of \`${values[0]}\` is computed when it runs`);
      else this.known(values as string[], part, verdict);
    }
    const assigned = [...cmd.assignments, ...un.assignments];
    if (assigned.length) part.reasons.push(`it sets ${assigned.map((a) => `\`${a}\``).join(', ')}, which can change how programs run`);
    const known = values.every((v) => v !== undefined) ? (values as string[]) : [];
    const writes = known.length === 0 || !isReadOnlyProgram(known) || riskyOption(known) !== undefined;
    for (const r of cmd.redirects) {
      if (r.kind === 'write') this.paths.redirect(r.target, true, verdict);
      else if (r.kind === 'read') this.paths.redirect(r.target, false, verdict);
    }
    this.paths.arguments(words, writes, verdict);
    this.found.push({ part, verdict, script: typeof un.script === 'string', bare: words.length === 0 });
  }

  /** The checks that need the words: rules, risky options, changed script runners, git config. */
  private known(words: string[], part: CommandPart, verdict: PathVerdict): void {
    const rule = this.input.rules.allowing(words);
    if (rule !== undefined) {
      if (part.status !== 'denied') part.rule = rule;
    } else {
      part.reasons.push(`\`${commandName(words)}\` is not in your allowed commands`);
      this.exact.add(suggestRule(words, false));
      this.anyArguments.add(suggestRule(words, true));
    }
    const risky = riskyOption(words);
    if (risky) part.reasons.push(risky);
    if (isScriptRunner(words)) {
      const changed = this.input.changed;
      const file = changed === undefined ? undefined : changedRunnerFile(words, changed);
      if (changed === undefined)
        part.reasons.push(`a command earlier in this task may have changed what \`${programName(words[0])}\` runs (without checkpoints Stepwise cannot tell)`);
      else if (file) part.reasons.push(`this task changed ${file}, which decides what \`${programName(words[0])}\` runs`);
    }
    if (programName(words[0]) === 'git') {
      if (gitConfigWrite(words)) verdict.always.push("it changes git's configuration (.git/config), so it is always asked");
      const elsewhere = gitElsewhere(words, this.paths.moved);
      if (elsewhere) part.reasons.push(elsewhere);
      else
        this.paths.gitRepository(
          'the workspace sets up its own git repository (a .git file, or a bare repository in its root), whose settings may run programs',
          verdict,
        );
    }
  }
}

/** Characters that make what is shown differ from what runs, and line continuations. */
export function lexicalProblems(text: string): string[] {
  const problems: string[] = [];
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text)) problems.push('it has control characters');
  if (/[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u2028\u2029]/.test(text)) problems.push('it has invisible or direction-changing characters');
  if (/\\\r?\n/.test(text)) problems.push('it continues a line with a backslash');
  const outside = unquoted(text);
  const odd = /[^\x00-\x7f]/.exec(outside);
  if (odd)
    problems.push(
      `it has a character outside quotes that may look like shell syntax (U+${odd[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`,
    );
  return problems;
}

/** The text with quoted parts taken out (their content is data, where any letter is fine). */
function unquoted(text: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '\\') {
      out += text.slice(i, i + 2);
      i++;
    } else if (ch === "'" || ch === '"') quote = ch;
    else out += ch;
  }
  return out;
}
