/**
 * Checkpoint numbers (issue 12's targets), printed by `npm run bench`:
 *  - a command step's checkpoint on a 10,000-file workspace: cold (first of a task, empty store) and
 *    warm (cached index), the warm one also as a ratio to `git status` on the same tree;
 *  - storage for a 50-step task editing one 2,000-line file, per distinct version.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TaskCheckpoints } from '../src/core/checkpoints/recorder';
import { WorkspaceCheckpoints } from '../src/core/checkpoints/store';
import { DEFAULT_CHECKPOINT_SETTINGS } from '../src/core/checkpoints/types';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

function tenThousandFiles(): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-bench-ws-')));
  for (let d = 0; d < 100; d++) {
    const dir = path.join(root, 'src', `mod${d}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(dir, `file${f}.ts`), `export const value${d}_${f} = ${d * 100 + f};\n// ${'x'.repeat(150)}\n`);
  }
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=b', ...args], { cwd: root, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'bench');
  return root;
}

function time(action: () => void): number {
  const start = performance.now();
  action();
  return performance.now() - start;
}

export async function checkpointNumbers(): Promise<void> {
  const root = tenThousandFiles();
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-bench-store-'));
  try {
    const store = (await WorkspaceCheckpoints.open(storeDir, root, DEFAULT_CHECKPOINT_SETTINGS))!;
    const task = TaskCheckpoints.start(store, 'bench-task', 'bench');
    let step = 0;
    const checkpoint = async () => {
      const info = { step: ++step, tool: 'run_command', toolCallId: `c${step}` };
      const start = performance.now();
      await task.before(info, { kind: 'workspace' });
      const ms = performance.now() - start;
      fs.appendFileSync(path.join(root, 'src', 'mod0', 'file0.ts'), `// step ${step}\n`); // what the command changed
      await task.after(info.step);
      return ms;
    };
    const cold = await checkpoint();
    const coldBytes = (await store.usage()).bytes;
    const warm: number[] = [];
    for (let i = 0; i < 15; i++) warm.push(await checkpoint());
    const gitStatus: number[] = [];
    for (let i = 0; i < 15; i++) gitStatus.push(time(() => execFileSync('git', ['status', '--porcelain'], { cwd: root, stdio: 'ignore' })));
    const w = median(warm);
    const g = median(gitStatus);
    console.log(
      `checkpoint before a command, 10,000-file workspace: cold (first, empty store) ${cold.toFixed(0)} ms storing ${mb(coldBytes)} (target ≤ 3000 ms); warm median ${w.toFixed(0)} ms over ${warm.length} (target ≤ 150 ms) = ${(w / g).toFixed(1)}× git status (${g.toFixed(0)} ms)`,
    );

    // 50 steps editing the same 2,000-line file: one distinct version per step.
    const file = path.join(root, 'big.ts');
    const lines = Array.from({ length: 2000 }, (_, i) => `export const line${i} = ${i}; // ${'y'.repeat(40)}`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const edits = TaskCheckpoints.start(store, 'bench-edits', 'edits');
    const startBytes = store.blobs.written;
    for (let i = 0; i < 50; i++) {
      const info = { step: i + 1, tool: 'edit_file', toolCallId: `e${i}` };
      await edits.before(info, { kind: 'files', paths: ['big.ts'] });
      lines[(i * 37) % lines.length] = `export const edited${i} = ${i};`;
      fs.writeFileSync(file, `${lines.join('\n')}\n`);
      await edits.after(info.step);
    }
    const versions = 51;
    const size = fs.statSync(file).size;
    const stored = store.blobs.written - startBytes;
    console.log(
      `checkpoint storage, 50 edits of one 2,000-line file (${(size / 1024).toFixed(0)} KB): ${mb(stored)} for ${versions} distinct versions = ${(stored / (size * versions)).toFixed(2)}× the file per version (target ≤ 2×)`,
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(storeDir, { recursive: true, force: true });
  }
}

if (require.main === module) void checkpointNumbers();
