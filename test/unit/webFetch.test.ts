/**
 * Fetching for the model: only http(s); loopback, private, link-local and metadata addresses
 * refused (by IP, by name, after a redirect) unless local fetches are allowed; capped in size and
 * time; no cookies; HTML read as Markdown without its scripts.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { isLocalAddress } from '../../src/core/web/addresses';
import { fetchPage } from '../../src/core/web/fetchPage';
import { readablePage } from '../../src/core/web/readable';
import { pdfBomb, pdfDocument } from '../support/pdf';
import { pdfReadable } from '../../src/core/web/pdfText';

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

async function server(handler: http.RequestListener): Promise<{ port: number; seen: http.IncomingHttpHeaders[] }> {
  const seen: http.IncomingHttpHeaders[] = [];
  const s = http.createServer((req, res) => {
    seen.push(req.headers);
    handler(req, res);
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => (s.closeAllConnections(), s.close(r))));
  return { port: (s.address() as AddressInfo).port, seen };
}

const signal = () => new AbortController().signal;
const refused = async (url: string, extra = {}) => {
  await assert.rejects(fetchPage(url, { allowLocal: false, signal: signal(), ...extra }), (error: Error) => {
    assert.equal(error.name, 'WebFetchError');
    return true;
  });
  return fetchPage(url, { allowLocal: false, signal: signal(), ...extra }).then(
    () => 'fetched',
    (e: Error) => e.message,
  );
};

describe('web fetch: what may be reached', () => {
  test('loopback, private, link-local, metadata, NAT64 and IPv4-mapped addresses are local; public ones are not', () => {
    for (const a of [
      '127.0.0.1',
      '10.2.3.4',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '[::1]',
      'fe80::1',
      'fd00:ec2::254',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '64:ff9b::a00:1',
    ]) {
      assert.equal(isLocalAddress(a), true, a);
    }
    for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '93.184.216.34']) assert.equal(isLocalAddress(a), false, a);
  });

  test('file://, ftp://, credentials, ".com", 127.0.0.1, [::1], localhost and 169.254.169.254 are refused without the local allowance', async () => {
    const { port } = await server((_q, r) => r.end('secret'));
    assert.match(await refused('file:///etc/passwd'), /file:: only http and https URLs can be fetched/);
    assert.match(await refused('ftp://example.org/x'), /only http and https/);
    assert.match(await refused('http://user:pw@example.org/'), /user name or password/);
    assert.match(await refused(`http://127.0.0.1:${port}/`), /127\.0\.0\.1 is a local or private address .*--allow-local-fetch/);
    assert.match(await refused(`http://[::1]:${port}/`), /is a local or private address/);
    assert.match(await refused(`http://localhost:${port}/`), /is a local or private address/);
    assert.match(await refused('http://169.254.169.254/latest/meta-data/'), /169\.254\.169\.254 is a local or private address/);
    assert.match(await refused('not a url'), /is not a URL/);
    // A name that reads as a pattern where hosts are allowed (".com": every *.com) is no host.
    assert.match(await refused('http://.com/'), /"\.com" is not a host name/);
    assert.match(await refused('http://a..b/'), /"a\.\.b" is not a host name/);
  });

  test('a public name that resolves to a private address is refused when the connection is made', async () => {
    const lookup = async () => [{ address: '10.1.2.3', family: 4 }];
    assert.match(await refused('http://public.test/', { lookup }), /public\.test is a local or private address \(10\.1\.2\.3\)/);
  });

  test('a redirect from a public host to a private one is refused; more than five redirects too', async () => {
    const { port } = await server((req, res) => {
      if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
      res.writeHead(302, { location: `http://internal.test:${port}/admin`, 'set-cookie': 'session=1' }).end();
    });
    const names: Record<string, string> = { 'public.test': '127.0.0.1', 'internal.test': '10.9.9.9' };
    const lookup = async (host: string) => [{ address: names[host] ?? '203.0.113.1', family: 4 }];
    const isLocal = (a: string) => a === '10.9.9.9';
    assert.match(await refused(`http://public.test:${port}/`, { lookup, isLocal }), /internal\.test is a local or private address \(10\.9\.9\.9\)/);
    assert.match(await refused(`http://public.test:${port}/loop`, { lookup, isLocal }), /redirected more than 5 times/);
  });
});

describe('web fetch: what comes back', () => {
  test('HTML as Markdown without scripts or styles; JSON pretty; the user agent says Stepwise; no cookies follow a redirect', async () => {
    const page = `<!doctype html><html><head><title>Guide</title><style>.x{}</style><script>alert('run me')</script></head>
<body><nav>menu</nav><article><h1>Install</h1><p>Run <code>npm ci</code> first, then the <a href="/b">build</a>.</p><p>${'Long text. '.repeat(40)}</p></article></body></html>`;
    const { port, seen } = await server((req, res) => {
      if (req.url === '/start') return res.writeHead(302, { location: '/page', 'set-cookie': 'session=1' }).end();
      if (req.url === '/data') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":[1,2]}');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    });
    const fetched = await fetchPage(`http://127.0.0.1:${port}/start`, { allowLocal: true, signal: signal(), userAgent: 'Stepwise/test' });
    assert.equal(fetched.url, `http://127.0.0.1:${port}/page`);
    const readable = await readablePage(fetched, signal());
    assert.equal(readable.title, 'Guide');
    assert.match(readable.text, /# Install\n\nRun `npm ci` first, then the \[build\]\(\/b\)\./);
    assert.doesNotMatch(readable.text, /alert|\.x\{\}/);
    assert.equal(seen[1]?.cookie, undefined, 'the cookie set by the redirect is not sent');
    assert.equal(seen[1]?.['user-agent'], 'Stepwise/test');
    const json = await readablePage(await fetchPage(`http://127.0.0.1:${port}/data`, { allowLocal: true, signal: signal() }), signal());
    assert.equal(json.text, '{\n  "a": [\n    1,\n    2\n  ]\n}');
  });

  test('an HTML fragment without <html> or <body> still gives its text (and its title, not as text)', async () => {
    const fragment = '<title>Guide</title><script>x()</script><main><p>Run npm ci first.</p></main>';
    const page = { url: 'http://example.org/', status: 200, contentType: 'text/html', body: Buffer.from(fragment), truncated: false };
    const readable = await readablePage(page, signal());
    assert.deepEqual(readable, { title: 'Guide', text: 'Run npm ci first.' });
  });

  test("a PDF as its pages' text (a page without text named); a cut, a broken or a 60-page one says what was read", async () => {
    const pdf = pdfDocument(['Install with npm ci (then build).', '', 'Run the tests.'], 'Guide');
    const { port } = await server((req, res) => {
      const body =
        req.url === '/long'
          ? pdfDocument(Array.from({ length: 60 }, (_, i) => `Page ${i + 1}`))
          : req.url === '/broken'
            ? Buffer.from('%PDF-1.4\nnot really')
            : pdf;
      res.writeHead(200, { 'content-type': req.url === '/untyped' ? '' : 'application/pdf' }).end(body);
    });
    const read = async (path: string, extra = {}) =>
      readablePage(await fetchPage(`http://127.0.0.1:${port}${path}`, { allowLocal: true, signal: signal(), ...extra }), signal());
    const guide = await read('/guide');
    assert.equal(guide.title, 'Guide');
    assert.equal(
      guide.text,
      '--- page 1 of 3 ---\nInstall with npm ci (then build).\n\n--- page 2 of 3 ---\n(no text on this page: perhaps scanned)\n\n--- page 3 of 3 ---\nRun the tests.',
    );
    assert.match((await read('/untyped')).text, /Install with npm ci/, 'a PDF sent without a content type is still read');
    assert.match((await read('/guide', { maxPdfBytes: 200 })).text, /^\[a PDF document larger than the size limit/);
    assert.match((await read('/broken')).text, /^\[a PDF document whose text cannot be read: /);
    const long = (await read('/long')).text;
    assert.match(long, /--- page 50 of 60 ---\nPage 50\n\n\[pages 51–60 not read\]$/);
  });

  test('a PDF that inflates past the memory cap (a small file, hundreds of MB once read) is stopped and named', async () => {
    const bomb = pdfBomb(600 * 1024 * 1024);
    assert.ok(bomb.length < 2 * 1024 * 1024, `small on the wire: ${bomb.length} bytes`);
    const read = await pdfReadable(bomb, { truncated: false, signal: signal(), memoryCapBytes: 200 * 1024 * 1024 });
    assert.equal(read.text, '[a PDF document whose text cannot be read: reading it needs more than 200 MB of memory]');
  });

  test('an endless response is cut at the size cap; a server that never answers times out', async () => {
    const { port } = await server((req, res) => {
      if (req.url === '/hang') return;
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (res.write(chunk)) if (res.destroyed) return;
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const big = await fetchPage(`http://127.0.0.1:${port}/big`, { allowLocal: true, signal: signal(), maxBytes: 1024 * 1024 });
    assert.equal(big.truncated, true);
    assert.equal(big.body.length, 1024 * 1024);
    await assert.rejects(fetchPage(`http://127.0.0.1:${port}/hang`, { allowLocal: true, signal: signal(), timeoutMs: 300 }), /did not answer in time/);
  });
});
