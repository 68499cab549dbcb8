/**
 * The integration test entry, run inside the extension host: the same `run()` contract as
 * @vscode/test-electron, so one suite serves both runners. Prints `N passed, M failed`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  // STEPWISE_TEST_GREP=… runs a subset (passed in by the runner).
  if (process.env.STEPWISE_TEST_GREP) mocha.grep(process.env.STEPWISE_TEST_GREP);
  // A multi-root workspace runs the *.multiroot.test files; a single folder runs the others.
  const multiRoot = process.env.STEPWISE_TEST_WORKSPACE === 'multi-root';
  for (const file of fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js') && f.endsWith('.multiroot.test.js') === multiRoot)
    .sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // A skipped test says so and never counts as passed.
      const skipped = runner.stats?.pending ?? 0;
      console.log(`${runner.stats?.passes ?? 0} passed, ${failures} failed${skipped ? `, ${skipped} skipped` : ''}`);
      if (failures > 0) reject(new Error(`${failures} extension test(s) failed`));
      else resolve();
    });
  });
}
