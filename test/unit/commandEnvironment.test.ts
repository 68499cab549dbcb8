/**
 * What the model's commands inherit: never Stepwise's key; never the Actions runner's tokens and
 * step files; GitHub tokens kept on a developer's machine (gh, GitHub Packages) but not on CI.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setEnv } from '../support/env';
import { childEnvironment, userConfigEnvironment, withheldKind } from '../../src/core/host/commandEnvironment';

/** Runs `check` with these variables set (undefined: unset), then puts the environment back. */
function withEnv(values: Record<string, string | undefined>, check: () => void): void {
  const restore = setEnv(values);
  try {
    check();
  } finally {
    restore();
  }
}

const SECRETS = {
  OPENAI_API_KEY: 'sk-own',
  GITHUB_TOKEN: 'ghs_job',
  GH_TOKEN: 'gho_user',
  ACTIONS_RUNTIME_TOKEN: 'runtime',
  GITHUB_ENV: '/runner/_temp/set_env',
  GITHUB_STEP_SUMMARY: '/runner/_temp/summary',
};

describe("the commands' environment", () => {
  test("on a developer's machine: the key and the runner's variables go, the user's GitHub tokens stay", () => {
    withEnv({ ...SECRETS, CI: undefined, GITHUB_ACTIONS: undefined }, () => {
      const env = childEnvironment();
      assert.deepEqual(
        Object.keys(SECRETS).filter((name) => env[name] !== undefined),
        ['GITHUB_TOKEN', 'GH_TOKEN'],
      );
      assert.equal(env.CI, '1', 'tools are told not to wait for a prompt');
      assert.equal(withheldKind('GITHUB_TOKEN'), undefined);
    });
  });

  test('on GitHub Actions (or any CI): GitHub tokens go too; the user config may still name them, a workspace file is told why not', () => {
    for (const ci of [
      { GITHUB_ACTIONS: 'true', CI: undefined },
      { GITHUB_ACTIONS: undefined, CI: 'true' },
    ]) {
      withEnv({ ...SECRETS, ...ci }, () => {
        const env = childEnvironment();
        assert.deepEqual(
          Object.keys(SECRETS).filter((name) => env[name] !== undefined),
          [],
        );
        assert.equal(withheldKind('GITHUB_TOKEN'), 'runner');
        assert.equal(userConfigEnvironment().GITHUB_TOKEN, 'ghs_job');
        assert.equal(userConfigEnvironment().OPENAI_API_KEY, undefined);
      });
    }
    // Unset, it is simply unset (the message says so, not that it is withheld).
    withEnv({ GITHUB_ACTIONS: 'true', GITHUB_TOKEN: undefined }, () => assert.equal(withheldKind('GITHUB_TOKEN'), undefined));
    withEnv({ CI: 'false', GITHUB_ACTIONS: undefined, GITHUB_TOKEN: 'ghs' }, () => assert.equal(childEnvironment().GITHUB_TOKEN, 'ghs'));
  });
});
