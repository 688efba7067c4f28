// The S3 backend when the service fails mid-upload (a real proxy in front of s3rver cuts
// connections or answers 500): transient failures are retried to a complete, correct upload;
// persistent ones make putDirectory reject, and only once nothing it started is still writing.
//
// Why rejecting is enough: a build becomes live only when the database pointer moves to it,
// which the builder does after putDirectory resolved. Storage may hold an incomplete build's
// files after a failure (they are never served and are collected with the failed build).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buffer } from 'node:stream/consumers';
import { S3Storage } from '../../../src/storage/s3.ts';
import { startS3Server, type S3Server } from '../../helpers/s3-server.ts';
import { isPartUpload, startFaultyProxy, type Fault, type FaultyProxy } from './faulty-proxy.ts';

const MB = 1024 * 1024;
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

let server: S3Server;
let local: string;
const big = randomBytes(20 * MB); // three 8 MB parts
const small = Array.from({ length: 10 }, (_, i) => `pages/p${i}.html`);
const open: Array<{ storage: S3Storage; proxy: FaultyProxy }> = [];

before(async () => {
  server = await startS3Server();
  local = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-s3-fail-'));
  fs.mkdirSync(path.join(local, 'pages'));
  fs.writeFileSync(path.join(local, 'big.bin'), big);
  for (const rel of small) fs.writeFileSync(path.join(local, rel), `<p>${rel}</p>`);
});
after(async () => {
  for (const { storage, proxy } of open) {
    storage.destroy();
    await proxy.close();
  }
  await server?.stop();
  fs.rmSync(local, { recursive: true, force: true });
});

/** An S3Storage that reaches s3rver through a proxy breaking the requests `decide` picks. */
async function throughProxy(prefix: string, decide: (req: { method: string; url: string }) => Fault, maxAttempts?: number) {
  const proxy = await startFaultyProxy(server.endpoint, decide);
  const storage = new S3Storage({ ...server.options(prefix), endpoint: proxy.endpoint, ...(maxAttempts ? { maxAttempts } : {}) });
  open.push({ storage, proxy });
  return { storage, proxy };
}

const expectedKeys = (prefix: string) => ['big.bin', ...small].map((rel) => `${prefix}/${rel}`).sort();

test('transient failures (cut connections, 500s) are retried and the upload completes intact', async () => {
  const firstTry = new Set<string>();
  let n = 0;
  const { storage, proxy } = await throughProxy('flaky', (req) => {
    // The first attempt of every part upload and of one small file fails; retries go through.
    const target = isPartUpload(req) || (req.method === 'PUT' && req.url.includes('p3.html'));
    if (!target || firstTry.has(req.url)) return null;
    firstTry.add(req.url);
    return n++ % 2 === 0 ? 'reset' : '500';
  });
  const keys = await storage.putDirectory(local, 'p/v/1/html');
  assert.deepEqual([...keys].sort(), expectedKeys('p/v/1/html'));
  const faulted = proxy.seen.filter((r) => r.fault);
  assert.ok(faulted.filter((r) => isPartUpload(r)).length >= 3, 'every part failed once');
  assert.ok(faulted.some((r) => r.fault === 'reset') && faulted.some((r) => r.fault === '500'), 'both kinds of failure happened');
  for (const r of faulted) assert.ok(proxy.seen.some((s) => s.url === r.url && !s.fault), `retried: ${r.method} ${r.url}`);
  assert.deepEqual(await storage.list('p/v/1/html'), expectedKeys('p/v/1/html'));
  const got = await storage.get('p/v/1/html/big.bin');
  assert.ok(got);
  assert.equal(got.size, big.length);
  assert.equal(sha256(await buffer(got.body)), sha256(big));
  for (const rel of small) {
    const file = await storage.get(`p/v/1/html/${rel}`);
    assert.equal((await buffer(file!.body)).toString(), `<p>${rel}</p>`);
  }
});

for (const fault of ['500', 'reset'] as const) {
  test(`a persistent failure (${fault} on every try of one part) rejects putDirectory, after every upload it started settled`, async () => {
    const prefix = `broken-${fault}`;
    const { storage, proxy } = await throughProxy(
      prefix,
      // Part 2 of the big file never goes through; one small page is slow, so it is still in
      // flight when the big file gives up: putDirectory must wait for it before rejecting.
      (req) => (isPartUpload(req) && /[?&]partNumber=2(&|$)/.test(req.url) ? fault : req.method === 'PUT' && req.url.includes('p9.html') ? { delayMs: 2500 } : null),
      3,
    );
    const started = Date.now();
    await assert.rejects(storage.putDirectory(local, 'p/v/2/html'), (err: Error) => {
      assert.match(err.message, /^uploading .* to s3:\/\/bindery-test\/broken-\w+\/p\/v\/2\/html\/ failed, so the upload is incomplete: p\/v\/2\/html\/big\.bin: /);
      assert.match(err.message, fault === '500' ? /InternalError.*after 3 attempts/ : /ECONNRESET|socket hang up|EPIPE/);
      return true;
    });
    assert.ok(Date.now() - started >= 2400, 'it waited for the slow upload it had started');
    assert.equal(proxy.seen.filter((r) => r.fault === fault).length, 3, 'the failing part was tried maxAttempts times');
    // The multipart upload was aborted, so the big file is not an object, not even a partial one.
    assert.ok(proxy.seen.some((r) => r.method === 'DELETE' && /[?&]uploadId=/.test(r.url)), 'AbortMultipartUpload was sent');
    const listed = await storage.list('p/v/2/html');
    assert.ok(!listed.includes('p/v/2/html/big.bin'));
    assert.ok(listed.length < expectedKeys('p/v/2/html').length, 'storage shows an incomplete set');
    assert.ok(listed.every((k) => expectedKeys('p/v/2/html').includes(k)));
    // Nothing that putDirectory started is still writing after it rejected.
    await sleep(500);
    assert.deepEqual(await storage.list('p/v/2/html'), listed);
  });
}
