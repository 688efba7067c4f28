// The HTTP side of serving a file, over a real socket: strong ETags and 304s, Last-Modified,
// byte ranges (206/416, If-Range), pre-compressed siblings chosen by Accept-Encoding,
// Cache-Control per kind of file, HEAD, OPTIONS, and 405 for every other method.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Project, Version } from '../../../src/db/schema.ts';
import { precompressDirectory } from '../../../src/builder/steps/precompress.ts';
import { docsFixture, type DocsFixture } from '../../helpers/docs-fixture.ts';
import { request } from '../../helpers/raw-http.ts';

let f: DocsFixture;
let guide: Project;
let latest: Version;
const host = 'guide.docs.localhost';
const big = `<!doctype html><title>Big</title>\n${'<p>Serving documentation quickly and correctly.</p>\n'.repeat(200)}`;
const bin = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
// Larger than the in-memory file cache takes: always streamed from storage.
const large = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));

/** Every file of a local folder (after precompression), as deploy() takes them. */
function filesOf(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[path.relative(dir, path.join(entry.parentPath, entry.name))] = fs.readFileSync(path.join(entry.parentPath, entry.name));
  }
  return out;
}

before(async () => {
  f = await docsFixture();
  guide = await f.project('guide');
  latest = await f.version(guide, 'latest');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-out-'));
  fs.mkdirSync(path.join(dir, '_static'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<p>small</p>\n');
  fs.writeFileSync(path.join(dir, 'big.html'), big);
  fs.writeFileSync(path.join(dir, 'data.bin'), bin);
  fs.writeFileSync(path.join(dir, 'large.bin'), large);
  fs.writeFileSync(path.join(dir, '_static/app.3f9a1c2b.js'), 'console.log(1);\n');
  fs.writeFileSync(path.join(dir, '_static/style.css'), 'body{}\n');
  await precompressDirectory(dir);
  await f.deploy(guide, latest, filesOf(dir), { pdf: bin });
  fs.rmSync(dir, { recursive: true, force: true });
  await f.listen();
});
after(() => f.close());

const fetch = (p: string, headers: Record<string, string> = {}, method = 'GET') => request(f.port, { host, path: p, headers, method });

test('a strong ETag; If-None-Match answers 304 (weak comparison, lists, *)', async () => {
  const first = await fetch('/en/latest/big.html');
  const etag = first.headers.etag!;
  assert.match(etag, /^"[^"]+"$/, 'strong: no W/ prefix');
  for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
    const res = await fetch('/en/latest/big.html', { 'if-none-match': inm });
    assert.equal(res.status, 304, inm);
    assert.equal(res.body, '');
    assert.equal(res.headers.etag, etag);
    assert.equal(res.headers['cache-control'], 'public, max-age=60');
  }
  assert.equal((await fetch('/en/latest/big.html', { 'if-none-match': '"nope"' })).status, 200);
});

test('Last-Modified and If-Modified-Since; If-None-Match takes precedence', async () => {
  const first = await fetch('/en/latest/index.html');
  const lastModified = first.headers['last-modified']!;
  assert.ok(!Number.isNaN(Date.parse(lastModified)));
  assert.equal((await fetch('/en/latest/index.html', { 'if-modified-since': lastModified })).status, 304);
  assert.equal((await fetch('/en/latest/index.html', { 'if-modified-since': new Date(Date.parse(lastModified) + 3600_000).toUTCString() })).status, 304);
  assert.equal((await fetch('/en/latest/index.html', { 'if-modified-since': new Date(Date.parse(lastModified) - 3600_000).toUTCString() })).status, 200);
  assert.equal((await fetch('/en/latest/index.html', { 'if-modified-since': lastModified, 'if-none-match': '"stale"' })).status, 200);
});

test('Range: 206 with Content-Range, suffix and open ranges, 416, If-Range', async () => {
  const cases: Array<[string, number, number]> = [['bytes=0-9', 0, 9], ['bytes=-5', 995, 999], ['bytes=990-', 990, 999], ['bytes=500-5000', 500, 999]];
  for (const [range, start, end] of cases) {
    const res = await fetch('/en/latest/data.bin', { range });
    assert.equal(res.status, 206, range);
    assert.equal(res.headers['content-range'], `bytes ${start}-${end}/1000`, range);
    assert.equal(Number(res.headers['content-length']), end - start + 1);
    assert.deepEqual(res.raw, bin.subarray(start, end + 1), range);
  }
  const bad = await fetch('/en/latest/data.bin', { range: 'bytes=1000-' });
  assert.equal(bad.status, 416);
  assert.equal(bad.headers['content-range'], 'bytes */1000');
  assert.equal((await fetch('/en/latest/data.bin', { range: 'bytes=0-1,5-6' })).status, 200, 'several ranges: the whole file');
  const etag = (await fetch('/en/latest/data.bin')).headers.etag!;
  assert.equal((await fetch('/en/latest/data.bin', { range: 'bytes=0-9', 'if-range': etag })).status, 206);
  const changed = await fetch('/en/latest/data.bin', { range: 'bytes=0-9', 'if-range': '"older"' });
  assert.equal(changed.status, 200);
  assert.equal(changed.raw.length, 1000);
  const download = await fetch('/_/downloads/en/latest/pdf/', { range: 'bytes=10-19' });
  assert.equal(download.status, 206, 'downloads resume');
  assert.deepEqual(download.raw, bin.subarray(10, 20));
});

test('a file too large for the memory cache: streamed whole, in ranges, for HEAD and 304', async () => {
  const whole = await fetch('/en/latest/large.bin');
  assert.equal(whole.status, 200);
  assert.deepEqual(whole.raw, large);
  const part = await fetch('/en/latest/large.bin', { range: 'bytes=250000-250009' });
  assert.equal(part.status, 206);
  assert.deepEqual(part.raw, large.subarray(250_000, 250_010));
  const head = await fetch('/en/latest/large.bin', {}, 'HEAD');
  assert.equal(Number(head.headers['content-length']), large.length);
  assert.equal(head.body, '');
  assert.equal((await fetch('/en/latest/large.bin', { 'if-none-match': whole.headers.etag! })).status, 304);
});

test('pre-compressed siblings by Accept-Encoding, with Vary and their own ETag', async () => {
  const br = await fetch('/en/latest/big.html', { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(zlib.brotliDecompressSync(br.raw).toString(), big);
  assert.ok(br.raw.length < big.length / 5);
  assert.equal(br.headers.vary, 'Accept-Encoding');
  assert.match(br.headers['content-type'] ?? '', /^text\/html; charset=utf-8/);
  const gz = await fetch('/en/latest/big.html', { 'accept-encoding': 'br;q=0, gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(zlib.gunzipSync(gz.raw).toString(), big);
  const plain = await fetch('/en/latest/big.html');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body, big);
  assert.equal(plain.headers.vary, 'Accept-Encoding');
  assert.equal(new Set([br.headers.etag, gz.headers.etag, plain.headers.etag]).size, 3, 'one ETag per representation');
  assert.equal((await fetch('/en/latest/big.html', { 'accept-encoding': 'gzip', 'if-none-match': gz.headers.etag! })).status, 304);
  const small = await fetch('/en/latest/index.html', { 'accept-encoding': 'br, gzip' });
  assert.equal(small.headers['content-encoding'], undefined, 'small files have no siblings');
  assert.equal(small.body, '<p>small</p>\n');
  const ranged = await fetch('/en/latest/big.html', { 'accept-encoding': 'br', range: 'bytes=0-9' });
  assert.equal(ranged.status, 206);
  assert.equal(ranged.headers['content-encoding'], undefined, 'ranges are of the identity bytes');
  assert.equal(ranged.body, big.slice(0, 10));
});

test('Cache-Control: short for HTML, a year for hashed assets, minutes for others; CORS open', async () => {
  const rows: Array<[string, string]> = [
    ['/en/latest/big.html', 'public, max-age=60'],
    ['/en/latest/_static/app.3f9a1c2b.js', 'public, max-age=31536000, immutable'],
    ['/en/latest/_static/style.css', 'public, max-age=600'],
  ];
  for (const [p, cacheControl] of rows) {
    const res = await fetch(p);
    assert.equal(res.status, 200, p);
    assert.equal(res.headers['cache-control'], cacheControl, p);
    assert.equal(res.headers['access-control-allow-origin'], '*', p);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', p);
  }
});

test('HEAD: the same status and headers as GET, no body', async () => {
  const head = await fetch('/en/latest/big.html', {}, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  assert.equal(Number(head.headers['content-length']), Buffer.byteLength(big));
  assert.ok(head.headers.etag);
  assert.equal((await fetch('/en/latest/nothing.html', {}, 'HEAD')).status, 404);
  const redirect = await fetch('/en/latest', {}, 'HEAD');
  assert.equal(redirect.status, 302);
  assert.equal(redirect.headers.location, '/en/latest/');
});

test('only GET, HEAD and OPTIONS: any other method is 405 with Allow; OPTIONS answers CORS', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    const res = await request(f.port, { host, path: '/en/latest/big.html', method, headers: { 'content-type': 'application/x-unknown' }, body: 'x' });
    assert.equal(res.status, 405, method);
    assert.equal(res.headers.allow, 'GET, HEAD, OPTIONS', method);
  }
  const options = await request(f.port, { host, path: '/en/latest/big.html', method: 'OPTIONS', headers: { origin: 'https://example.com' } });
  assert.equal(options.status, 200);
  assert.equal(options.body, '');
  assert.equal(options.headers.allow, 'GET, HEAD, OPTIONS');
  assert.equal(options.headers['access-control-allow-origin'], '*');
  assert.equal(options.headers['access-control-allow-methods'], 'HEAD, OPTIONS, GET');
  assert.equal(options.headers['access-control-allow-credentials'], undefined);
});

test('HTTP/1.0 without a Host header: the plain 404, not an error', async () => {
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(f.port, '127.0.0.1', () => socket.end('GET /en/latest/ HTTP/1.0\r\n\r\n'));
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
  assert.match(answer, /^HTTP\/1\.[01] 404 /);
});

test('a new build of the same files gets new ETags', async () => {
  const before = (await fetch('/en/latest/index.html')).headers.etag;
  await f.deploy(guide, latest, { 'index.html': '<p>small</p>\n' });
  const after = await fetch('/en/latest/index.html', { 'if-none-match': before! });
  assert.equal(after.status, 200);
  assert.notEqual(after.headers.etag, before);
});
