// The resolution cache: entries expire after the TTL, the oldest go first past the bound,
// invalidate() empties every cache, concurrent misses share one load, and a load that
// started before an invalidate() does not bring back what it dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invalidate, TtlCache } from '../../../src/docs/cache.ts';

test('entries live for the TTL', () => {
  const cache = new TtlCache<string>(1000, 10);
  cache.set('a', 'A', 0);
  assert.equal(cache.get('a', 999), 'A');
  assert.equal(cache.get('a', 1000), undefined);
  assert.equal(cache.size, 0, 'an expired entry is dropped when seen');
});

test('bounded: past the limit the oldest entry goes', () => {
  const cache = new TtlCache<number>(60_000, 3);
  for (const [i, k] of ['a', 'b', 'c', 'd'].entries()) cache.set(k, i);
  assert.equal(cache.size, 3);
  assert.equal(cache.get('a'), undefined);
  assert.equal(cache.get('d'), 3);
  cache.set('b', 10); // re-set: now the newest
  cache.set('e', 4);
  assert.equal(cache.get('c'), undefined);
  assert.equal(cache.get('b'), 10);
});

test('a TTL of 0 caches nothing', async () => {
  const cache = new TtlCache<number>(0, 10);
  let loads = 0;
  await cache.through('k', async () => ++loads);
  const second = await cache.through('k', async () => ++loads);
  assert.deepEqual(second, { value: 2, fresh: true });
});

test('invalidate() empties every live cache; a disposed one is no longer tracked', () => {
  const one = new TtlCache<number>(60_000, 10);
  const two = new TtlCache<number>(60_000, 10);
  one.set('a', 1);
  two.set('b', 2);
  invalidate();
  assert.equal(one.get('a'), undefined);
  assert.equal(two.get('b'), undefined);
  two.dispose();
  two.set('b', 2);
  invalidate();
  assert.equal(two.get('b'), 2);
});

test('through(): a hit is not fresh; concurrent misses share one load; failures are not cached', async () => {
  const cache = new TtlCache<number>(60_000, 10);
  let loads = 0;
  const load = async () => {
    loads++;
    await new Promise((r) => setTimeout(r, 10));
    return 42;
  };
  const results = await Promise.all([cache.through('k', load), cache.through('k', load), cache.through('k', load)]);
  assert.equal(loads, 1);
  assert.deepEqual(results.map((r) => r.value), [42, 42, 42]);
  assert.deepEqual(await cache.through('k', load), { value: 42, fresh: false });
  await assert.rejects(cache.through('bad', async () => { throw new Error('db down'); }), /db down/);
  assert.deepEqual(await cache.through('bad', async () => 7), { value: 7, fresh: true });
});

test('a load that began before invalidate() is not cached', async () => {
  const cache = new TtlCache<string>(60_000, 10);
  let release!: () => void;
  const pending = cache.through('k', () => new Promise<string>((r) => { release = () => r('stale'); }));
  invalidate();
  release();
  assert.equal((await pending).value, 'stale', 'the caller still gets its answer');
  assert.equal(cache.get('k'), undefined, 'but it is not kept');
});
