// API v3 projects: authentication, validation naming the field, visibility, conflicts,
// settings (PATCH), deletion, expansion, and hostile input.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { builds, versions } from '../../../src/db/schema.ts';
import { apiClient, assertFieldError, fieldMessages, importProject } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
let repo: GitRepo;

before(async () => {
  app = await testApp();
  repo = makeGitRepo({ files: { 'docs/index.md': '# Hello\n' } });
});
after(async () => {
  await app.close();
  repo.remove();
});

const create = (payload: unknown, headers: Record<string, string> = app.auth) =>
  app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers, payload: payload as object });

test('no token → 401 with WWW-Authenticate; a wrong token → 401', async () => {
  const none = await app.web.inject({ url: '/api/v3/projects/' });
  assert.equal(none.statusCode, 401);
  assert.equal(none.headers['www-authenticate'], 'Token');
  assert.match(none.json().detail, /credentials/);
  const wrong = await app.web.inject({ url: '/api/v3/projects/', headers: { authorization: 'Token bdy_not-a-real-token' } });
  assert.equal(wrong.statusCode, 401);
  const malformed = await app.web.inject({ url: '/api/v3/projects/', headers: { authorization: 'Basic abc' } });
  assert.equal(malformed.statusCode, 401);
});

test('bad input → 400 naming the field', async () => {
  const cases: Array<[unknown, string]> = [
    [{ repository: { url: repo.url } }, 'name'],
    [{ name: 'x' }, 'repository'],
    [{ name: 'x', repository: {} }, 'repository.url'],
    [{ name: 'x', repository: { url: 'ext::sh -c touch% /tmp/pwned' } }, 'repository.url'],
    [{ name: 'x', repository: { url: 'http://example.com/repo.git' } }, 'repository.url'],
    [{ name: 'x', repository: { url: repo.url, type: 'hg' } }, 'repository.type'],
    [{ name: '!!!', repository: { url: repo.url } }, 'name'],
    [{ name: 'x', slug: 'Not A Slug', repository: { url: repo.url } }, 'slug'],
    [{ name: 'x', repository: { url: repo.url }, language: '<script>' }, 'language'],
  ];
  for (const [payload, field] of cases) {
    const res = await create(payload);
    assert.equal(res.statusCode, 400, `${JSON.stringify(payload)} → ${res.body}`);
    assert.ok(fieldMessages(res.json(), field), `${JSON.stringify(payload)} names ${field}: ${res.body}`);
  }
  const notJson = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: { ...app.auth, 'content-type': 'application/json' }, payload: '{"name": ' });
  assert.equal(notJson.statusCode, 400);
});

test('local repositories are refused unless allowed', async () => {
  const strict = await testApp({ allowLocalRepositories: false });
  try {
    const res = await strict.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: strict.auth, payload: { name: 'local', repository: { url: repo.url } } });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().repository.url[0], /instance administrators only/);
  } finally {
    await strict.close();
  }
});

test('create, list, detail; a taken slug → 409; another user sees 404', async () => {
  const res = await create({ name: 'My Docs', repository: { url: repo.url, type: 'git' } });
  assert.equal(res.statusCode, 201, res.body);
  const project = res.json();
  assert.equal(project.slug, 'my-docs');
  assert.deepEqual(project.repository, { url: repo.url, type: 'git' });
  assert.equal(project.urls.documentation, 'http://my-docs.docs.localhost:8000/en/latest/');

  const again = await create({ name: 'My Docs', repository: { url: repo.url } });
  assert.equal(again.statusCode, 409);

  const list = (await app.web.inject({ url: '/api/v3/projects/?limit=1', headers: app.auth })).json();
  assert.equal(list.count, 1);
  assert.equal(list.results[0].slug, 'my-docs');
  assert.equal(list.next, null);

  const bob = await app.newUser('bob');
  assert.equal((await app.web.inject({ url: '/api/v3/projects/my-docs/', headers: bob.auth })).statusCode, 404);
  assert.equal((await app.web.inject({ url: '/api/v3/projects/my-docs/versions/', headers: bob.auth })).statusCode, 404);
  assert.equal((await app.web.inject({ method: 'POST', url: '/api/v3/projects/my-docs/versions/latest/builds/', headers: bob.auth })).statusCode, 404);
  assert.equal((await app.web.inject({ url: '/api/v3/projects/', headers: bob.auth })).json().count, 0);
  assert.equal((await app.web.inject({ url: '/api/v3/projects/no-such-project/', headers: app.auth })).statusCode, 404);
  assert.equal((await app.web.inject({ url: '/api/v3/projects/my-docs/builds/999999/', headers: app.auth })).statusCode, 404);
  assert.equal((await app.web.inject({ url: '/api/v3/projects/my-docs/builds/abc/', headers: app.auth })).statusCode, 400);
  await app.runner.idle();
});

