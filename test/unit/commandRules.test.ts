/**
 * Command rules, end to end through the approval gate: the corpus in test/commands/corpus.json
 * (every bypass class in issue 13), rules as users write them, and input that must only ever ask.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { ApprovalGate } from '../../src/core/agent/approvalGate';
import type { ApprovalAnswer, ApprovalRequest } from '../../src/core/agent/events';
import { policyFromLevel, ProtectedPaths } from '../../src/core/approval';
import { checkCommand } from '../../src/core/commands/commandCheck';
import { parseRule, RuleError, suggestRule } from '../../src/core/commands/rules';
import { CommandRules } from '../../src/core/commands/ruleSet';
import { workspaceFacts } from '../../src/core/commands/workspaceFacts';
import { NodeHost } from '../../src/core/host/nodeHost';
import { makeWorkspace, removeWorkspace } from '../support/workspace';

interface Case {
  command: string;
  expect: Outcome;
  underAll?: Outcome;
  changed?: string[] | null;
  private?: boolean;
  note?: string;
}
type Outcome = 'allow' | 'ask' | 'deny';
const corpus = JSON.parse(fs.readFileSync(path.join(__dirname, '../commands/corpus.json'), 'utf8')) as {
  rules: { allow: string[]; deny: string[] };
  cases: Case[];
};

const root = makeWorkspace({ 'src/app.js': 'x', 'package.json': '{}', 'dist/a.js': '', '.env': 'TOKEN=1', 'AGENTS.md': '', 'list.txt': '' });
fs.mkdirSync(path.join(root, '.git/hooks'), { recursive: true });
fs.symlinkSync('/etc', path.join(root, 'link-out'));
after(() => removeWorkspace(root));
const host = new NodeHost(root);

/** What the user would see: it ran by itself, they were asked, or it never ran. */
async function outcome(
  command: string,
  level: 'reads' | 'all',
  options: { rules?: CommandRules; changed?: string[] | null; privateRules?: string } = {},
): Promise<{ outcome: Outcome; request?: ApprovalRequest; reason?: string }> {
  const rules = options.rules ?? new CommandRules(corpus.rules);
  const protection = new ProtectedPaths(options.privateRules ?? '');
  let asked: ApprovalRequest | undefined;
  const approver = async (request: ApprovalRequest): Promise<ApprovalAnswer> => ((asked = request), { decision: 'deny' });
  const gate = new ApprovalGate(policyFromLevel(level), protection, approver, () => {}, [], rules);
  const check = await checkCommand(command, {
    rules,
    workspace: workspaceFacts(host, protection),
    changed: options.changed === null ? undefined : (options.changed ?? []),
  });
  const result = await gate.approve(
    { tool: 'run_command', risk: 'execute', title: `Run: ${command}`, detail: command, paths: check.protectedPaths ?? [], command: check },
    'call-1',
    new AbortController().signal,
  );
  if (result.approved) return { outcome: 'allow' };
  return asked ? { outcome: 'ask', request: asked } : { outcome: 'deny', reason: result.reason };
}

describe('command corpus (test/commands/corpus.json)', () => {
  assert.ok(corpus.cases.length >= 60, 'at least 60 commands');
  for (const c of corpus.cases) {
    const label = `${JSON.stringify(c.command).slice(0, 70)} → ${c.expect}${c.underAll ? `, under --approve all: ${c.underAll}` : ''}${c.changed !== undefined ? ` (changed: ${JSON.stringify(c.changed)})` : ''}`;
    test(label, async () => {
      const options = { changed: c.changed, privateRules: c.private ? '.env\n' : '' };
      const got = await outcome(c.command, 'reads', options);
      assert.equal(got.outcome, c.expect, `${c.note ?? ''}\n${JSON.stringify(got.request?.command ?? got.reason)}`);
      if (c.underAll) assert.equal((await outcome(c.command, 'all', options)).outcome, c.underAll, 'under --approve all');
    });
  }
});

