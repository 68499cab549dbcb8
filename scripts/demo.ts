/**
 * `npm run demo`: a browser VS Code (the code-server the tests use) on 127.0.0.1 with Stepwise
 * installed from its .vsix and a sample workspace open. Point it at your model server with
 * OPENAI_BASE_URL / STEPWISE_MODEL (default: a local Ollama), or in its settings.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO, startCodeServer } from '../test/vscode/codeServer';

async function main(): Promise<void> {
  const workspace = path.join(os.tmpdir(), 'stepwise-demo-workspace');
  if (!fs.existsSync(workspace)) fs.cpSync(path.join(REPO, 'test/fixtures/vscode-workspace'), workspace, { recursive: true });
  fs.rmSync(path.join(workspace, '.vscode/settings.json'), { force: true }); // the fixture's hostile settings are for tests
  const userSettings: Record<string, unknown> = {};
  if (process.env.OPENAI_BASE_URL) userSettings['stepwise.baseUrl'] = process.env.OPENAI_BASE_URL;
  if (process.env.STEPWISE_MODEL) userSettings['stepwise.model'] = process.env.STEPWISE_MODEL;
  const server = await startCodeServer({
    testDriver: false,
    installVsix: path.join(REPO, 'stepwise.vsix'),
    userSettings,
    port: process.env.PORT ? Number(process.env.PORT) : undefined,
  });
  const url = `${server.origin}/?folder=${encodeURIComponent(workspace)}`;
  console.log(`\nStepwise demo: open ${url}\n`);
  console.log('Then press F1 and run "Stepwise: Start Goal…" (e.g. "Fix the add function and run the tests").');
  console.log(
    `Model server: ${process.env.OPENAI_BASE_URL ?? 'a local Ollama at http://127.0.0.1:11434/v1'} (set OPENAI_BASE_URL / STEPWISE_MODEL, or use "Stepwise: Select Model").`,
  );
  console.log('Press Ctrl+C to stop.\n');
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
