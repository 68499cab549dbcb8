/** The GitHub Action's step (action.yml runs dist/action.js, which runs dist/cli.js beside it). */
import * as path from 'node:path';
import { errorLine } from './action/githubFiles';
import { runAction } from './action/main';

runAction({ env: process.env, out: process.stdout, err: process.stderr, cliPath: path.join(__dirname, 'cli.js') }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not a user error: one line, as the CLI says it.
    process.stdout.write(errorLine(`internal error: ${error instanceof Error ? error.message : String(error)}`)); // l10n-ignore: as the CLI says it
    process.exitCode = 1;
  },
);