describe('deny rules win over everything', () => {
  test('under --approve all, a denied part never runs; the model is told which rule in one line', async () => {
    const got = await outcome('npm test && rm -rf build', 'all');
    assert.equal(got.outcome, 'deny');
    assert.match(got.reason ?? '', /`rm -rf build` matches the user's deny rule `rm -rf \*`/);
    assert.doesNotMatch(got.reason ?? '', /\n/);
  });

  test('"always allow commands" does not cover a denied command or a protected path', async () => {
    const rules = new CommandRules({ deny: ['curl *'] });
    const answers: ApprovalAnswer[] = [{ decision: 'always' }, { decision: 'deny' }];
    let asked = 0;
    const gate = new ApprovalGate(
      policyFromLevel('reads'),
      new ProtectedPaths(),
      async () => (asked++, answers.shift()!),
      () => {},
      [],
      rules,
    );
    const run = async (command: string) => {
      const check = await checkCommand(command, { rules, workspace: workspaceFacts(host, new ProtectedPaths()), changed: [] });
      return gate.approve(
        { tool: 'run_command', risk: 'execute', title: command, paths: check.protectedPaths ?? [], command: check },
        'id',
        new AbortController().signal,
      );
    };
    assert.equal((await run('touch a')).approved, true);
    assert.equal((await run('touch b')).approved, true, 'the standing answer covers the next command');
    assert.equal((await run('curl x')).approved, false);
    assert.equal((await run('touch .vscode/x')).approved, false, 'asked again (and denied)');
    assert.equal(asked, 2);
  });

  test('with deny rules, a command that cannot be parsed is asked even under --approve all', async () => {
    assert.equal((await outcome('echo "unbalanced', 'all')).outcome, 'ask');
    assert.equal((await outcome('echo "unbalanced', 'all', { rules: new CommandRules() })).outcome, 'allow', 'no deny rule to protect');
  });
});

describe('the approval offers a rule for what is missing', () => {
  test('parts, reasons and suggestions reach the approver; "allow_rule" allows it for the rest of the task', async () => {
    const rules = new CommandRules({});
    const got = await outcome('npm test && touch out.txt', 'reads', { rules });
    const check = got.request?.command;
    assert.deepEqual(
      check?.parts.map((p) => [p.text, p.status]),
      [
        ['npm test', 'ask'],
        ['touch out.txt', 'ask'],
      ],
    );
    assert.match(check?.parts[1]?.reasons.join() ?? '', /`touch` is not in your allowed commands/);
    assert.deepEqual(check?.suggestions, { exact: ['npm test', 'touch out.txt'], anyArguments: ['npm test *', 'touch *'] });
    const gate = new ApprovalGate(
      policyFromLevel('reads'),
      new ProtectedPaths(),
      async () => ({ decision: 'allow_rule', rules: ['npm test'] }),
      () => {},
      [],
      rules,
    );
    const first = await checkCommand('npm test', { rules, workspace: workspaceFacts(host, new ProtectedPaths()), changed: [] });
    assert.equal(
      (await gate.approve({ tool: 'run_command', risk: 'execute', title: 'x', paths: [], command: first }, 'a', new AbortController().signal)).approved,
      true,
    );
    const again = await checkCommand('npm test', { rules, workspace: workspaceFacts(host, new ProtectedPaths()), changed: [] });
    assert.equal(again.parts[0]?.status, 'allowed');
    assert.equal(again.parts[0]?.rule, 'npm test');
  });

  test('suggested rules quote what needs quoting and round-trip', () => {
    assert.equal(suggestRule(['git', 'commit', '-m', "it's done"], false), "git commit -m 'it'\\''s done'");
    assert.equal(parseRule(suggestRule(['git', 'commit', '-m', "it's done"], false)).test(['git', 'commit', '-m', "it's done"]), 'yes');
    assert.equal(suggestRule(['git', 'diff', '--stat'], true), 'git diff *');
    assert.equal(suggestRule(['ls', '-la'], true), 'ls *');
  });
});

describe('rules as users write them', () => {
  test('exact words, a final *, a regular expression (anchored, on the words after quote removal)', () => {
    assert.equal(parseRule('npm test').test(['npm', 'test']), 'yes');
    assert.equal(parseRule('npm test').test(['npm', 'test', 'x']), 'no');
    assert.equal(parseRule('git diff *').test(['git', 'diff']), 'yes');
    assert.equal(parseRule('git diff *').test(['git', 'difftool']), 'no');
    assert.equal(parseRule('/git (diff|log)( .*)?/').test(['git', 'log', '-p']), 'yes');
    assert.equal(parseRule('/git (diff|log)/').test(['git', 'log', '-p']), 'no', 'anchored');
    assert.equal(parseRule('git commit -m "wip *"').test(['git', 'commit', '-m', 'wip *']), 'yes', 'a quoted * is literal');
  });

  for (const [rule, message] of [
    ['', /cannot be empty/],
    ['   ', /cannot be empty/],
    ['*', /would match every command/],
    ['/.*/', /would match every command/],
    ['//', /would match every command/],
    ['/git (diff/', /not a valid regular expression/],
    ['git * diff', /only be the last word/],
    ["git commit -m 'x", /unbalanced single quote/],
  ] as const) {
    test(`the rule ${JSON.stringify(rule)} is rejected with a clear message`, () => {
      assert.throws(
        () => parseRule(rule),
        (e: unknown) => e instanceof RuleError && message.test(e.message),
      );
    });
  }

  test('a regular expression rule runs in linear time on a long hostile command', async () => {
    const rules = new CommandRules({ allow: ['/(a+)+b/'] });
    const check = await checkCommand(`echo ${'a'.repeat(5000)}c`, { rules, workspace: workspaceFacts(host, new ProtectedPaths()), changed: [] });
    assert.equal(check.parts.length, 1);
  });
});

describe('bad input asks, never crashes, never runs by itself', () => {
  const cases: [string, string][] = [
    ['syntax the grammar cannot parse', 'npm test ) ('],
    ['unbalanced quotes', "npm test 'oops"],
    ['a here-document', 'cat <<EOF\nx\nEOF\n'],
    ['ANSI-C quoting', "npm test $'\\x3b' ls"],
    ['a line continuation', 'npm \\\ntest'],
    ['a comment hiding a newline', 'npm test # \\\ntouch x'],
    ['a Unicode look-alike of ;', 'npm test\uff1b touch x'],
    ['a Unicode look-alike of |', 'npm test \u01c0 touch x'],
    ['a NUL byte', 'npm test\u0000; touch x'],
    ['a 100 KB command', `npm test ${'a'.repeat(100 * 1024)}`],
    ['command substitutions nested 1,000 deep', `npm test ${'$('.repeat(1000)}ls${')'.repeat(1000)}`],
  ];
  for (const [what, command] of cases) {
    test(what, async () => {
      const rules = new CommandRules({ allow: ['npm test *', 'touch *', 'cat *', 'ls *'] });
      const got = await outcome(command, 'reads', { rules });
      assert.equal(got.outcome, 'ask');
      assert.ok((got.request?.command?.problems.length ?? 0) > 0, JSON.stringify(got.request?.command));
    });
  }
});

describe('git runs by rule only in a repository the user vouches for', () => {
  const decide = async (files: Record<string, string>, dirs: string[] = []) => {
    const ws = makeWorkspace(files);
    for (const d of dirs) fs.mkdirSync(path.join(ws, d), { recursive: true });
    try {
      const rules = new CommandRules({});
      const check = await checkCommand('git status', { rules, workspace: workspaceFacts(new NodeHost(ws), new ProtectedPaths()), changed: [] });
      return check.parts[0]?.status;
    } finally {
      removeWorkspace(ws);
    }
  };

  test("its own .git folder, or none (a subfolder of the user's repository): allowed", async () => {
    assert.equal(await decide({ '.git/HEAD': 'ref: refs/heads/main\n' }), 'allowed');
    assert.equal(await decide({ 'a.txt': '' }), 'allowed');
  });

  test('a .git file (pointing anywhere) or a bare repository laid out in the root: asked', async () => {
    assert.equal(await decide({ '.git': 'gitdir: ./evil\n' }), 'ask');
    assert.equal(await decide({ HEAD: 'ref: refs/heads/main\n', config: '[core]\n\tfsmonitor = touch pwned\n' }, ['objects', 'refs']), 'ask');
  });
});
