// The in-memory cache of small build files: bounded by bytes, least recently used out
// first, large files never kept, and "known missing" entries that cost a little.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FileCache } from '../../../src/docs/file-cache.ts';

const file = (n: number) => ({ size: n, modified: new Date(0), body: Buffer.alloc(n) });

test('bounded by bytes: the least recently used go first', () => {
  const cache = new FileCache(1000, 500);
  cache.set('a', file(300));
  cache.set('b', file(300));
  cache.get('a'); // a is now the most recent
  cache.set('c', file(300));
  assert.ok(cache.get('a'));
  assert.ok(cache.get('c'));
  cache.set('d', file(300));
  assert.equal(cache.get('b'), undefined, 'b was the least recently used');
  assert.ok(cache.bytes <= 1000);
});

test('files above the per-file limit are never kept; re-setting a key does not double count', () => {
  const cache = new FileCache(10_000, 500);
  cache.set('big', file(501));
  assert.equal(cache.get('big'), undefined);
  cache.set('k', file(100));
  cache.set('k', file(200));
  assert.equal(cache.bytes, 'k'.length + 200);
});

test('known-missing and stat-only entries', () => {
  const cache = new FileCache(10_000, 500);
  cache.set('gone.br', null);
  assert.equal(cache.get('gone.br'), null);
  assert.equal(cache.get('never-seen'), undefined);
  cache.set('exists', { size: 0, modified: new Date(0), body: null });
  assert.deepEqual(cache.get('exists'), { size: 0, modified: new Date(0), body: null });
  cache.clear();
  assert.equal(cache.bytes, 0);
  assert.equal(cache.get('gone.br'), undefined);
});