test('an unreachable repository still creates the project, with no versions yet', async () => {
  const res = await create({ name: 'Gone', repository: { url: `file:///nonexistent/${Date.now()}` } });
  assert.equal(res.statusCode, 201, res.body);
  const versions = (await app.web.inject({ url: '/api/v3/projects/gone/versions/', headers: app.auth })).json();
  assert.equal(versions.count, 0);
  const sync = await app.web.inject({ method: 'POST', url: '/api/v3/projects/gone/sync-versions/', headers: app.auth });
  assert.equal(sync.statusCode, 502);
  assert.match(sync.json().detail, /could not read the repository/);
});

test('pagination has count, next and previous', async () => {
  for (const name of ['Alpha', 'Beta', 'Gamma']) assert.equal((await create({ name, repository: { url: repo.url } })).statusCode, 201);
  await app.runner.idle();
  const first = (await app.web.inject({ url: '/api/v3/projects/?limit=2&offset=0', headers: app.auth })).json();
  assert.equal(first.results.length, 2);
  assert.equal(first.previous, null);
  assert.match(first.next, /limit=2&offset=2/);
  const second = (await app.web.inject({ url: '/api/v3/projects/?limit=2&offset=2', headers: app.auth })).json();
  assert.equal(second.count, first.count);
  assert.match(second.previous, /offset=0/);
  const slugs = [...first.results, ...second.results].map((p: { slug: string }) => p.slug);
  assert.deepEqual(slugs, [...slugs].sort(), 'stable order by slug');
  assert.equal((await app.web.inject({ url: '/api/v3/projects/?limit=1000', headers: app.auth })).statusCode, 400);
});

test('PATCH changes settings (204, as Read the Docs), validating each field by name', async () => {
  const client = apiClient(app);
  const slug = await importProject(client, 'Settings', repo.url);
  const res = await client.patch(`/api/v3/projects/${slug}/`, {
    name: 'Renamed',
    description: 'What it documents',
    default_branch: 'main',
    language: 'fr',
    privacy_level: 'private',
    single_version: true,
    documentation_type: 'builtin',
    slug: 'ignored-as-on-rtd',
  });
  assert.equal(res.statusCode, 204, res.body);
  assert.equal(res.body, '');
  const p = (await client.get(`/api/v3/projects/${slug}/`)).json();
  assert.equal(p.slug, slug);
  assert.equal(p.name, 'Renamed');
  assert.equal(p.description, 'What it documents');
  assert.deepEqual(p.language, { code: 'fr', name: 'fr' });
  assert.equal(p.privacy_level, 'private');
  assert.equal(p.single_version, true);
  assert.equal(p.versioning_scheme, 'single_version_without_translations');
  assert.equal(p.documentation_type, 'builtin');
  assert.equal(p.urls.documentation, `http://${slug}.docs.localhost:8000/`);
  assert.deepEqual(p.users, [{ username: 'alice' }]);

  const cases: Array<[unknown, string]> = [
    [{ name: '' }, 'name'],
    [{ name: '   ' }, 'name'],
    [{ repository: { url: 'ext::sh -c evil' } }, 'repository.url'],
    [{ repository: { url: 'http://example.com/plain-http.git' } }, 'repository.url'],
    [{ default_branch: '--upload-pack=evil' }, 'default_branch'],
    [{ default_branch: 'a b' }, 'default_branch'],
    [{ default_version: 'no-such-version' }, 'default_version'],
    [{ language: '<script>' }, 'language'],
    [{ privacy_level: 'secret' }, 'privacy_level'],
    [{ single_version: 'maybe' }, 'single_version'],
    [{ documentation_type: 'latex' }, 'documentation_type'],
  ];
  for (const [payload, field] of cases) assertFieldError(await client.patch(`/api/v3/projects/${slug}/`, payload), field, JSON.stringify(payload));

  assert.equal((await client.patch(`/api/v3/projects/${slug}/`, { repository: { url: 'https://example.com/new.git' } })).statusCode, 204);
  assert.equal((await client.get(`/api/v3/projects/${slug}/`)).json().repository.url, 'https://example.com/new.git');
  assert.equal((await client.patch(`/api/v3/projects/${slug}/`, { default_version: 'latest' })).statusCode, 204, 'an active version');

  const bob = apiClient(app, (await app.newUser('bob-patch')).auth);
  assert.equal((await bob.patch(`/api/v3/projects/${slug}/`, { name: 'Mine now' })).statusCode, 404);
  assert.equal((await bob.delete(`/api/v3/projects/${slug}/`)).statusCode, 404);
  assert.equal((await client.get(`/api/v3/projects/${slug}/`)).json().name, 'Renamed', 'unchanged by bob');
  await app.runner.idle();
});

