/** Shared pieces of the webview test cases. */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { TaskView } from '../../src/protocol/messages';
import { newTaskView } from '../../src/protocol/taskReducer';
import { frame, posted, send, type Harness } from './harness';

export interface Ctx {
  harness: Harness;
  page: Page;
}
export type Case = [name: string, run: (ctx: Ctx) => Promise<void>];

/** A running task whose conversation holds one finished message with `text`. */
export function taskWith(text: string, id = 't1'): TaskView {
  const task = newTaskView(id, 'Test goal', 50, 0);
  task.items.push({ kind: 'message', text, streaming: false });
  return task;
}

/** Opens `task` in the panel and waits for it to render. */
export async function show(page: Page, task: TaskView | undefined, running = task?.status === 'running'): Promise<void> {
  await send(page, { type: 'state', task, history: [], running });
  await frame(page);
}

export async function event(page: Page, event: unknown, taskId = 't1'): Promise<void> {
  await send(page, { type: 'event', taskId, event });
  await frame(page);
}

/** What the panel posted, without the `ready` it sends on load and the `shown` of each card it shows (see shownIds). */
export async function sent(page: Page): Promise<any[]> {
  return (await posted(page)).filter((m) => m.type !== 'ready' && m.type !== 'shown');
}

/** The approval and plan ids the panel said it put on screen, in order. */
export async function shownIds(page: Page): Promise<string[]> {
  return (await posted(page)).filter((m) => m.type === 'shown').map((m) => m.approvalId);
}

export async function count(page: Page, selector: string): Promise<number> {
  return page.locator(selector).count();
}

export async function html(page: Page, selector: string): Promise<string> {
  return page.locator(selector).first().innerHTML();
}

/**
 * Two rendered frames later: whatever the page was going to do with what it was just given (an
 * inline handler, an image load start, a navigation) has had its turn. Used to show an absence.
 */
export async function settled(page: Page): Promise<void> {
  // One expression, no named helpers: the page runs this function's source as it is.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        (globalThis as unknown as { requestAnimationFrame(cb: () => void): number }).requestAnimationFrame(() =>
          (globalThis as unknown as { requestAnimationFrame(cb: () => void): number }).requestAnimationFrame(() => resolve()),
        ),
      ),
  );
}

export { assert };
