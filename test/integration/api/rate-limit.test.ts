// API v3 rate limit: a token bucket per token and one per address for requests without a
// valid token; past it → 429 with Retry-After, and the bucket refills with time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBuckets } from '../../../src/web/rate-limit.ts';
import { apiClient } from '../../helpers/api-client.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;

before(async () => {
  app = await testApp({ builder: false, web: { rateLimit: { perTokenPerMinute: 5, perIpPerMinute: 3 } } });
});
after(() => app.close());

test('a token past its limit gets 429 with Retry-After; another token still passes', async () => {
  const alice = apiClient(app);
  for (let i = 0; i < 5; i++) assert.equal((await alice.get('/api/v3/projects/')).statusCode, 200, `request ${i + 1}`);
  const throttled = await alice.get('/api/v3/projects/');
  assert.equal(throttled.statusCode, 429);
  const wait = Number(throttled.headers['retry-after']);
  assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 12, `Retry-After ${throttled.headers['retry-after']}`);
  assert.match(throttled.json().detail, /throttled/);
  const bob = apiClient(app, (await app.newUser('bob-limits')).auth);
  assert.equal((await bob.get('/api/v3/projects/')).statusCode, 200, "bob's token has its own bucket");
});

test('without a valid token, the address is limited: wrong tokens cannot be guessed faster', async () => {
  // The connection's own address: X-Forwarded-For counts only from a configured proxy.
  const anonymous = { remoteAddress: '203.0.113.7' };
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const headers = i % 2 ? { authorization: `Token bdy_guess${i}` } : {};
    statuses.push((await app.web.inject({ url: '/api/v3/projects/', headers, ...anonymous })).statusCode);
  }
  assert.deepEqual(statuses, [401, 401, 401, 429]);
  const other = await app.web.inject({ url: '/api/v3/openapi.json', remoteAddress: '203.0.113.8' });
  assert.equal(other.statusCode, 200, 'another address has its own bucket');
  const elsewhere = await app.web.inject({ url: '/_/health_check/', ...anonymous });
  assert.equal(elsewhere.statusCode, 200, 'only /api/v3/ is limited here');
});

test('a bucket refills at its rate, up to its size', () => {
  const buckets = new TokenBuckets(10);
  const t0 = 1_000_000;
  for (let i = 0; i < 60; i++) assert.equal(buckets.take('k', 60, t0), 0);
  assert.equal(buckets.take('k', 60, t0), 1, 'empty: one request a second → wait 1 s');
  assert.equal(buckets.take('k', 60, t0 + 1000), 0, 'a second later one request passes');
  assert.equal(buckets.take('k', 60, t0 + 1000), 1);
  for (let i = 0; i < 60; i++) assert.equal(buckets.take('k', 60, t0 + 600_000), 0, 'refilled, but to its size only');
  assert.ok(buckets.take('k', 60, t0 + 600_000) > 0);
  assert.equal(buckets.take('slow', 2, t0), 0);
  assert.equal(buckets.take('slow', 2, t0), 0);
  assert.equal(buckets.take('slow', 2, t0), 30, '2 a minute: the next in 30 s');
});

test('the number of buckets is bounded: the oldest is forgotten', () => {
  const buckets = new TokenBuckets(2);
  assert.equal(buckets.take('a', 1, 0), 0);
  assert.ok(buckets.take('a', 1, 0) > 0);
  buckets.take('b', 1, 0);
  buckets.take('c', 1, 0);
  assert.equal(buckets.take('a', 1, 0), 0, "a's bucket was dropped for c and starts full");
});
