/**
 * `npm run bench:ui`: the sidebar webview's targets, measured in headless Chromium on the built
 * bundle (see test/webview/harness.ts):
 *  - streaming 100 tokens/s for 10 s: every token rendered, and frames longer than 50 ms
 *  - opening a task of 1,000 items: postMessage → rendered and laid out (target ≤ 200 ms)
 * It also saves screenshots in light, dark and high-contrast themes to test-results/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_MESSAGE_CHARS } from '../src/protocol/messages';
import { newTaskView } from '../src/protocol/taskReducer';
import { frame, send, startHarness } from '../test/webview/harness';
import { bigTask, planTask, sampleHistory, sampleTask } from '../test/webview/sampleTasks';
import type { ThemeName } from '../test/webview/themes';

const OUT = path.resolve(__dirname, '../test-results');
const TOKENS_PER_SECOND = 100;
const SECONDS = 10;
const OPEN_ITEMS = 1000;
const OPEN_RUNS = 7;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const harness = await startHarness();
  let failed = false;
  try {
    // 1. Streaming.
    const page = await harness.open('dark');
    const task = newTaskView('t-stream', 'Stream a long answer', 50, Date.now());
    await send(page, { type: 'state', task, history: [], running: true });
    await frame(page);
    const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
    const tokens = Array.from({ length: TOKENS_PER_SECOND * SECONDS }, (_, i) => `${i === 0 ? '' : ' '}${words[i % words.length]}${i}`);
    const stats = await page.evaluate(([t, rate]) => (globalThis as any).__harness.stream('t-stream', t, rate), [tokens, TOKENS_PER_SECOND] as const);
    const shown: string = await page.evaluate('document.querySelector("[data-testid=message]")?.textContent ?? ""');
    const expected = tokens.join('');
    const allRendered = shown.trim() === expected.trim();
    console.log(`ui stream tokens sent: ${stats.sent} in ${(stats.elapsedMs / 1000).toFixed(2)} s`);
    console.log(`ui stream all tokens rendered: ${allRendered ? 'yes' : 'NO'} (${shown.trim().length} of ${expected.trim().length} chars)`);
    console.log(`ui stream frames: ${stats.frames}`);
    console.log(`ui stream frames over 50 ms: ${stats.over50}`);
    console.log(`ui stream frames over 33 ms: ${stats.over33}`);
    console.log(`ui stream max frame gap ms: ${stats.maxGap.toFixed(1)}`);
    console.log(`ui stream p99 frame gap ms: ${stats.p99.toFixed(1)}`);
    console.log(`ui stream long tasks: ${stats.longTasks.length}${stats.longTasks.length ? ` (max ${Math.max(...stats.longTasks).toFixed(0)} ms)` : ''}`);
    if (!allRendered || stats.over50 > 0) failed = true;
    await page.close();

    // 2. Opening a task of 1,000 items (a new id each run, so nothing is reused). The panel renders
    // the last window of items at once and earlier ones as the user scrolls up to them.
    const open = await harness.open('dark');
    const times: number[] = [];
    const painted: number[] = [];
    let size = 0;
    const selector = '[data-testid=message], [data-testid=tool-card], [data-testid=notice]';
    for (let run = 0; run < OPEN_RUNS; run++) {
      const big = bigTask(OPEN_ITEMS);
      big.id = `t-big-${run}`;
      const msg = { type: 'state', task: big, history: sampleHistory, running: false };
      size = JSON.stringify(msg).length;
      const t = await open.evaluate(([m, s]) => (globalThis as any).__harness.timeRender(m, s, 200), [msg, selector] as const);
      times.push(t.renderedMs);
      painted.push(t.paintedMs);
    }
    const windowed: number = await open.evaluate((s) => (globalThis as any).document.querySelectorAll(s).length, selector);
    // Then the whole history: press "Show earlier" until every item is in the page.
    const earlier: number[] = await open.evaluate(async (s) => {
      const doc = (globalThis as any).document;
      const out: number[] = [];
      while (doc.querySelector('[data-testid=show-earlier]:not([hidden])')) {
        const t0 = performance.now();
        doc.querySelector('[data-testid=show-earlier]').click();
        void doc.getElementById('root').getBoundingClientRect();
        out.push(performance.now() - t0);
        await new Promise((r) => (globalThis as any).requestAnimationFrame(r));
      }
      out.push(doc.querySelectorAll(s).length);
      return out;
    }, selector);
    const total = earlier.pop();
    console.log(`ui open ${OPEN_ITEMS} items message chars: ${size} (limit ${MAX_MESSAGE_CHARS})`);
    console.log(`ui open ${OPEN_ITEMS} items rendered at once: ${windowed}`);
    console.log(`ui open ${OPEN_ITEMS} items first ms: ${times[0]!.toFixed(1)}`);
    console.log(`ui open ${OPEN_ITEMS} items median ms: ${median(times).toFixed(1)}`);
    console.log(`ui open ${OPEN_ITEMS} items max ms: ${Math.max(...times).toFixed(1)}`);
    console.log(`ui open ${OPEN_ITEMS} items to next painted frame median ms: ${median(painted).toFixed(1)}`);
    console.log(`ui open show earlier max ms: ${Math.max(...earlier).toFixed(1)} (${earlier.length} windows, then ${total} items in the page)`);
    if (Math.max(...times) > 200 || total !== OPEN_ITEMS - 1) failed = true;
    await open.close();

    // 3. Screenshots, for a person to look at.
    for (const theme of ['light', 'dark', 'high-contrast'] as ThemeName[]) {
      const shot = await harness.open(theme);
      await send(shot, { type: 'state', task: sampleTask(), history: sampleHistory, running: true });
      await frame(shot);
      await shot.screenshot({ path: path.join(OUT, `webview-${theme}.png`) });
      const noApproval = { ...sampleTask(), id: 't-conversation', pendingApproval: undefined, status: 'finished' as const };
      await send(shot, { type: 'state', task: noApproval, history: sampleHistory, running: false });
      await frame(shot);
      await shot.click('[data-testid=tool-card][data-tool=run_command] summary');
      await shot.evaluate(() => ((globalThis as any).document.querySelector('.conversation').scrollTop = 0));
      await frame(shot);
      await shot.screenshot({ path: path.join(OUT, `webview-conversation-${theme}.png`) });
      await send(shot, { type: 'state', task: planTask(), history: sampleHistory, running: true });
      await frame(shot);
      await shot.screenshot({ path: path.join(OUT, `webview-plan-${theme}.png`) });
      await send(shot, { type: 'state', task: undefined, history: sampleHistory, running: false });
      await frame(shot);
      await shot.screenshot({ path: path.join(OUT, `webview-home-${theme}.png`) });
      await shot.close();
    }
    console.log(`ui screenshots: ${path.relative(process.cwd(), OUT)}/webview-*.png`);
  } finally {
    await harness.close();
  }
  if (failed) {
    console.error('ui bench: a target was missed');
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
