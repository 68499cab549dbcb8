/** The `stepwise` command: headless runs of the agent for CI, scripts and benchmarks. */
import { version } from '../package.json';
import { main } from './cli/main';

main(process.argv.slice(2), version).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not a user error: say so in one line; the stack only with STEPWISE_DEBUG.
    process.stderr.write(`stepwise: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.STEPWISE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  },
);
