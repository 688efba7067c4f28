// API v3 redirects: CRUD in Read the Docs' shape, its validation (each error naming the
// field), ordering by position (insert and move shift the others), and hostile values.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { redirectsOf } from '../../../src/db/serving.ts';
import { apiClient, assertFieldError, importProject, type ApiClient } from '../../helpers/api-client.ts';
import { assertRtdShape, rtdFixture } from '../../helpers/rtd-shape.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
let repo: GitRepo;
let client: ApiClient;
let slug: string;
let base: string;

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' } });
  client = apiClient(app);
  slug = await importProject(client, 'Redirected', repo.url);
  base = `/api/v3/projects/${slug}/redirects/`;
});
after(async () => {
  await app.close();
  repo.remove();
});

const order = async () => (await client.get(`${base}?limit=100`)).json().results.map((r: { description: string; position: number }) => [r.description, r.position]);

test('create, read, list, update (PUT and PATCH), delete — in Read the Docs’ shape', async () => {
  const res = await client.post(base, { type: 'page', from_url: '/old.html', to_url: '/new.html', http_status: 301, description: 'moved' });
  assert.equal(res.statusCode, 201, res.body);
  const created = res.json();
  assert.equal(res.headers.location, `${app.publicUrl}${base}${created.pk}/`);
  assert.ok(Date.parse(created.modified) >= Date.parse(created.created), 'modified is when it last changed');
  assert.deepEqual(
    { ...created, created: undefined, modified: undefined, pk: undefined },
    {
      pk: undefined, created: undefined, modified: undefined, project: slug, type: 'page', from_url: '/old.html', to_url: '/new.html',
      http_status: 301, force: false, enabled: true, position: 0, description: 'moved',
      _links: { _self: `${app.publicUrl}${base}${created.pk}/`, project: `${app.publicUrl}/api/v3/projects/${slug}/` },
    },
  );
  assert.deepEqual((await client.get(`${base}${created.pk}/`)).json(), created);

  const put = await client.put(`${base}${created.pk}/`, { type: 'exact', from_url: '/a/*', to_url: '/b/:splat' });
  assert.equal(put.statusCode, 200, put.body);
  assert.equal(put.json().http_status, 302, 'PUT replaces: fields left out take their defaults');
  assert.equal(put.json().description, '');
  const patched = await client.patch(`${base}${created.pk}/`, { enabled: false, force: true });
  assert.equal(patched.statusCode, 200);
  assert.equal(patched.json().to_url, '/b/:splat', 'PATCH keeps what it does not name');
  assert.equal(patched.json().enabled, false);
  assert.ok(Date.parse(patched.json().modified) >= Date.parse(created.modified), 'a change moves modified on');

  const served = await redirectsOf(app.database.db, (await client.get(`/api/v3/projects/${slug}/`)).json().id);
  assert.equal(served.length, 0, 'a disabled redirect is not served');
  assert.equal((await client.patch(`${base}${created.pk}/`, { enabled: true })).statusCode, 200);
  assert.equal((await redirectsOf(app.database.db, (await client.get(`/api/v3/projects/${slug}/`)).json().id))[0]!.fromUrl, '/a/*', 'the docs server reads it');

  assert.equal((await client.delete(`${base}${created.pk}/`)).statusCode, 204);
  assert.equal((await client.get(`${base}${created.pk}/`)).statusCode, 404);
  assert.equal((await client.delete(`${base}${created.pk}/`)).statusCode, 404);
});

test("validation follows Read the Docs' rules and names the field", async () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ from_url: '/a', to_url: '/b' }, 'type'],
    [{ type: 'prefix', from_url: '/a', to_url: '/b' }, 'type'],
    [{ type: 'page', to_url: '/b' }, 'from_url'],
    [{ type: 'page', from_url: '/a' }, 'to_url'],
    [{ type: 'exact', from_url: 'no-slash', to_url: '/b' }, 'from_url'],
    [{ type: 'exact', from_url: '/a/*/b', to_url: '/b' }, 'from_url'],
    [{ type: 'exact', from_url: '/a', to_url: '/b/:splat' }, 'to_url'],
    [{ type: 'page', from_url: '/a', to_url: '//evil.example/' }, 'to_url'],
    [{ type: 'page', from_url: '/a', to_url: '/\\evil.example/' }, 'to_url'],
    [{ type: 'page', from_url: '/a', to_url: 'javascript:alert(1)' }, 'to_url'],
    [{ type: 'page', from_url: '/a', to_url: 'ftp://example.com/' }, 'to_url'],
    [{ type: 'page', from_url: '/a', to_url: 'https://user:pw@example.com/' }, 'to_url'],
    [{ type: 'page', from_url: '/a', to_url: 'relative.html' }, 'to_url'],
    [{ type: 'page', from_url: '/a\r\nSet-Cookie: x=1', to_url: '/b' }, 'from_url'],
    [{ type: 'page', from_url: '/a', to_url: '/b', http_status: 307 }, 'http_status'],
    [{ type: 'page', from_url: '/a', to_url: '/b', position: -1 }, 'position'],
    [{ type: 'page', from_url: '/a', to_url: '/b', description: 'x'.repeat(256) }, 'description'],
  ];
  for (const [payload, field] of cases) assertFieldError(await client.post(base, payload), field, JSON.stringify(payload));
  const absolute = await client.post(base, { type: 'exact', from_url: '/docs/*', to_url: 'https://docs.example.com/:splat', description: 'abs' });
  assert.equal(absolute.statusCode, 201, absolute.body);
  const clean = await client.post(base, { type: 'clean_url_to_html', from_url: '/ignored', description: 'clean' });
  assert.equal(clean.statusCode, 201);
  assert.equal(clean.json().from_url, '', 'clean-URL redirects have no from/to URLs');
  assert.equal((await client.get(`${base}${clean.json().pk}/`)).json().from_url, null, 'reads answer an empty URL as null, as Read the Docs does');
  const again = await client.post(base, { type: 'clean_url_to_html' });
  assertFieldError(again, 'type', 'a second clean_url_to_html');
  assert.deepEqual(again.json(), { type: ['Only one redirect of type `clean_url_to_html` is allowed per project.'] });
  assertFieldError(await client.patch(`${base}${absolute.json().pk}/`, { to_url: '//evil.example' }), 'to_url', 'PATCH validates the result');
  for (const r of (await client.get(base)).json().results) await client.delete(`${base}${r.pk}/`);
});

