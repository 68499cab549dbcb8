/**
 * The same extension test suite through @vscode/test-electron, for machines that can download
 * VS Code. Where the download is impossible (as on our CI machines, which use code-server
 * instead: runExtensionTests.ts), it says so and steps aside.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const REPO = path.resolve(__dirname, '../..');

async function main(): Promise<number> {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.log(
      'test:electron skipped: no display to start desktop VS Code on (run under xvfb-run). The same suite runs in code-server (npm run test:vscode).',
    );
    return 0;
  }
  let vscodeExecutablePath: string;
  try {
    vscodeExecutablePath = await withTimeout(downloadAndUnzipVSCode({ version: 'stable', cachePath: path.join(REPO, '.vscode-test') }), 60_000);
  } catch (error) {
    console.log(
      `test:electron skipped: VS Code could not be downloaded on this machine (${firstLine(error)}). The same suite runs in code-server (npm run test:vscode).`,
    );
    return 0;
  }
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-electron-ws-'));
  fs.cpSync(path.join(REPO, 'test/fixtures/vscode-workspace'), workspace, { recursive: true });
  try {
    return await runTests({
      vscodeExecutablePath,
      // Desktop VS Code loads several development extensions: Stepwise and the test LM provider.
      extensionDevelopmentPath: [REPO, path.join(REPO, 'test/fixtures/lm-test-provider')],
      extensionTestsPath: path.join(REPO, 'out/test/vscode/index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms))]);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`test:electron failed: ${firstLine(error)}`);
    process.exit(1);
  },
);
