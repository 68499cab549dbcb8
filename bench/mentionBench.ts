/**
 * The sidebar's `@` picker on a 50,000-file workspace: listing it once (as list_files does, with
 * .gitignore), and then each query against the prepared list — what a user waits for between a key
 * and the first results once the list is there (target ≤ 200 ms; an empty query answers from the
 * named sources and open editors without the list).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeHost } from '../src/core/host/nodeHost';
import { PathIndex } from '../src/core/text/pathIndex';

const FILES = 50_000;
const QUERIES = ['m', 'mat', 'src/comp', 'button.tsx', 'pkg42/util', 'readme'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-mentions-'));
  try {
    for (let i = 0; i < FILES; i++) {
      const dir = path.join(root, `pkg${i % 100}`, i % 3 ? 'src/components' : 'lib', `group${i % 7}`);
      if (i < 2100) fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `file${i}${i % 5 ? '.ts' : '.tsx'}`), '');
    }
    fs.writeFileSync(path.join(root, 'README.md'), '');
    const listStarted = performance.now();
    const listed = await new NodeHost(root, { ripgrep: null }).listFiles('', { recursive: true, limit: 200_000 });
    const listMs = performance.now() - listStarted;
    const prepareStarted = performance.now();
    const index = new PathIndex(listed.entries);
    const prepareMs = performance.now() - prepareStarted;
    const first = timed(() => index.search(QUERIES[0]!, 30));
    const times = QUERIES.flatMap((q) => Array.from({ length: 5 }, () => timed(() => index.search(q, 30))));
    console.log(`@ picker on ${index.size.toLocaleString('en-US')} paths: listing ${Math.round(listMs)} ms and preparing ${Math.round(prepareMs)} ms once;`);
    console.log(
      `@ picker query: the first ${first.toFixed(1)} ms, then median ${median(times).toFixed(1)} ms, slowest ${Math.max(...times).toFixed(1)} ms (target ≤ 200 ms to the first results)`,
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function timed(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
