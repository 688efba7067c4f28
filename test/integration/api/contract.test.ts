// What every API v3 endpoint shares, as Read the Docs (Django REST framework) answers it:
// bodies in JSON, form and multipart encodings (an empty one is `{}`), authentication before
// the body is read, query strings that never 400 on a boolean or a page size, 405 with Allow
// for a method a path does not take, the root, and DRF's words for refusals.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, importProject, type ApiClient } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { assertRtdShape, rtdFixture } from '../../helpers/rtd-shape.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
let repo: GitRepo;
let client: ApiClient;
let slug: string;

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' }, tags: { 'v1.0': { 'docs/index.md': '# One\n' } } });
  client = apiClient(app);
  slug = await importProject(client, 'Contract', repo.url);
});
after(async () => {
  await app.close();
  repo.remove();
});

const inject = (method: string, url: string, headers: Record<string, string>, payload?: string) =>
  app.web.inject({ method: method as 'POST', url, headers, ...(payload === undefined ? {} : { payload }) });

test('an empty JSON body is {}: the fields it lacks are named, as DRF answers', async () => {
  const res = await inject('POST', '/api/v3/projects/', { ...app.auth, 'content-type': 'application/json' }, '');
  assert.equal(res.statusCode, 400, res.body);
  assert.ok(res.json().name, res.body);
  // No body and no content type at all reads the same.
  const bare = await inject('POST', '/api/v3/projects/', app.auth);
  assert.equal(bare.statusCode, 400, bare.body);
  assert.ok(bare.json().name, bare.body);
});

test('form and multipart bodies: dotted fields nest, booleans take DRF words, "false" is false', async () => {
  const form = await client.form('PATCH', `/api/v3/projects/${slug}/`, { name: 'Contract Form', 'repository.url': repo.url, external_builds_enabled: 'True' });
  assert.ok(form.statusCode < 300, form.body);
  let detail = (await client.get(`/api/v3/projects/${slug}/`)).json();
  assert.equal(detail.name, 'Contract Form');
  assert.equal(detail.external_builds_enabled, true);

  const off = await client.form('PATCH', `/api/v3/projects/${slug}/`, { external_builds_enabled: 'false' });
  assert.ok(off.statusCode < 300, off.body);
  assert.equal((await client.get(`/api/v3/projects/${slug}/`)).json().external_builds_enabled, false);

  const mp = await client.multipart('PATCH', `/api/v3/projects/${slug}/`, { name: 'Contract Multipart', external_builds_enabled: 'on' });
  assert.ok(mp.statusCode < 300, mp.body);
  detail = (await client.get(`/api/v3/projects/${slug}/`)).json();
  assert.equal(detail.name, 'Contract Multipart');
  assert.equal(detail.external_builds_enabled, true);

  // An import as `curl -d` sends it: the nested repository from its dotted field.
  const imported = await client.form('POST', '/api/v3/projects/', { name: 'Form Import', 'repository.url': repo.url, 'repository.type': 'git' });
  assert.equal(imported.statusCode, 201, imported.body);
  assert.equal(imported.json().repository.url, repo.url);
  // A NUL is refused in every encoding, multipart included.
  const nul = await client.multipart('PATCH', `/api/v3/projects/${slug}/`, { name: 'bad\u0000name' });
  assert.equal(nul.statusCode, 400, nul.body);
  assert.ok(nul.json().name, nul.body);
  // JSON takes the same words for booleans.
  const json = await client.patch(`/api/v3/projects/${slug}/`, { external_builds_enabled: 'False' });
  assert.ok(json.statusCode < 300, json.body);
  assert.equal((await client.get(`/api/v3/projects/${slug}/`)).json().external_builds_enabled, false);
  // A field the endpoint does not know is ignored, as a DRF serializer ignores it.
  const extra = await client.patch(`/api/v3/projects/${slug}/`, { external_builds_enabled: false, bogus: 1, repository: { url: repo.url, bogus: 2 } });
  assert.ok(extra.statusCode < 300, extra.body);
  // A word DRF does not know is still refused, naming the field.
  const bad = await client.patch(`/api/v3/projects/${slug}/`, { external_builds_enabled: 'maybe' });
  assert.equal(bad.statusCode, 400, bad.body);
  assert.ok(bad.json().external_builds_enabled, bad.body);
});

