/**
 * Command-rule numbers (issue 13's target: parse and decide ≤ 2 ms median for a 200-character
 * command, the parser loaded once, lazily), printed by `npm run bench`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProtectedPaths } from '../src/core/approval';
import { checkCommand } from '../src/core/commands/commandCheck';
import { CommandRules } from '../src/core/commands/ruleSet';
import { workspaceFacts } from '../src/core/commands/workspaceFacts';
import { NodeHost } from '../src/core/host/nodeHost';

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;

/** 200 characters of what models write: a pipeline, a list, a wrapper, a redirection, quoted words. */
const COMMANDS = [
  "cd src && timeout 60 npm test -- --runInBand 2>&1 | tail -n 40; git diff --stat HEAD~1 -- src/app.ts src/util.ts > /dev/null && grep -rn 'TODO' src/app.ts | head -n 20 || echo 'no todos found here'",
  "NODE_ENV=test npx jest --ci --coverage=false src/__tests__/parser.test.ts 2>&1 | tee /tmp/out.txt; cat package.json | grep -E '\"(test|build)\"' && ls -la dist/ && find . -name '*.map' -delete && echo done",
];

export async function commandNumbers(): Promise<void> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-bench-cmd-')));
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'src/app.ts'), '');
  fs.writeFileSync(path.join(root, 'package.json'), '{}');
  try {
    const rules = new CommandRules({ allow: ['npm test *', 'npx jest *', '/git (diff|log)( .*)?/'], deny: ['rm -rf *', 'curl *'] });
    const protection = new ProtectedPaths('.env\n');
    const input = { rules, workspace: workspaceFacts(new NodeHost(root), protection), changed: [] };
    const first = performance.now();
    await checkCommand('ls', input);
    const load = performance.now() - first;
    const samples: number[] = [];
    for (let i = 0; i < 400; i++) {
      const command = COMMANDS[i % COMMANDS.length]!;
      const start = performance.now();
      await checkCommand(command, input);
      samples.push(performance.now() - start);
    }
    console.log(
      `command rules: parse and decide a ${COMMANDS[0]!.length}-character command: median ${percentile(samples, 0.5).toFixed(2)} ms, p95 ${percentile(samples, 0.95).toFixed(2)} ms (target ≤ 2 ms median); parser loaded once on first use: ${load.toFixed(0)} ms`,
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