test('positions: new ones go first by default, a position inserts there, moving and deleting shift the others', async () => {
  for (const d of ['c', 'b', 'a']) assert.equal((await client.post(base, { type: 'page', from_url: `/${d}`, to_url: '/x', description: d })).statusCode, 201);
  assert.deepEqual(await order(), [['a', 0], ['b', 1], ['c', 2]]);
  const d = (await client.post(base, { type: 'page', from_url: '/d', to_url: '/x', description: 'd', position: 1 })).json();
  assert.deepEqual(await order(), [['a', 0], ['d', 1], ['b', 2], ['c', 3]]);
  await client.post(base, { type: 'page', from_url: '/e', to_url: '/x', description: 'e', position: 999 });
  assert.deepEqual(await order(), [['a', 0], ['d', 1], ['b', 2], ['c', 3], ['e', 4]], 'past the end → last');
  assert.equal((await client.patch(`${base}${d.pk}/`, { position: 3 })).json().position, 3);
  assert.deepEqual(await order(), [['a', 0], ['b', 1], ['c', 2], ['d', 3], ['e', 4]]);
  await client.patch(`${base}${d.pk}/`, { position: 0 });
  assert.deepEqual(await order(), [['d', 0], ['a', 1], ['b', 2], ['c', 3], ['e', 4]]);
  await client.delete(`${base}${d.pk}/`);
  assert.deepEqual(await order(), [['a', 0], ['b', 1], ['c', 2], ['e', 3]]);
  const page = (await client.get(`${base}?limit=2&offset=2`)).json();
  assert.deepEqual(page.results.map((r: { description: string }) => r.description), ['c', 'e']);
  assert.equal(page.count, 4);
  assert.equal(page.next, null);
});

test('hostile values are stored verbatim and returned escaped; huge bodies → 413; anonymous → 401, another user → 403', async () => {
  const values = ['<img src=x onerror=alert(1)>', "'; DELETE FROM redirects; --", 'Страница 📄 ‮gnp.exe'];
  for (const value of values) {
    const res = await client.post(base, { type: 'exact', from_url: `/${value}`, to_url: '/x', description: value });
    assert.equal(res.statusCode, 201, res.body);
    assert.ok(!res.body.includes('<img'), 'no raw markup in the JSON text');
    const back = (await client.get(`${base}${res.json().pk}/`)).json();
    assert.equal(back.description, value);
    assert.equal(back.from_url, `/${value}`);
  }
  const huge = await client.post(base, { type: 'page', from_url: '/a', to_url: '/b', description: 'x'.repeat(1_100_000) });
  assert.equal(huge.statusCode, 413);
  const any = (await client.get(base)).json().results[0];
  const bob = apiClient(app, (await app.newUser('bob-redirects')).auth);
  // Read the Docs: redirects are for the project's maintainers, reads included.
  assert.equal((await apiClient(app, {}).get(base)).statusCode, 401);
  assert.equal((await bob.get(base)).statusCode, 403);
  assert.equal((await bob.get(`${base}${any.pk}/`)).statusCode, 403);
  assert.equal((await bob.put(`${base}${any.pk}/`, { type: 'page', from_url: '/a', to_url: '/b' })).statusCode, 403);
  assert.equal((await bob.delete(`${base}${any.pk}/`)).statusCode, 403);
  assert.equal((await client.get(`${base}${any.pk}/`)).statusCode, 200);
  // A redirect of another project is not reachable through this one.
  const other = await importProject(client, 'Other redirects', repo.url);
  assert.equal((await client.get(`/api/v3/projects/${other}/redirects/${any.pk}/`)).statusCode, 404);
});

test("answers have Read the Docs' shape (list, detail, POST, PUT)", async () => {
  const posted = await client.post(base, { type: 'page', from_url: '/install.html', to_url: '/getting-started/install.html', http_status: 301, description: 'old install page' });
  assertRtdShape(posted.json(), rtdFixture('projects-redirects-list_POST'));
  const pk = posted.json().pk;
  assertRtdShape((await client.get(`${base}${pk}/`)).json(), rtdFixture('projects-redirects-detail'));
  assertRtdShape((await client.get(base)).json(), rtdFixture('projects-redirects-list'));
  const put = await client.put(`${base}${pk}/`, { type: 'exact', from_url: '/changed/*', to_url: '/moved/:splat' });
  assertRtdShape(put.json(), rtdFixture('projects-redirects-detail_PUT'));
  const clean = (await client.post(base, { type: 'html_to_clean_url' })).json();
  assertRtdShape((await client.get(`${base}${clean.pk}/`)).json(), rtdFixture('projects-redirects-detail'));
});
