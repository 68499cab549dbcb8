/**
 * What the embedded provider decides before loading anything: the runtime packages for a
 * platform and GPU, where the cache is, and whether a model file can be loaded at all.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { userCacheDir } from '../../src/core/embedded/cacheDir';
import { checkModelFile, ModelFileError } from '../../src/core/embedded/modelFile';
import { runtimeLocation } from '../../src/core/embedded/runtime';
import { detectGpu, platformName, runtimePackages } from '../../src/core/embedded/runtimePackages';
import { parseCommandLine, UsageError } from '../../src/cli/args';

describe('the embedded runtime', () => {
  test("only this machine's prebuilt binaries, pinned: the CPU build, and the GPU build when there is one", () => {
    assert.deepEqual(runtimePackages('linux', 'x64', undefined), ['node-llama-cpp@3.21.1', '@node-llama-cpp/linux-x64@3.21.1']);
    assert.deepEqual(runtimePackages('linux', 'x64', 'cuda'), [
      'node-llama-cpp@3.21.1',
      '@node-llama-cpp/linux-x64@3.21.1',
      '@node-llama-cpp/linux-x64-cuda@3.21.1',
      '@node-llama-cpp/linux-x64-cuda-ext@3.21.1',
    ]);
    assert.deepEqual(runtimePackages('darwin', 'arm64', 'metal'), ['node-llama-cpp@3.21.1', '@node-llama-cpp/mac-arm64-metal@3.21.1']);
    assert.deepEqual(runtimePackages('win32', 'x64', 'vulkan').slice(1), ['@node-llama-cpp/win-x64@3.21.1', '@node-llama-cpp/win-x64-vulkan@3.21.1']);
    assert.equal(platformName('linux', 'arm'), 'linux-armv7l');
    assert.deepEqual(runtimePackages('freebsd', 'x64', undefined), [], 'no prebuilt binary: nothing to install');
  });

  test('the GPU is told from the machine unless STEPWISE_EMBEDDED_GPU says', () => {
    assert.equal(detectGpu({}, 'darwin', 'arm64'), 'metal');
    assert.equal(detectGpu({ STEPWISE_EMBEDDED_GPU: 'none' }, 'darwin', 'arm64'), undefined);
    assert.equal(detectGpu({ STEPWISE_EMBEDDED_GPU: 'Vulkan' }, 'linux', 'x64'), 'vulkan');
    assert.equal(detectGpu({}, 'linux', 'x64'), fs.existsSync('/proc/driver/nvidia/version') ? 'cuda' : undefined);
  });

  test("it lives in the user's cache, per version, platform and GPU; an empty folder is not an install", () => {
    assert.equal(userCacheDir({ XDG_CACHE_HOME: '/c' }, 'linux'), path.join('/c', 'stepwise'));
    assert.equal(userCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux'), path.join(os.homedir(), '.cache', 'stepwise'));
    assert.equal(userCacheDir({}, 'darwin'), path.join(os.homedir(), 'Library', 'Caches', 'stepwise'));
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-cache-'));
    try {
      const where = runtimeLocation(cache, { STEPWISE_EMBEDDED_GPU: 'none' }, 'linux', 'x64');
      assert.equal(where.dir, path.join(cache, 'runtime', 'node-llama-cpp-3.21.1-linux-x64'));
      assert.equal(where.installed, false);
      fs.mkdirSync(path.dirname(where.entry), { recursive: true });
      fs.writeFileSync(where.entry, '');
      assert.equal(runtimeLocation(cache, { STEPWISE_EMBEDDED_GPU: 'none' }, 'linux', 'x64').installed, false, 'the library without its binary');
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
});

describe('a model file, before it is loaded', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-model-file-'));
  const file = (name: string, bytes: Buffer | string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, bytes);
    return f;
  };
  const gguf = (version: number) => Buffer.concat([Buffer.from('GGUF'), Buffer.from(Uint32Array.of(version).buffer), Buffer.alloc(64)]);
  const fails = async (f: string, pattern: RegExp, memory?: number) =>
    assert.rejects(checkModelFile(f, memory), (e: Error) => e instanceof ModelFileError && pattern.test(e.message) && e.message.includes(f));

  test('GGUF 2 and 3 pass, with their size', async () => {
    assert.deepEqual(await checkModelFile(file('v3.gguf', gguf(3))), { bytes: 72 });
    assert.deepEqual(await checkModelFile(file('v2.gguf', gguf(2))), { bytes: 72 });
  });

  test('missing, a folder, not GGUF, an old GGUF, empty, larger than the memory: each named', async () => {
    await fails(path.join(dir, 'none.gguf'), /does not exist/);
    await fails(dir, /is not a file/);
    await fails(file('zip.gguf', 'PK\u0003\u0004 a zip file'), /is not a GGUF model file/);
    await fails(file('empty.gguf', ''), /is not a GGUF model file/);
    await fails(file('v1.gguf', gguf(1)), /GGUF version 1/);
    await fails(file('big.gguf', gguf(3)), /needs about 0\.0 GB of memory to run; this machine has 0\.0 GB/, 50);
  });
});

describe('--provider embedded on the command line', () => {
  const usage = (args: string[]) => assert.throws(() => parseCommandLine(args, {}), UsageError);

  test('takes --model-file; a server, key or model name with it is a usage error', () => {
    const parsed = parseCommandLine(['run', '--provider', 'embedded', '--model-file', 'm.gguf', 'x'], {
      OPENAI_API_KEY: 'sk-x',
      OPENAI_BASE_URL: 'http://h/v1',
    });
    assert.equal(parsed.kind, 'run');
    if (parsed.kind !== 'run') return;
    assert.deepEqual(parsed.config.embedded, { modelFile: 'm.gguf' });
    assert.equal(parsed.config.baseUrl, undefined, 'the environment names no server for it');
    assert.equal(parsed.config.apiKey, undefined, 'and hands it no key');
    usage(['run', '--provider', 'embedded', '--base-url', 'http://h/v1', 'x']);
    usage(['run', '--provider', 'embedded', '--api-key', 'k', 'x']);
    usage(['run', '--provider', 'embedded', '--model', 'qwen', 'x']);
    usage(['run', '--provider', 'embedded', '--model-file', ' ', 'x']);
    usage(['run', '--model-file', 'm.gguf', 'x']);
    usage(['run', '--provider', 'ollama', '--model-file', 'm.gguf', 'x']);
  });
});