test('authentication comes first: no token → 401 even with a bad body; a bad token → 401 on reads too', async () => {
  const anon = await inject('POST', '/api/v3/projects/', { 'content-type': 'application/json' }, '{"name": 5');
  assert.equal(anon.statusCode, 401, anon.body);
  assert.deepEqual(anon.json(), { detail: 'Authentication credentials were not provided.' });
  const invalid = await inject('PATCH', `/api/v3/projects/${slug}/`, { authorization: 'Token not-a-real-token', 'content-type': 'application/json' }, '{"name": []}');
  assert.equal(invalid.statusCode, 401, invalid.body);
  assert.deepEqual(invalid.json(), { detail: 'Invalid token.' });
  const read = await inject('GET', `/api/v3/projects/${slug}/`, { authorization: 'Token not-a-real-token' });
  assert.equal(read.statusCode, 401, read.body);
  assert.deepEqual(read.json(), { detail: 'Invalid token.' });
  const empty = await inject('GET', '/api/v3/projects/', { authorization: 'Token' });
  assert.equal(empty.statusCode, 401, empty.body);
});

test('a refusal to an anonymous reader asks for credentials (401), one to a user forbids (403), as DRF', async () => {
  const other = await app.newUser('contract-other');
  const forbidden = await inject('PATCH', `/api/v3/projects/${slug}/`, { ...other.auth, 'content-type': 'application/json' }, '{"name": "Taken"}');
  assert.equal(forbidden.statusCode, 403, forbidden.body);
  assert.deepEqual(forbidden.json(), { detail: 'You do not have permission to perform this action.' });
  const secrets = await inject('GET', `/api/v3/projects/${slug}/environmentvariables/`, {});
  assert.equal(secrets.statusCode, 401, secrets.body);
  assert.deepEqual(secrets.json(), { detail: 'Authentication credentials were not provided.' });
  assert.equal(secrets.headers['www-authenticate'], 'Token');
});

test('schema refusals in the words of DRF\'s fields', async () => {
  const list = await inject('PATCH', `/api/v3/projects/${slug}/`, { ...app.auth, 'content-type': 'application/json' }, '[1]');
  assert.equal(list.statusCode, 400, list.body);
  assert.deepEqual(list.json(), { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] });
  const wrong = await client.patch(`/api/v3/projects/${slug}/`, { external_builds_enabled: [] });
  assert.deepEqual(wrong.json(), { external_builds_enabled: ['Must be a valid boolean.'] });
  const choice = await client.patch(`/api/v3/projects/${slug}/`, { documentation_type: 'scrolls' });
  assert.deepEqual(choice.json(), { documentation_type: ['"scrolls" is not a valid choice.'] });
});

test('malformed JSON and unsupported media types in DRF words', async () => {
  const broken = await inject('POST', '/api/v3/projects/', { ...app.auth, 'content-type': 'application/json' }, '{"name": ');
  assert.equal(broken.statusCode, 400, broken.body);
  assert.match(broken.json().detail, /^JSON parse error - /);
  const text = await inject('POST', '/api/v3/projects/', { ...app.auth, 'content-type': 'text/plain' }, 'name=x');
  assert.equal(text.statusCode, 415, text.body);
  assert.deepEqual(text.json(), { detail: 'Unsupported media type "text/plain" in request.' });
});

test('query strings: booleans in any case, bad ones unapplied, pagination as LimitOffsetPagination, unknown ignored', async () => {
  for (const q of ['active=True', 'active=FALSE', 'active=1', 'active=maybe', 'limit=0', 'limit=abc', 'limit=-4', 'offset=x', 'surprise=1', 'limit=2&limit=3']) {
    const res = await client.get(`/api/v3/projects/${slug}/versions/?${q}`);
    assert.equal(res.statusCode, 200, `${q}: ${res.body}`);
  }
  const all = (await client.get(`/api/v3/projects/${slug}/versions/`)).json();
  const unapplied = (await client.get(`/api/v3/projects/${slug}/versions/?active=maybe`)).json();
  assert.equal(unapplied.count, all.count, 'an unknown boolean value does not filter');
  const inactive = (await client.get(`/api/v3/projects/${slug}/versions/?active=False`)).json();
  assert.ok(inactive.results.every((v: { active: boolean }) => v.active === false), JSON.stringify(inactive.results));
  const active = (await client.get(`/api/v3/projects/${slug}/versions/?active=TRUE`)).json();
  assert.ok(active.results.length > 0 && active.results.every((v: { active: boolean }) => v.active), JSON.stringify(active.results));
  assert.equal(active.count + inactive.count, all.count);

  const one = (await client.get(`/api/v3/projects/${slug}/versions/?limit=1&type=tag&surprise=1`)).json();
  assert.equal(one.results.length, 1);
  const base = `${app.publicUrl}/api/v3/projects/${slug}/versions/`;
  const second = (await client.get(`/api/v3/projects/${slug}/versions/?limit=1&offset=1`)).json();
  assert.equal(second.previous, `${base}?limit=1`, 'back to the first page: no offset, as DRF');
  const zero = (await client.get(`/api/v3/projects/${slug}/versions/?limit=0`)).json();
  assert.equal(zero.results.length, Math.min(10, all.count), 'limit=0 is the default page size');
  const last = (await client.get(`/api/v3/projects/${slug}/versions/?limit=2&limit=1`)).json();
  assert.equal(last.results.length, 1, 'a repeated parameter keeps its last value');
});

