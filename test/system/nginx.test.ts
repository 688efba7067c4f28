// The real nginx with deploy/nginx/bindery-node.conf in front of a docs server started with
// the X-Accel-Redirect option: Bindery resolves, nginx sends the file (validators, ranges,
// gzip_static), and Bindery's redirects, 404s and headers come through unchanged.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { precompressDirectory } from '../../src/builder/steps/precompress.ts';
import { docsFixture, type DocsFixture } from '../helpers/docs-fixture.ts';
import { startNginx, type RunningNginx } from '../helpers/nginx.ts';
import { request } from '../helpers/raw-http.ts';

let f: DocsFixture;
let nginx: RunningNginx;
let buildId: number;
const big = `<!doctype html><title>Big</title>\n${'<p>Sent by nginx with sendfile.</p>\n'.repeat(300)}`;

before(async () => {
  f = await docsFixture({ accelRedirect: '/_internal/' });
  const guide = await f.project('guide');
  const latest = await f.version(guide, 'latest');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-out-'));
  const files: Record<string, string> = {
    'index.html': '<p>guide home</p>\n', 'big.html': big, 'a b é.html': '<p>spaced</p>\n', '404.html': '<p>guide 404 page</p>\n',
    'setup/index.html': '<p>setup</p>\n', 'data.json': '{"ok":true}\n',
  };
  for (const [name, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), body);
  }
  await precompressDirectory(dir);
  const stored: Record<string, Buffer> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) stored[path.relative(dir, path.join(entry.parentPath, entry.name))] = fs.readFileSync(path.join(entry.parentPath, entry.name));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  buildId = await f.deploy(guide, latest, stored, { pdf: '%PDF-1.7 bytes' });
  await f.redirect(guide, { type: 'page', fromUrl: '/old.html', toUrl: '/big.html' });
  await f.domain(guide, 'docs.example.com', true);
  fs.writeFileSync(path.join(f.storage.root, 'secret.txt'), 'top secret\n');
  await f.listen();
  nginx = await startNginx({ docsPort: f.port, storageRoot: f.storage.root });
});
after(async () => {
  await nginx?.stop();
  await f?.close();
});

const via = (p: string, headers: Record<string, string> = {}, method = 'GET', host = 'guide.docs.localhost') =>
  request(nginx.port, { host, path: p, headers, method });

test('a sample of the rules through nginx', async () => {
  const rows: Array<{ path: string; host?: string; status: number; location?: string; body?: RegExp }> = [
    { path: '/', status: 302, location: '/en/latest/' },
    { path: '/?a=1', status: 302, location: '/en/latest/?a=1' },
    { path: '/en/latest', status: 302, location: '/en/latest/' },
    { path: '/en/latest/setup', status: 302, location: '/en/latest/setup/' },
    { path: '/en/latest/', status: 200, body: /guide home/ },
    { path: '/en/latest/setup/', status: 200, body: /setup/ },
    { path: '/en/latest/a%20b%20%C3%A9.html', status: 200, body: /spaced/ },
    { path: '/en/latest/old.html', status: 302, location: '/en/latest/big.html' },
    { path: '/en/latest/missing.html', status: 404, body: /guide 404 page/ },
    { path: '/en/nope/', status: 404, body: /guide 404 page/ },
    { path: '/en/latest/%2e%2e/%2e%2e/%2e%2e/%2e%2e/secret.txt', status: 400 },
    { path: '/en/latest/..%2f..%2f..%2f..%2fsecret.txt', status: 400 },
    { path: `/_internal/guide/latest/${0}/html/index.html`, status: 404 },
    { path: '/_/health_check/', status: 200, body: /"status": ?200/ },
    { path: '/en/latest/', host: 'docs.example.com', status: 200, body: /guide home/ },
    { path: '/en/latest/', host: 'nobody.docs.localhost', status: 404 },
  ];
  for (const row of rows) {
    const res = await via(row.path, {}, 'GET', row.host);
    assert.equal(res.status, row.status, `${row.path}: ${res.status} ${res.body.slice(0, 100)}`);
    if (row.location) assert.equal(res.headers.location, row.location, row.path);
    if (row.body) assert.match(res.body, row.body, row.path);
    assert.doesNotMatch(res.body, /top secret/, row.path);
    assert.equal(res.headers['x-accel-redirect'], undefined, 'the internal path never reaches the reader');
  }
  const internal = await via(`/_internal/guide/latest/${buildId}/html/index.html`);
  assert.equal(internal.status, 404, 'the storage location is internal only');
});

test('files come from nginx with Bindery headers kept', async () => {
  const res = await via('/en/latest/big.html');
  assert.equal(res.status, 200);
  assert.equal(res.body, big);
  assert.match(String(res.headers.server), /nginx/);
  assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(res.headers['cache-control'], 'public, max-age=60');
  assert.equal(res.headers['cache-tag'], 'guide,guide:latest');
  assert.equal(res.headers['x-bindery-project'], 'guide');
  assert.equal(res.headers['x-bindery-version'], 'latest');
  assert.equal(res.headers['access-control-allow-origin'], '*');
  // nginx's own validator (`"<mtime hex>-<size hex>"`), not Bindery's: nginx sent the bytes.
  assert.match(res.headers.etag ?? '', /^"[0-9a-f]+-[0-9a-f]+"$/);
  assert.ok(res.headers['last-modified']);
  const json = await via('/en/latest/data.json');
  assert.match(json.headers['content-type'] ?? '', /^application\/json/);
});

test('nginx answers validators, ranges and pre-compressed files itself', async () => {
  const first = await via('/en/latest/big.html');
  const cached = await via('/en/latest/big.html', { 'if-none-match': first.headers.etag! });
  assert.equal(cached.status, 304);
  const range = await via('/en/latest/big.html', { range: 'bytes=0-14' });
  assert.equal(range.status, 206);
  assert.equal(range.body, big.slice(0, 15));
  const gz = await via('/en/latest/big.html', { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.match(gz.headers.vary ?? '', /Accept-Encoding/);
  assert.equal(zlib.gunzipSync(gz.raw).toString(), big);
  const head = await via('/en/latest/big.html', {}, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(Number(head.headers['content-length']), Buffer.byteLength(big));
  assert.equal(head.body, '');
});

test('downloads and methods', async () => {
  const pdf = await via('/_/downloads/en/latest/pdf/');
  assert.equal(pdf.status, 200);
  assert.equal(pdf.body, '%PDF-1.7 bytes');
  assert.equal(pdf.headers['content-disposition'], 'filename=guide-docs-localhost-en-latest.pdf', 'as Read the Docs names downloads: <host>-<lang>-<version>.<ext>');
  assert.match(pdf.headers['content-type'] ?? '', /^application\/pdf/);
  const post = await via('/en/latest/', { 'content-type': 'text/plain' }, 'POST');
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'GET, HEAD, OPTIONS', 'OPTIONS too: docs answer CORS preflights as Read the Docs does');
});
