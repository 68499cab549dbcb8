/**
 * The model download (src/core/embedded/download.ts) against a local HTTP server: whole, through a
 * redirect, resumed after a cut (with a Range request), started again when the server ignores the
 * range, refused on a checksum or size mismatch (the part file deleted), a full disk, a stop.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type ModelDownload, modelUrl } from '../../src/core/embedded/defaultModel';
import { DownloadError, downloadModel } from '../../src/core/embedded/download';
import { freePort } from '../support/ports';

const BODY = randomBytes(3 * 1024 * 1024 + 17);
const SHA = createHash('sha256').update(BODY).digest('hex');

interface Behaviour {
  /** Close the connection after this many bytes of the next answer. */
  cutAfter?: number;
  ignoreRange?: boolean;
  corrupt?: boolean;
  status?: number;
}

describe('downloading a model file', () => {
  let server: http.Server;
  let base: string;
  let behaviour: Behaviour = {};
  const ranges: (string | undefined)[] = [];
  let dir: string;
  const model = (over: Partial<ModelDownload> = {}): ModelDownload => ({
    label: 'test model',
    licence: 'MIT',
    url: 'https://models.example/org/repo/resolve/main/m.gguf',
    fileName: 'm.gguf',
    bytes: BODY.length,
    sha256: SHA,
    ...over,
  });
  const never = () => new AbortController().signal;

  before(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/redirect') return res.writeHead(302, { location: '/file' }).end();
      const now = behaviour;
      behaviour = {};
      if (now.status) return res.writeHead(now.status).end();
      ranges.push(req.headers.range);
      const from = !now.ignoreRange && req.headers.range ? Number(/bytes=(\d+)-/.exec(req.headers.range)?.[1]) : 0;
      let body = BODY.subarray(from);
      if (now.corrupt) body = Buffer.from(body.map((b, i) => (i === 100 ? b ^ 1 : b)));
      res.writeHead(from ? 206 : 200, { 'content-length': body.length });
      if (now.cutAfter === undefined) return res.end(body);
      res.write(body.subarray(0, now.cutAfter), () => res.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-download-'));
    ranges.length = 0;
    behaviour = {};
  });

  test('HF_ENDPOINT, the variable Hugging Face tools read, names a mirror of the same path', () => {
    const m = model();
    assert.equal(modelUrl(m, {}), m.url);
    assert.equal(modelUrl(m, { HF_ENDPOINT: 'https://mirror.example/' }), 'https://mirror.example/org/repo/resolve/main/m.gguf');
    assert.equal(modelUrl(m, { HF_ENDPOINT: 'mirror.example' }), m.url, 'not an address: ignored');
  });

  test('a whole download through a redirect lands under its name, with progress up to its size', async () => {
    const file = path.join(dir, 'models', 'm.gguf');
    const seen: number[] = [];
    await downloadModel(model(), file, {
      signal: never(),
      url: `${base}/redirect`,
      onProgress: (done, total) => (assert.equal(total, BODY.length), seen.push(done)),
    });
    assert.ok(fs.readFileSync(file).equals(BODY));
    assert.equal(seen.at(-1), BODY.length);
    assert.equal(fs.existsSync(`${file}.part`), false);
  });

  test('a cut download keeps its part; the next one asks for the rest only and completes the file', async () => {
    const file = path.join(dir, 'm.gguf');
    behaviour = { cutAfter: 1024 * 1024 };
    await assert.rejects(
      downloadModel(model(), file, { signal: never(), url: `${base}/redirect` }),
      (e: Error) => e instanceof DownloadError && /cut|ended early/.test(e.message),
    );
    const kept = fs.statSync(`${file}.part`).size;
    assert.ok(kept > 0 && kept < BODY.length, `${kept} bytes kept`);
    assert.equal(fs.existsSync(file), false, 'nothing under the final name');
    await downloadModel(model(), file, { signal: never(), url: `${base}/redirect` });
    assert.deepEqual(ranges, [undefined, `bytes=${kept}-`]);
    assert.ok(fs.readFileSync(file).equals(BODY));
  });

  test('a server that ignores the range sends it all again: the file is still exact', async () => {
    const file = path.join(dir, 'm.gguf');
    fs.writeFileSync(`${file}.part`, BODY.subarray(0, 5000));
    behaviour = { ignoreRange: true };
    await downloadModel(model(), file, { signal: never(), url: `${base}/redirect` });
    assert.ok(fs.readFileSync(file).equals(BODY));
  });

  test('bytes that do not match the published SHA-256 are refused and deleted', async () => {
    const file = path.join(dir, 'm.gguf');
    behaviour = { corrupt: true };
    await assert.rejects(
      downloadModel(model(), file, { signal: never(), url: `${base}/redirect` }),
      (e: Error) => e instanceof DownloadError && e.kind === 'checksum' && /does not match its published checksum/.test(e.message),
    );
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  test('more bytes than published are refused', async () => {
    const file = path.join(dir, 'm.gguf');
    await assert.rejects(
      downloadModel(model({ bytes: BODY.length - 10 }), file, { signal: never(), url: `${base}/redirect` }),
      (e: Error) => e instanceof DownloadError && e.kind === 'checksum',
    );
  });

  test('a disk without room for the rest is told before the first byte, with the room needed', async () => {
    const file = path.join(dir, 'm.gguf');
    await assert.rejects(
      downloadModel(model(), file, { signal: never(), url: `${base}/redirect`, freeBytes: async () => 10 * 1024 * 1024 }),
      (e: Error) => e instanceof DownloadError && e.kind === 'disk' && /m\.gguf needs 0\.3 GB free in .*; there are 0\.0 GB/.test(e.message),
    );
    assert.deepEqual(ranges, [], 'nothing was asked of the server');
  });

  test('an error status and an unreachable host are named; a stop keeps the part for the next run', async () => {
    const file = path.join(dir, 'm.gguf');
    behaviour = { status: 404 };
    await assert.rejects(downloadModel(model(), file, { signal: never(), url: `${base}/redirect` }), /answered 404 for m\.gguf/);
    const closed = await freePort();
    await assert.rejects(
      downloadModel(model(), file, { signal: never(), url: `http://127.0.0.1:${closed}/x` }),
      new RegExp(`Could not reach 127\\.0\\.0\\.1:${closed}: ECONNREFUSED`),
    );
    const stop = new AbortController();
    await assert.rejects(
      downloadModel(model(), file, { signal: stop.signal, url: `${base}/redirect`, onProgress: (done) => done > 1024 * 1024 && stop.abort() }),
      (e: Error) => e instanceof DownloadError && e.kind === 'cancelled',
    );
    assert.ok(fs.statSync(`${file}.part`).size > 1024 * 1024);
  });
});
