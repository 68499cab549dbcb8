/**
 * `npm run test:webview`: the sidebar webview in headless Chromium (see harness.ts), driven by the
 * same messages the extension sends. Checks that model markdown is inert (raw HTML, <script>,
 * javascript: links, remote images), that links ask the extension instead of navigating, that bad
 * messages are dropped, and that the cards and composer post the right decisions.
 * Prints one line per failure and `N passed, M failed` last; exits 1 on any failure.
 */
import { startHarness } from './harness';
import { interactionCases } from './interactionCases';
import { localeCases } from './localeCases';
import { mentionCases } from './mentionCases';
import { readabilityCases } from './readabilityCases';
import { compactionCases, messagingCases } from './messagingCases';
import { sanitisingCases } from './sanitisingCases';
import { setupCases } from './setupCases';

async function main(): Promise<void> {
  const filter = process.argv[2];
  const cases = [
    ...sanitisingCases,
    ...messagingCases,
    ...compactionCases,
    ...interactionCases,
    ...setupCases,
    ...mentionCases,
    ...localeCases,
    ...readabilityCases,
  ].filter(([name]) => !filter || name.includes(filter));
  const harness = await startHarness();
  let passed = 0;
  let failed = 0;
  try {
    for (const [name, run] of cases) {
      const page = await harness.open('dark');
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      try {
        await run({ harness, page });
        const violations: string[] = await page.evaluate(() => (globalThis as any).__harness.violations);
        if (violations.length) throw new Error(`CSP violations: ${violations.join('; ')}`);
        if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
        passed++;
      } catch (err) {
        failed++;
        console.log(`FAIL ${name}: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        await page.close();
      }
    }
  } finally {
    await harness.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
