/**
 * An MCP stdio server started and its tools listed, as a task's first request waits for it
 * (target ≤ 1 s excluding the server's own start-up). The fixture server writes a file once it has
 * loaded, just before it connects: from there to the tools listed is Stepwise's part. A tools/list
 * round trip on a running server is timed too.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { McpConnection } from '../src/core/mcp/connection';
import { McpHub } from '../src/core/mcp/hub';
import { stdioFixture } from '../test/support/mcpServers';

const RUNS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function once(dir: string, run: number): Promise<{ total: number; own: number }> {
  const marker = path.join(dir, `started-${run}`);
  const hub = new McpHub([{ name: 'bench', origin: 'bench', transport: { kind: 'stdio', ...stdioFixture(['--touch', marker]), env: {} } }], { cwd: dir });
  const started = Date.now();
  const report = await hub.start();
  const total = Date.now() - started;
  if (report.ready.length !== 1) throw new Error(`the server did not start: ${JSON.stringify(report.notReady)}`);
  const own = fs.statSync(marker).mtimeMs - started;
  await hub.dispose();
  return { total, own };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-mcp-bench-'));
  try {
    const runs: { total: number; own: number }[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once(dir, i));
    const ours = runs.map((r) => r.total - r.own);
    const hub = new McpHub([{ name: 'bench', origin: 'bench', transport: { kind: 'stdio', ...stdioFixture(), env: {} } }], { cwd: dir });
    await hub.start();
    const trips: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await (hub.connections[0] as McpConnection).refreshTools();
      trips.push(performance.now() - t);
    }
    await hub.dispose();
    console.log(
      `MCP stdio server start and tool listing: median ${Math.round(median(runs.map((r) => r.total)))} ms, of which the server's own start-up ${Math.round(median(runs.map((r) => r.own)))} ms; Stepwise's part median ${Math.round(median(ours))} ms, slowest ${Math.round(Math.max(...ours))} ms (target ≤ 1,000 ms)`,
    );
    console.log(`MCP tools/list round trip on a running server: median ${median(trips).toFixed(1)} ms over ${trips.length}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
