/**
 * Runs the extension integration tests (test/vscode/suite) inside a real VS Code extension host:
 * code-server + Debian's Chromium driven by playwright-core (see shared TESTING.md). The suite
 * reports through the smoke-test driver hooks; this process exits with the suite's exit code.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, REPO, remoteUri, startCodeServer, runMain } from './codeServer';

const TIMEOUT_MS = 10 * 60_000;
/**
 * The workbench's own chatter (no network, no GitHub sign-in), and its logging of the language-
 * model failures the vscode.lm tests cause on purpose: shown only with STEPWISE_DEBUG.
 */
const NOISE =
  /Soft Assertion|connection token|Creating a socket|grace time|builtin extensions cache|Service Worker|AgentHost|AccountPolicyGate|authentication provider|ENOTFOUND|getaddrinfo|marketplace|gallery|Extension host \(Remote\)|^\s+at |^\[CHAT\] extension request ERRORED|^\[LM\] No provider registered|^Model is disposed!/i;

/** `--multi-root`: the *.multiroot.test files, in a workspace of three folders (test/fixtures/multi-root). */
const MULTI_ROOT = process.argv.includes('--multi-root');

async function main(): Promise<number> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-vscode-ws-'));
  fs.cpSync(path.join(REPO, MULTI_ROOT ? 'test/fixtures/multi-root' : 'test/fixtures/vscode-workspace'), workspace, { recursive: true });
  // The workbench keeps one extensionDevelopmentPath (the payload becomes a Map), so the test
  // language-model provider is installed as a regular extension instead.
  const server = await startCodeServer({
    testDriver: true,
    extensionFolders: [path.join(REPO, 'test/fixtures/lm-test-provider')],
    cacheHome: path.join(REPO, 'node_modules/.cache/stepwise-test'),
    log: (l) => process.env.STEPWISE_DEBUG && console.error(`[code-server] ${l}`),
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    let exit!: (code: number) => void;
    const exited = new Promise<number>((resolve) => (exit = resolve));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      if (!process.env.STEPWISE_DEBUG && NOISE.test(line.split('\n')[0] ?? '')) return;
      (type === 'error' ? console.error : console.log)(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
    const payload = [
      ['extensionDevelopmentPath', remoteUri(server.origin, REPO)],
      ['extensionTestsPath', remoteUri(server.origin, path.join(REPO, 'out/test/vscode/index.js'))],
      ['skipWelcome', 'true'],
      [
        'extensionEnvironment',
        JSON.stringify({ STEPWISE_TEST_GREP: process.env.STEPWISE_TEST_GREP ?? '', STEPWISE_TEST_WORKSPACE: MULTI_ROOT ? 'multi-root' : '' }),
      ],
    ];
    const opened = MULTI_ROOT ? `workspace=${encodeURIComponent(path.join(workspace, 'stepwise.code-workspace'))}` : `folder=${encodeURIComponent(workspace)}`;
    const url = `${server.origin}/?${opened}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    const timeout = new Promise<number>((resolve) => setTimeout(() => (console.error('extension tests timed out'), resolve(1)), TIMEOUT_MS));
    return await Promise.race([exited, timeout]);
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

runMain('extension tests', main);