test('?expand=active_versions adds the active versions to the detail', async () => {
  const client = apiClient(app);
  const slug = await importProject(client, 'Expand', repo.url);
  const plain = (await client.get(`/api/v3/projects/${slug}/`)).json();
  assert.equal(plain.active_versions, undefined);
  const expanded = (await client.get(`/api/v3/projects/${slug}/?expand=active_versions`)).json();
  assert.deepEqual(expanded.active_versions.map((v: { slug: string }) => v.slug), ['latest']);
  assert.equal(expanded.active_versions[0].active, true);
  assertFieldError(await client.get(`/api/v3/projects/${slug}/?expand=secrets`), 'expand');
  await app.runner.idle();
});

test('DELETE removes the project with its versions and builds; its translations stay', async () => {
  const client = apiClient(app);
  const slug = await importProject(client, 'Doomed', repo.url);
  const fr = await importProject(client, 'Doomed FR', repo.url, { language: 'fr' });
  assert.equal((await client.post(`/api/v3/projects/${slug}/translations/`, { project: fr })).statusCode, 201);
  await app.runner.idle();
  const id = (await client.get(`/api/v3/projects/${slug}/`)).json().id;
  assert.equal((await client.delete(`/api/v3/projects/${slug}/`)).statusCode, 204);
  assert.equal((await client.get(`/api/v3/projects/${slug}/`)).statusCode, 404);
  assert.equal((await client.get(`/api/v3/projects/${slug}/versions/`)).statusCode, 404);
  const rows = await app.database.db.select().from(versions).where(eq(versions.projectId, (await client.get(`/api/v3/projects/${fr}/`)).json().id));
  assert.ok(rows.length > 0, "the translation's own versions stay");
  const translation = (await client.get(`/api/v3/projects/${fr}/`)).json();
  assert.equal(translation.translation_of, null);
  assert.equal((await app.database.db.select().from(builds).where(eq(builds.projectId, id))).length, 0, 'its builds are gone');
  assert.equal((await app.database.db.select().from(versions).where(eq(versions.projectId, id))).length, 0, 'its versions are gone');
  assert.equal((await client.delete(`/api/v3/projects/${slug}/`)).statusCode, 404);
});

test('hostile input: markup and SQL are stored verbatim and returned escaped; NUL and huge bodies are refused', async () => {
  const client = apiClient(app);
  const slug = await importProject(client, 'Hostile', repo.url);
  const xss = '<script>alert("x")</script>&amp;';
  const sql = "'; DROP TABLE projects; --";
  const unicode = 'Ünïcødé 文档 📚 \u202eevil\u202c';
  for (const value of [xss, sql, unicode]) {
    assert.equal((await client.patch(`/api/v3/projects/${slug}/`, { name: value, description: value })).statusCode, 204, value);
    const res = await client.get(`/api/v3/projects/${slug}/`);
    assert.equal(res.json().name, value);
    assert.equal(res.json().description, value);
    assert.ok(!res.body.includes('<script>') && !res.body.includes('</'), 'no raw markup in the JSON text');
    assert.match(res.headers['content-type'] as string, /^application\/json/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  }
  assert.equal((await client.get('/api/v3/projects/')).statusCode, 200, 'the table is still there');

  assertFieldError(await client.patch(`/api/v3/projects/${slug}/`, { description: 'a\u0000b' }), 'description', 'NUL');
  assertFieldError(await client.patch(`/api/v3/projects/${slug}/`, { description: 'lone \ud800 surrogate' }), 'description', 'lone surrogate');
  assertFieldError(await client.get('/api/v3/projects/%00/'), 'params.project', 'NUL in the URL');
  const deep = `{"name": "x", "extra": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
  assert.notEqual((await client.call('PATCH', `/api/v3/projects/${slug}/`, deep, { 'content-type': 'application/json' })).statusCode, 500);

  const huge = await client.patch(`/api/v3/projects/${slug}/`, { description: 'x'.repeat(2 * 1024 * 1024) });
  assert.equal(huge.statusCode, 413);
  assert.ok(huge.json().detail);
  await app.runner.idle();
});
