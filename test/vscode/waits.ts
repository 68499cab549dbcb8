/** Waiting in the browser tests for something to be true on the test's side (a request that arrived, a file written). */

/** Resolves once `probe` holds; fails with `what` after `timeoutMs`. Polls; never a fixed wait. */
export async function until(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
