// API v3 tokens: created by their user and shown once, stored hashed, listed without the
// secret, expiring, revoked at once; last use recorded; another user's tokens are invisible.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { apiTokens } from '../../../src/db/schema.ts';
import { hashToken } from '../../../src/db/api-tokens.ts';
import { apiClient, assertFieldError, type ApiClient } from '../../helpers/api-client.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
let alice: ApiClient;

before(async () => {
  app = await testApp({ builder: false });
  alice = apiClient(app);
});
after(() => app.close());

const withToken = (token: string) => apiClient(app, { authorization: `Token ${token}` });

test('a created token is shown once, works at once, and is stored only as its hash', async () => {
  const res = await alice.post('/api/v3/tokens/', { name: 'ci <b>deploy</b>' });
  assert.equal(res.statusCode, 201, res.body);
  const created = res.json();
  assert.match(created.token, /^bdy_[A-Za-z0-9_-]{43}$/);
  assert.equal(created.name, 'ci <b>deploy</b>');
  assert.equal(created.prefix, created.token.slice(0, 8));
  assert.equal(created.expires, null);
  assert.equal(res.headers.location, `${app.publicUrl}/api/v3/tokens/${created.id}/`);

  const [row] = await app.database.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
  assert.equal(row!.tokenHash, hashToken(created.token));
  assert.ok(!JSON.stringify(row).includes(created.token), 'the clear token is not stored');

  const list = await alice.get('/api/v3/tokens/');
  assert.equal(list.statusCode, 200);
  assert.ok(!list.body.includes(created.token), 'the list never shows a token');
  assert.ok(list.json().results.some((t: { id: number }) => t.id === created.id));
  const detail = await alice.get(`/api/v3/tokens/${created.id}/`);
  assert.equal(detail.statusCode, 200);
  assert.equal(detail.json().token, undefined);

  const me = await withToken(created.token).get('/api/v3/projects/');
  assert.equal(me.statusCode, 200, 'the new token authenticates as its user');
});

test('last use is recorded, at most once a minute', async () => {
  const { token, id } = (await alice.post('/api/v3/tokens/', { name: 'used' })).json();
  assert.equal((await alice.get(`/api/v3/tokens/${id}/`)).json().last_used, null);
  await withToken(token).get('/api/v3/projects/');
  const first = (await alice.get(`/api/v3/tokens/${id}/`)).json().last_used;
  assert.ok(first && Date.now() - Date.parse(first) < 60_000, `last_used ${first}`);
  await withToken(token).get('/api/v3/projects/');
  assert.equal((await alice.get(`/api/v3/tokens/${id}/`)).json().last_used, first, 'a second use within a minute writes nothing');
});

test('a revoked token stops working at once; revoking twice → 404', async () => {
  const { token, id } = (await alice.post('/api/v3/tokens/', { name: 'short-lived' })).json();
  assert.equal((await withToken(token).get('/api/v3/projects/')).statusCode, 200);
  assert.equal((await alice.delete(`/api/v3/tokens/${id}/`)).statusCode, 204);
  const after = await withToken(token).get('/api/v3/projects/');
  assert.equal(after.statusCode, 401);
  assert.equal(after.json().detail, 'Invalid token.');
  assert.equal((await alice.delete(`/api/v3/tokens/${id}/`)).statusCode, 404);
});

test('expiry: in the past → 400; an expired token → 401; an expiring token cannot mint a longer-lived one', async () => {
  assertFieldError(await alice.post('/api/v3/tokens/', { name: 'x', expires: '2001-01-01T00:00:00Z' }), 'expires', 'past expiry');
  assertFieldError(await alice.post('/api/v3/tokens/', { name: 'x', expires: 'tomorrow' }), 'expires', 'not a date');

  const soon = new Date(Date.now() + 3600_000).toISOString();
  const res = await alice.post('/api/v3/tokens/', { name: 'expiring', expires: soon });
  assert.equal(res.statusCode, 201, res.body);
  const expiring = res.json();
  assert.equal(expiring.expires, soon);
  const limited = withToken(expiring.token);
  assertFieldError(await limited.post('/api/v3/tokens/', { name: 'forever' }), 'expires', 'never-expiring from an expiring token');
  assertFieldError(await limited.post('/api/v3/tokens/', { name: 'later', expires: new Date(Date.now() + 7200_000).toISOString() }), 'expires', 'later expiry');
  assert.equal((await limited.post('/api/v3/tokens/', { name: 'sooner', expires: new Date(Date.now() + 1800_000).toISOString() })).statusCode, 201);

  await app.database.db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, expiring.id));
  assert.equal((await limited.get('/api/v3/projects/')).statusCode, 401, 'expired');
});

test('bad input names the field; another user cannot see or revoke my tokens', async () => {
  assertFieldError(await alice.post('/api/v3/tokens/', {}), 'name', 'no name');
  assertFieldError(await alice.post('/api/v3/tokens/', { name: '' }), 'name', 'empty name');
  assertFieldError(await alice.post('/api/v3/tokens/', { name: 'x'.repeat(101) }), 'name', 'long name');
  assert.equal((await alice.get('/api/v3/tokens/abc/')).statusCode, 400);

  const mine = (await alice.post('/api/v3/tokens/', { name: 'mine' })).json();
  const bob = apiClient(app, (await app.newUser('bob-tokens')).auth);
  assert.equal((await bob.get(`/api/v3/tokens/${mine.id}/`)).statusCode, 404);
  assert.equal((await bob.delete(`/api/v3/tokens/${mine.id}/`)).statusCode, 404);
  const bobs = (await bob.get('/api/v3/tokens/')).json();
  assert.ok(bobs.results.every((t: { id: number }) => t.id !== mine.id));
  assert.equal((await withToken(mine.token).get('/api/v3/projects/')).statusCode, 200, 'still valid after bob tried');
  assert.equal((await app.web.inject({ url: '/api/v3/tokens/' })).statusCode, 401);
});

test('pagination: stable order by id, count, next and previous', async () => {
  const all = (await alice.get('/api/v3/tokens/?limit=100')).json();
  assert.ok(all.count >= 5);
  const ids = all.results.map((t: { id: number }) => t.id);
  assert.deepEqual(ids, [...ids].sort((a: number, b: number) => a - b));
  const first = (await alice.get('/api/v3/tokens/?limit=2')).json();
  assert.deepEqual(first.results.map((t: { id: number }) => t.id), ids.slice(0, 2));
  assert.match(first.next, /\/api\/v3\/tokens\/\?limit=2&offset=2$/);
  const second = (await alice.get('/api/v3/tokens/?limit=2&offset=2')).json();
  assert.deepEqual(second.results.map((t: { id: number }) => t.id), ids.slice(2, 4));
  assert.match(second.previous, /\/api\/v3\/tokens\/\?limit=2$/, "back to the first page: no offset, as DRF links it");
});
