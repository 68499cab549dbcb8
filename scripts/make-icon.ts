/**
 * Draws the Marketplace icon (media/icon.png, 128×128) from scripts/icon.svg with Debian's Chromium
 * (the same one the UI tests use). Run by hand after changing the SVG: `npx tsx scripts/make-icon.ts`;
 * the PNG is committed, so packaging needs no browser.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const REPO = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const svg = fs.readFileSync(path.join(REPO, 'scripts/icon.svg'), 'utf8');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.screenshot({ path: path.join(REPO, 'media/icon.png'), omitBackground: true, clip: { x: 0, y: 0, width: 128, height: 128 } });
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