test('a method a path does not take: 405 with Allow; OPTIONS lists the methods', async () => {
  const put = await client.put('/api/v3/projects/', { name: 'x' });
  assert.equal(put.statusCode, 405, put.body);
  assert.deepEqual(put.json(), { detail: 'Method "PUT" not allowed.' });
  assert.equal(put.headers.allow, 'GET, POST, HEAD, OPTIONS');
  const del = await client.delete(`/api/v3/projects/${slug}/versions/`);
  assert.equal(del.statusCode, 405, del.body);
  assert.deepEqual(del.json(), { detail: 'Method "DELETE" not allowed.' });
  const head = await client.call('HEAD' as 'GET', `/api/v3/projects/${slug}/sync-versions/`);
  assert.equal(head.statusCode, 405);
  assert.equal(head.headers.allow, 'POST, OPTIONS');
  const options = await client.call('OPTIONS' as 'GET', `/api/v3/projects/${slug}/`);
  assert.equal(options.statusCode, 200, options.body);
  assert.match(String(options.headers.allow), /GET.*PATCH.*OPTIONS/);
  // Without a token a write is refused for that first, as DRF authenticates before dispatching.
  const anon = await inject('PUT', '/api/v3/projects/', {});
  assert.equal(anon.statusCode, 401, anon.body);
  // An unknown path stays a 404.
  const unknown = await client.put('/api/v3/nothing-here/', {});
  assert.equal(unknown.statusCode, 404, unknown.body);
  assert.deepEqual(unknown.json(), { detail: 'Not found.' });
});

test('GET /api/v3/ lists the top-level collections, to anyone', async () => {
  const res = await inject('GET', '/api/v3/', {});
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { projects: `${app.publicUrl}/api/v3/projects/` });
});

test('?fields= and ?omit= on projects and builds (Read the Docs\' FlexFields serializers), not on versions', async () => {
  const sparse = await client.get(`/api/v3/projects/${slug}/?fields=slug,name`);
  assert.equal(sparse.statusCode, 200, sparse.body);
  assert.deepEqual(sparse.json(), { slug, name: sparse.json().name });
  const omitted = (await client.get(`/api/v3/projects/${slug}/?omit=_links,urls`)).json();
  assert.ok(!('_links' in omitted) && !('urls' in omitted) && omitted.slug === slug, JSON.stringify(omitted));
  const list = (await client.get('/api/v3/projects/?fields=slug')).json();
  assert.ok(list.results.length > 0 && list.results.every((p: object) => Object.keys(p).join() === 'slug'), JSON.stringify(list));
  assert.equal(typeof list.count, 'number', 'the page keeps its own fields');
  const builds = (await client.get(`/api/v3/projects/${slug}/builds/?fields=id,state`)).json();
  assert.ok(builds.results.every((b: object) => Object.keys(b).sort().join() === 'id,state'), JSON.stringify(builds));
  const versions = (await client.get(`/api/v3/projects/${slug}/versions/?fields=slug`)).json();
  assert.ok(versions.results.length > 0 && 'active' in versions.results[0], 'versions ignore fields, as on Read the Docs');
});

test('a project, expanded, has Read the Docs\' shape field by field (the fixture comparer at work)', async () => {
  await client.patch(`/api/v3/projects/${slug}/versions/v1.0/`, { active: true });
  const res = await client.get(`/api/v3/projects/${slug}/?expand=active_versions,permissions`);
  assert.equal(res.statusCode, 200, res.body);
  assertRtdShape(res.json(), rtdFixture('projects-detail'));
});
