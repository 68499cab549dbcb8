/**
 * The facts of the machine the model would otherwise guess (and get wrong: `dir` on Linux): the
 * OS, the shell run_command uses, today's date, the workspace's folders, and the test command when
 * the project says it plainly. One line in the system prompt, fixed for the task.
 */
// l10n-ignore-file: the machine facts line is for the model
import * as os from 'node:os';
import type { Host } from '../host/host';
import { commandShell } from '../host/processRunner';

export interface MachineFacts {
  os: string;
  shell: string;
  date: string;
  testCommand?: string;
}

const OS_NAMES: Record<string, string> = { Linux: 'Linux', Darwin: 'macOS', Windows_NT: 'Windows' };
/** npm init's placeholder script is not a test command. */
const NO_TEST = /no test specified/;

export async function machineFacts(host: Host, now = new Date()): Promise<MachineFacts> {
  const testCommand = await findTestCommand(host).catch(() => undefined);
  return {
    os: `${OS_NAMES[os.type()] ?? os.type()} (${os.arch()})`,
    shell: commandShell(),
    date: now.toISOString().slice(0, 10),
    ...(testCommand ? { testCommand } : {}),
  };
}

export function factsLine(facts: MachineFacts): string {
  return `Machine: ${facts.os}; run_command runs in ${facts.shell}; today is ${facts.date}.${facts.testCommand ? ` Tests: ${facts.testCommand}.` : ''}`;
}

/** Where commands run (the first folder): package.json's test script, Cargo, Go, pytest. */
async function findTestCommand(host: Host): Promise<string | undefined> {
  const root = host.folders && host.folders.length > 1 ? `${host.folders[0]}/` : '';
  const text = async (file: string) => {
    const read = await host.readFile(`${root}${file}`, 256 * 1024).catch(() => undefined);
    return read?.kind === 'text' ? read.text : undefined;
  };
  const exists = async (file: string) => (await host.stat(`${root}${file}`).catch(() => undefined)) !== undefined;
  const pkg = await text('package.json');
  if (pkg) {
    const script = (JSON.parse(pkg) as { scripts?: Record<string, unknown> }).scripts?.test;
    if (typeof script === 'string' && !NO_TEST.test(script)) {
      const runner = (await exists('pnpm-lock.yaml')) ? 'pnpm' : (await exists('yarn.lock')) ? 'yarn' : 'npm';
      return `${runner} test`;
    }
  }
  if (await exists('Cargo.toml')) return 'cargo test';
  if (await exists('go.mod')) return 'go test ./...';
  const pyproject = await text('pyproject.toml');
  if ((pyproject && /\bpytest\b/.test(pyproject)) || (await exists('pytest.ini'))) return 'pytest';
  return undefined;
}
