/**
 * The CLI speaks the user's language: LC_ALL > LC_MESSAGES > LANG (empty = unset); zh_CN, zh_SG
 * and zh-Hans are Chinese, everything else (C, POSIX, zh_TW, fr) English. --json never changes.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { cliLanguage } from '../../src/cli/locale';
import { jsonEvents, runCli, scriptedRun } from '../support/cli';

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

describe('the CLI language', () => {
  test('LC_ALL, then LC_MESSAGES, then LANG; an empty variable counts as unset', () => {
    const cases: [NodeJS.ProcessEnv, string][] = [
      [{ LANG: 'zh_CN.UTF-8' }, 'zh-cn'],
      [{ LANG: 'zh_SG.UTF-8' }, 'zh-cn'],
      [{ LANG: 'zh-Hans-CN' }, 'zh-cn'],
      [{ LC_ALL: 'C', LANG: 'zh_CN.UTF-8' }, 'en'],
      [{ LC_ALL: '', LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }, 'zh-cn'],
      [{ LC_MESSAGES: 'en_GB.UTF-8', LANG: 'zh_CN.UTF-8' }, 'en'],
      [{ LANG: '' }, 'en'],
      [{ LANG: 'zh_TW.UTF-8' }, 'en'],
      [{ LANG: 'fr_FR.UTF-8' }, 'en'],
      [{ LANG: 'POSIX' }, 'en'],
      [{}, 'en'],
    ];
    for (const [env, expected] of cases) assert.equal(cliLanguage(env), expected, JSON.stringify(env));
  });

  test('--help and a usage error in Chinese under zh_CN; in English under C, zh_TW or an empty LANG', async () => {
    const zh = await runCli(['--help'], { LANG: 'zh_CN.UTF-8' });
    assert.equal(zh.code, 0);
    assert.match(zh.stdout, /^Usage: stepwise run \[options\] "GOAL"/, 'the usage lines stay as they are');
    assert.match(zh.stdout, /选项：\n {2}--workspace DIR {8}工作所在的文件夹/);
    const bad = await runCli(['run', '--approve', 'sometimes', 'x'], { LANG: 'zh_CN.UTF-8' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--approve 必须是 none、reads、edits 或 all，而不是“sometimes”。/);
    for (const env of [{ LANG: 'C' }, { LANG: 'zh_TW.UTF-8' }, { LANG: '' }, { LC_ALL: 'C', LANG: 'zh_CN.UTF-8' }] as Record<string, string>[]) {
      const en = await runCli(['run', '--approve', 'sometimes', 'x'], env);
      assert.match(en.stderr, /--approve must be none, reads, edits or all, not "sometimes"\. \(see stepwise --help\)/, JSON.stringify(env));
    }
  });

  test('the summary line is translated; --json events are the same in every language', async () => {
    const script = [{ toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] }];
    const zh = await scriptedRun(script, { 'a.txt': 'a\n' }, cleanups);
    const human = await runCli([...zh.base, 'Finish'], { LANG: 'zh_CN.UTF-8' });
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /✔ 已完成： done\n {2}输入 [\d,]+ 个 token · 输出 [\d,]+ 个/);
    const runs = [];
    for (const LANG of ['zh_CN.UTF-8', 'C']) {
      const { base } = await scriptedRun(script, { 'a.txt': 'a\n' }, cleanups);
      const json = await runCli([...base, '--json', 'Finish'], { LANG });
      runs.push(jsonEvents(json.stdout).map((e) => ({ ...e, task: undefined, id: undefined })));
    }
    assert.deepEqual(runs[0], runs[1]);
  });
});
