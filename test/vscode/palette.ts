/** Drives VS Code's command palette in the browser, as a user does. */
import type { Page } from 'playwright-core';

export async function runCommand(page: Page, title: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible' });
    await page.keyboard.type(title);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    if (
      await row.waitFor({ state: 'visible', timeout: 2000 }).then(
        () => true,
        () => false,
      )
    ) {
      // Enter runs the focused row; when the fuzzy ranking put another row first, click ours.
      const focused = page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: title });
      if (await focused.count()) await page.keyboard.press('Enter');
      else await row.click();
      return;
    }
    // The palette lists what was registered when it opened: close it and try again.
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }
  throw new Error(`command "${title}" never appeared in the palette`);
}

/** Picks a colour theme through "Preferences: Color Theme". */
export async function setColorTheme(page: Page, theme: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: theme }).first().waitFor({ state: 'visible' });
  await page.keyboard.type(theme);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: theme }).first().click();
  // Applied when the workbench carries the theme's kind.
  await page.locator(/dark/i.test(theme) ? '.monaco-workbench.vs-dark' : '.monaco-workbench.vs').waitFor({ state: 'attached' });
}
