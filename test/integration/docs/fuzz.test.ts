// Throws random and hostile request targets (encoded dots, double slashes, overlong names,
// unicode, NUL, raw bytes) at the docs server over a raw socket and checks that nothing
// outside the live build's html folder is ever served and that nothing answers 5xx.
// Reproduce a failure with FUZZ_SEED=<seed printed in the message>.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { artifactPrefix } from '../../../src/core/build-state.ts';
import { docsFixture, type DocsFixture } from '../../helpers/docs-fixture.ts';
import { rawGet } from '../../helpers/raw-http.ts';

let f: DocsFixture;
const SECRET = /SECRET-[A-Z]+/;
const host = 'guide.docs.localhost';

before(async () => {
  // The cache on, as in production: it must not let a hostile path reach another key.
  f = await docsFixture({ cacheTtlMs: 60_000 });
  const guide = await f.project('guide');
  const latest = await f.version(guide, 'latest');
  await f.deploy(guide, latest, { 'index.html': 'SECRET-OLDBUILD' });
  const live = await f.deploy(guide, latest, {
    'index.html': 'PUBLIC-index', 'a.html': 'PUBLIC-a', 'dir/index.html': 'PUBLIC-dir', '404.html': 'PUBLIC-404',
    'café.html': 'PUBLIC-cafe', 'a b.html': 'PUBLIC-space',
  }, { htmlzip: 'PUBLIC-download' });
  // Other files of the live build, outside its html folder: only the download itself is served.
  await f.storage.put(`${artifactPrefix('guide', 'latest', live, 'htmlzip')}/index.html`, 'SECRET-FORMAT');
  await f.storage.put(`${artifactPrefix('guide', 'latest', live, 'pdf')}/guide.pdf`, 'SECRET-UNLISTED');
  await f.deploy(guide, await f.version(guide, 'private', { privacyLevel: 'private' }), { 'index.html': 'SECRET-PRIVATE' });
  const other = await f.project('other');
  await f.deploy(other, await f.version(other, 'latest'), { 'index.html': 'SECRET-OTHER' });
  fs.writeFileSync(path.join(f.storage.root, 'secret.txt'), 'SECRET-ROOT');
  fs.writeFileSync(path.join(f.storage.root, 'guide', 'latest', 'secret.txt'), 'SECRET-VERSION');
  // A symbolic link that reached a build's folder anyway is never followed.
  fs.symlinkSync(path.join(f.storage.root, 'secret.txt'), f.storage.pathOf(`${artifactPrefix('guide', 'latest', live)}/linked.html`));
  await f.listen();
});
after(() => f.close());

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '..', '.', '%2e%2e', '%2E%2e', '.%2e', '%2e', '%252e%252e', '..%2f', '%2f', '%2F', '%5c', '%5C', '\\', '..\\', '%00', '%00.html',
  '%c0%ae%c0%ae', '%e0%80%ae', '..;', ';', '..%00', '%', '%zz', '%e2%80%ae', '%ef%bc%8e%ef%bc%8e', '~', '*', '%3f', '%23', '%20',
  'secret.txt', 'linked.html', 'index.html', 'a.html', 'dir', 'dir/', 'caf%C3%A9.html', 'café.html', 'a%20b.html', '404.html',
  'en', 'latest', 'private', 'other', 'guide', 'html', 'htmlzip', 'projects', '_', 'downloads', 'robots.txt', 'sitemap.xml',
  'a'.repeat(255), 'b'.repeat(256), 'c'.repeat(5000), '%2e%2e'.repeat(50), '😀', '\u202e', '日本語',
];
const PREFIXES = ['/', '/en/latest/', '/en/', '/en/private/', '/projects/other/', '/_/downloads/en/latest/', '//', '///', '/en//latest/', '/en/latest//', ''];

function target(next: () => number): Buffer {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const parts: Buffer[] = [Buffer.from(pick(PREFIXES))];
  const n = 1 + Math.floor(next() * 6);
  for (let i = 0; i < n; i++) {
    if (next() < 0.1) {
      // Raw bytes, some of them not allowed in a request line at all.
      parts.push(Buffer.from(Array.from({ length: 1 + Math.floor(next() * 8) }, () => Math.floor(next() * 256)).filter((b) => b !== 0x0d && b !== 0x0a && b !== 0x20)));
    } else {
      parts.push(Buffer.from(pick(PIECES)));
    }
    parts.push(Buffer.from(next() < 0.85 ? '/' : pick(['//', '\\', '%2f', '?', '?x=../../', '#', ''])));
  }
  return Buffer.concat(parts);
}

test('random and hostile paths: never a file outside the build, never a 5xx', async () => {
  const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const next = rng(seed);
  const fixed = [
    '/en/latest/linked.html', '/en/latest/../../../secret.txt', '/en/latest/%2e%2e/%2e%2e/secret.txt', '/en/latest/..%2f..%2fsecret.txt',
    '/en/latest/%2e%2e%5c%2e%2e%5csecret.txt', '/en/private/', '/projects/other/en/latest/', '/_/downloads/en/latest/htmlzip/',
    '/en/latest/%00', '/en/latest/' + 'x'.repeat(70_000), '/%2e%2e/%2e%2e/other/latest/1/html/index.html',
  ].map((t) => Buffer.from(t));
  const targets = [...fixed, ...Array.from({ length: 1500 }, () => target(next))];
  const problems: string[] = [];
  for (let i = 0; i < targets.length; i += 8) {
    // A few at a time: concurrency shakes out shared state, without flooding the runner.
    await Promise.all(targets.slice(i, i + 8).map(async (t) => {
      const res = await rawGet(f.port, host, t);
      const shown = JSON.stringify(t.toString('latin1').slice(0, 120));
      // Node's HTTP parser closes the connection on a request line longer than its limit (16 KB).
      const refusedAsTooLong = res.status === 0 && res.error === 'ECONNRESET' && t.length > 16 * 1024;
      if ((res.status === 0 && !refusedAsTooLong) || res.status >= 500) problems.push(`${shown}: status ${res.status} ${res.error ?? ''}`);
      if (SECRET.test(res.text)) problems.push(`${shown}: served ${SECRET.exec(res.text)![0]}`);
      if (res.status === 200 && !/PUBLIC-|"status":"ok"|User-agent|<urlset/.test(res.text)) problems.push(`${shown}: 200 with unknown body ${JSON.stringify(res.text.slice(-80))}`);
    }));
  }
  assert.deepEqual(problems.slice(0, 20), [], `FUZZ_SEED=${seed}`);
  // Still standing, and still serving.
  const ok = await rawGet(f.port, host, '/en/latest/a.html');
  assert.equal(ok.status, 200);
  assert.match(ok.text, /PUBLIC-a/);
});
