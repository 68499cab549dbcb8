/** Which variables leave this process's environment with the key (src/cli/hideSecrets.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hideSecrets } from '../../src/cli/hideSecrets';

test('the key goes, with any variable holding it; a short one ("ollama") takes no other variable that merely contains it', (t) => {
  const names = ['STEPWISE_T_KEY', 'STEPWISE_T_PATH', 'STEPWISE_T_URL', 'STEPWISE_T_SHORT'];
  t.after(() => {
    for (const name of names) delete process.env[name];
  });
  const title = process.title;
  const long = 'sk-0123456789abcdefghij';
  Object.assign(process.env, {
    STEPWISE_T_KEY: long,
    STEPWISE_T_URL: `https://example.org/?key=${long}`,
    STEPWISE_T_SHORT: 'ollama',
    STEPWISE_T_PATH: '/opt/ollama/bin:/usr/bin',
  });
  hideSecrets(long, title);
  assert.deepEqual(
    names.filter((n) => process.env[n] !== undefined),
    ['STEPWISE_T_PATH', 'STEPWISE_T_SHORT'],
  );
  hideSecrets('ollama', title);
  assert.deepEqual(
    names.filter((n) => process.env[n] !== undefined),
    ['STEPWISE_T_PATH'],
  );
});
