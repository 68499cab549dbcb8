/**
 * Every case of the edit corpus (test/fixtures/edit-cases) passes, with no wrong applications.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { findCaseDirs, loadCase, runCase } from '../../bench/editCases';

const root = path.join(import.meta.dirname, '..', 'fixtures', 'edit-cases');
const dirs = findCaseDirs(root);

test('the corpus has at least 70 cases, applied and rejected', () => {
  const cases = dirs.map((d) => loadCase(d, root));
  assert.ok(cases.length >= 70, `only ${cases.length} cases`);
  assert.ok(cases.some((c) => c.expect === 'applied'));
  assert.ok(cases.some((c) => c.expect === 'rejected'));
});

for (const dir of dirs) {
  const c = loadCase(dir, root);
  test(`edit case ${c.name} (${c.expect}, ${c.kind})`, () => {
    const result = runCase(c);
    assert.equal(result.wrongApplication, false, `wrong application: ${result.why}`);
    assert.ok(result.passed, result.why);
  });
}
