// The docs server's resolution cache end to end: within the TTL a deploy (or a new project)
// is not seen, invalidate() makes it seen at once, and with a short TTL it is seen soon.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { invalidate } from '../../../src/docs/cache.ts';
import { docsFixture, type DocsFixture } from '../../helpers/docs-fixture.ts';
import { get } from '../../helpers/http.ts';

let cached: DocsFixture;

before(async () => {
  cached = await docsFixture({ cacheTtlMs: 60_000 });
  await cached.listen();
});
after(() => cached.close());

test('a deploy shows after invalidate(), not before', async () => {
  const p = await cached.project('guide');
  const v = await cached.version(p, 'latest');
  await cached.deploy(p, v, { 'index.html': 'first' });
  assert.equal((await get(cached.port, 'guide.docs.localhost', '/en/latest/')).body, 'first');
  await cached.deploy(p, v, { 'index.html': 'second' });
  assert.equal((await get(cached.port, 'guide.docs.localhost', '/en/latest/')).body, 'first', 'cached within the TTL');
  invalidate();
  assert.equal((await get(cached.port, 'guide.docs.localhost', '/en/latest/')).body, 'second');
});

test('an unknown host is remembered as unknown until invalidate()', async () => {
  assert.equal((await get(cached.port, 'late.docs.localhost', '/en/latest/')).status, 404);
  const p = await cached.project('late');
  await cached.deploy(p, await cached.version(p, 'latest'), { 'index.html': 'late' });
  assert.equal((await get(cached.port, 'late.docs.localhost', '/en/latest/')).status, 404);
  invalidate();
  assert.equal((await get(cached.port, 'late.docs.localhost', '/en/latest/')).body, 'late');
});

test('with a short TTL a deploy shows by itself', async () => {
  const f = await docsFixture({ cacheTtlMs: 50 });
  try {
    await f.listen();
    const p = await f.project('quick');
    const v = await f.version(p, 'latest');
    await f.deploy(p, v, { 'index.html': 'one' });
    assert.equal((await get(f.port, 'quick.docs.localhost', '/en/latest/')).body, 'one');
    await f.deploy(p, v, { 'index.html': 'two' });
    await new Promise((r) => setTimeout(r, 80));
    assert.equal((await get(f.port, 'quick.docs.localhost', '/en/latest/')).body, 'two');
  } finally {
    await f.close();
  }
});
