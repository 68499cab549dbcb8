/** Shared by the browser runners: the Stepwise sidebar's page, and named checks that report and screenshot. */
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { REPO } from './codeServer';

export const RESULTS = path.join(REPO, 'test-results');

/**
 * Opens the Stepwise sidebar (if it is not open) and returns its page, once the composer is there.
 * Right after a reload the workbench may still be restoring the sidebar, so a click can land while
 * it opens and close it again: the state is looked at again until the composer shows.
 */
export async function openPanel(page: Page): Promise<FrameLocator> {
  const item = page.locator('.activitybar .action-item a[aria-label^="Stepwise"]');
  await item.waitFor({ timeout: 60_000 });
  const frame = page.frameLocator('iframe.webview.ready[src*="extensionId=stepwise-dev.stepwise"]').frameLocator('iframe#active-frame');
  const composer = frame.getByTestId('goal-input');
  for (let attempt = 0; attempt < 6; attempt++) {
    if ((await item.getAttribute('aria-expanded')) !== 'true') await item.click();
    if (
      await composer.waitFor({ timeout: 10_000 }).then(
        () => true,
        () => false,
      )
    )
      return frame;
  }
  await composer.waitFor({ timeout: 10_000 });
  return frame;
}

/** Runs named checks one after another: each passes or fails on its own (a failure is screenshot). */
export function checker(page: Page, prefix: string) {
  const counts = { passed: 0, failed: 0 };
  const only = process.env.STEPWISE_CHECK;
  const check = async (name: string, body: () => Promise<void>): Promise<void> => {
    // While working on one check (STEPWISE_CHECK=part of its name), the others are left out and said so.
    if (only && !name.includes(only)) return void console.log(`  - ${name} (left out: STEPWISE_CHECK)`);
    try {
      await body();
      counts.passed++;
      console.log(`  ✔ ${name}`);
    } catch (error) {
      counts.failed++;
      console.log(`  ✗ ${name}\n    ${error instanceof Error ? error.message.split('\n').slice(0, 6).join('\n    ') : error}`);
      await page.screenshot({ path: path.join(RESULTS, `${prefix}-failed-${counts.passed + counts.failed}.png`) }).catch(() => undefined);
    }
  };
  return { check, counts };
}
