/**
 * The embedded model without --model-file: the default model downloaded into the cache (from a
 * local server standing in for the model hub, through HF_ENDPOINT), offered when no server is
 * found, used when it was downloaded before, and counted by doctor only when it is there.
 * These tests share the tests' cache (the runtime is installed once) and clear its models/ after each.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { DEFAULT_MODEL } from '../../src/core/embedded/defaultModel';
import { jsonEvents, NETWORK_ENV, runCli, runCliOnTerminal, TEST_CACHE } from '../support/cli';
import { tempDir } from '../support/embedded';
import { writeTinyGguf } from '../support/tinyGguf';
import { makeWorkspace, removeWorkspace } from '../support/workspace';

const MODELS = path.join(TEST_CACHE, 'stepwise', 'models');
const DEFAULT_FILE = path.join(MODELS, DEFAULT_MODEL.fileName);
const lister = { '<0x0A>': '<', '<': 't', '{': '}', '"': 'l', '▁"': 'l', l: '"' };

/** A stand-in for the model hub that sends the first `bytes` of a file of zeros and then drops the connection. */
async function cuttingHub(bytes: number): Promise<{ url: string; paths: string[]; close(): void }> {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(200, { 'content-length': DEFAULT_MODEL.bytes });
    res.write(Buffer.alloc(bytes), () => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths, close: () => server.close() };
}

/** The default model "downloaded earlier": the tiny model, made as large as the real file (sparse). */
function plantDefault(): void {
  fs.mkdirSync(MODELS, { recursive: true });
  writeTinyGguf(DEFAULT_FILE, lister);
  fs.truncateSync(DEFAULT_FILE, DEFAULT_MODEL.bytes);
}

describe('the default embedded model', () => {
  const root = makeWorkspace({ 'a.txt': 'alpha\n' });
  afterEach(() => fs.rmSync(MODELS, { recursive: true, force: true }));

  test('--provider embedded without a file downloads it from the hub (HF_ENDPOINT a mirror), with progress; a cut download keeps its part and exits 2', async () => {
    const hub = await cuttingHub(3 * 1024 * 1024);
    try {
      const result = await runCli(['run', '--workspace', root, '--provider', 'embedded', 'x'], { ...NETWORK_ENV, HF_ENDPOINT: hub.url });
      assert.equal(result.code, 2, result.stderr);
      assert.match(
        result.stderr,
        /downloading the embedded model, Qwen2\.5-Coder 1\.5B Instruct Q4_K_M \(1\.1 GB, licence Apache-2\.0\), into .*models \(once; Ctrl\+C stops it, the next run resumes\)/,
      );
      assert.match(result.stderr, /downloading qwen2\.5-coder-1\.5b-instruct-q4_k_m\.gguf: 0% \(\d+ of 1,066 MB/);
      assert.match(result.stderr.trim().split('\n').at(-1)!, /The download (was cut|ended early).*the next run resumes it/);
      assert.deepEqual(hub.paths, [`/Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF/resolve/main/${DEFAULT_MODEL.fileName}`]);
      const kept = fs.statSync(`${DEFAULT_FILE}.part`).size;
      assert.ok(kept > 0 && kept <= 3 * 1024 * 1024, `${kept} bytes kept for the next run`);
      assert.equal(fs.existsSync(DEFAULT_FILE), false);
    } finally {
      hub.close();
    }
  });

  test('no server, no terminal: exit 2 with one line that names --provider embedded and the download size', async () => {
    const result = await runCli(['run', '--workspace', root, 'x'], NETWORK_ENV);
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(
      result.stderr,
      /no model server found .* --provider embedded \(downloads Qwen2\.5-Coder 1\.5B Instruct Q4_K_M \(1\.1 GB, licence Apache-2\.0\) and its runtime, 85 MB, once\)/,
    );
  });

  test('no server, on a terminal: the embedded model is offered with its size; "n" downloads nothing', async () => {
    const result = await runCliOnTerminal(['run', '--workspace', root, 'x'], ['n'], NETWORK_ENV);
    assert.equal(result.code, 2);
    assert.match(
      result.stdout,
      /Run the embedded model instead\? Stepwise downloads Qwen2\.5-Coder 1\.5B Instruct Q4_K_M \(1\.1 GB, licence Apache-2\.0\) and its runtime \(85 MB\) once/,
    );
    assert.equal(fs.existsSync(MODELS), false);
  });

  test('downloaded earlier: a run with no server uses it, and doctor counts it', async () => {
    plantDefault();
    const result = await runCli(['run', '--workspace', root, '--max-steps', '2', '--json', 'Look around'], NETWORK_ENV);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /no model server found; using the embedded model downloaded earlier \(Qwen2\.5-Coder 1\.5B Instruct Q4_K_M\)/);
    assert.deepEqual(
      jsonEvents(result.stdout)
        .filter((e) => e.type === 'tool_call')
        .map((e) => e.name),
      ['list_files', 'list_files'],
    );
    const doctor = await runCli(['doctor'], NETWORK_ENV);
    assert.equal(doctor.code, 0, doctor.stdout);
    assert.match(doctor.stdout, /--\s+server: none found: run uses the embedded model downloaded earlier/);
    assert.match(doctor.stdout, /ok\s+loads: in \d+\.\d s on the CPU, context \d+ tokens/);
  });

  test('doctor --provider embedded without the model downloaded: it cannot run (exit 1), and says how to get it', async () => {
    const doctor = await runCli(['doctor', '--provider', 'embedded'], NETWORK_ENV);
    assert.equal(doctor.code, 1, doctor.stdout);
    assert.match(doctor.stdout, /FAIL\s+embedded: the model Qwen2\.5-Coder 1\.5B Instruct Q4_K_M is not downloaded \(1\.1 GB\)/);
    assert.match(doctor.stdout, /next: `stepwise run --provider embedded "…"` downloads it once/);
  });

  test('doctor on a bad model file: named, exit 1', async () => {
    const dir = tempDir('stepwise-doctor-');
    const file = path.join(dir, 'zip.gguf');
    fs.writeFileSync(file, 'PK\u0003\u0004');
    const doctor = await runCli(['doctor', '--provider', 'embedded', '--model-file', file], NETWORK_ENV);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(doctor.code, 1);
    assert.match(doctor.stdout, /FAIL\s+embedded: .*zip\.gguf is not a GGUF model file/);
  });

  test('cleanup', () => removeWorkspace(root));
});
