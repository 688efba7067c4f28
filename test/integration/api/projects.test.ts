// API v3 projects: authentication, validation naming the field, visibility, conflicts,
// settings (PATCH), deletion, expansion, and hostile input.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { builds, versions } from '../../../src/db/schema.ts';
import { apiClient, assertFieldError, fieldMessages, importProject } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { assertRtdShape, rtdFixture } from '../../helpers/rtd-shape.ts';
import { syncsDone } from '../../helpers/webhooks.ts';

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

test('create, list, detail; a taken name → 400 naming name (Read the Docs); another user reads a public project but cannot change it', async () => {
  const res = await create({ name: 'My Docs', repository: { url: repo.url, type: 'git' } });
  assert.equal(res.statusCode, 201, res.body);
  const project = res.json();
  assert.equal(project.slug, 'my-docs');
  assert.deepEqual(project.repository, { url: repo.url, type: 'git' });
  assert.equal(project.urls.documentation, 'http://my-docs.docs.localhost:8000/en/latest/');

  const again = await create({ name: 'My Docs', repository: { url: repo.url } });
  assert.equal(again.statusCode, 400);
  assert.deepEqual(again.json(), { name: ['Project with slug "my-docs" already exists.'] });
  const sameSlug = await create({ name: 'x', slug: 'my-docs', repository: { url: repo.url } });
  assert.deepEqual(sameSlug.json(), { slug: ['Project with slug "my-docs" already exists.'] });

  const list = (await app.web.inject({ url: '/api/v3/projects/?limit=1', headers: app.auth })).json();
  assert.equal(list.count, 1);
  assert.equal(list.results[0].slug, 'my-docs');
  assert.equal(list.next, null);

  const bob = await app.newUser('bob');
  // A public project: anyone reads it, with a token or without; only its maintainers change it (403).
  const seen = await app.web.inject({ url: '/api/v3/projects/my-docs/?expand=permissions', headers: bob.auth });
  assert.equal(seen.statusCode, 200);
  assert.deepEqual(seen.json().permissions, { admin: false });
  assert.equal((await app.web.inject({ url: '/api/v3/projects/my-docs/' })).statusCode, 200, 'anonymous');
  assert.equal((await app.web.inject({ url: '/api/v3/projects/my-docs/', headers: { authorization: 'Token bdy_wrong' } })).statusCode, 401, 'a wrong token is still refused');
  assert.deepEqual((await app.web.inject({ url: '/api/v3/projects/my-docs/?expand=permissions', headers: app.auth })).json().permissions, { admin: true });
  assert.equal((await app.web.inject({ method: 'PATCH', url: '/api/v3/projects/my-docs/', headers: bob.auth, payload: { name: 'Mine' } })).statusCode, 403);
  assert.equal((await app.web.inject({ method: 'DELETE', url: '/api/v3/projects/my-docs/', headers: bob.auth })).statusCode, 403);
  assert.equal((await app.web.inject({ method: 'PATCH', url: '/api/v3/projects/my-docs/', payload: { name: 'Mine' } })).statusCode, 401);
  assert.equal((await app.web.inject({ url: '/api/v3/projects/', headers: bob.auth })).json().count, 0, 'the list is the projects one maintains');
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
  assert.equal(sync.statusCode, 202, sync.body);
  assert.deepEqual(sync.json(), { triggered: true }, 'queued, as on Read the Docs: the failure is the job\'s');
  await syncsDone(app);
  assert.equal((await app.web.inject({ url: '/api/v3/projects/gone/versions/', headers: app.auth })).json().count, 0, 'the queued sync read nothing');
  assert.equal((await app.database.db.select().from(builds).where(eq(builds.projectId, res.json().id))).length, 0, 'nothing built');
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
  assert.equal(new URL(second.previous).searchParams.get('offset'), null, 'the first page, as DRF links it');
  const slugs = [...first.results, ...second.results].map((p: { slug: string }) => p.slug);
  assert.deepEqual(slugs, [...slugs].sort(), 'stable order by slug');
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
  assert.deepEqual(p.language, { code: 'fr', name: 'French' });
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
    [{ language: 'pt_BR' }, 'language'],
    [{ programming_language: 'cobol' }, 'programming_language'],
    [{ homepage: 'not a url' }, 'homepage'],
    [{ homepage: 'javascript:alert(1)' }, 'homepage'],
    [{ tags: 'not json' }, 'tags'],
    [{ tags: [1, 2] }, 'tags'],
    [{ versioning_scheme: 'by-date' }, 'versioning_scheme'],
    [{ readthedocs_yaml_path: '/abs/.readthedocs.yaml' }, 'readthedocs_yaml_path'],
    [{ readthedocs_yaml_path: '../up/.readthedocs.yaml' }, 'readthedocs_yaml_path'],
    [{ readthedocs_yaml_path: 'docs/config.yaml' }, 'readthedocs_yaml_path'],
    [{ analytics_code: 'x'.repeat(51) }, 'analytics_code'],
    [{ name: 'x'.repeat(64) }, 'name'],
    [{ name: 'tab\there' }, 'name'],
    [{ repository: { url: 'https://example.com/r.git', type: 'hg' } }, 'repository.type'],
    [{ privacy_level: 'secret' }, 'privacy_level'],
    [{ single_version: 'maybe' }, 'single_version'],
    [{ documentation_type: 'latex' }, 'documentation_type'],
  ];
  for (const [payload, field] of cases) assertFieldError(await client.patch(`/api/v3/projects/${slug}/`, payload), field, JSON.stringify(payload));

  assert.equal((await client.patch(`/api/v3/projects/${slug}/`, { repository: { url: 'https://example.com/new.git' } })).statusCode, 204);
  assert.equal((await client.get(`/api/v3/projects/${slug}/`)).json().repository.url, 'https://example.com/new.git');
  assert.equal((await client.patch(`/api/v3/projects/${slug}/`, { default_version: 'latest' })).statusCode, 204, 'an active version');

  const bob = apiClient(app, (await app.newUser('bob-patch')).auth);
  // Private: another user learns nothing (404), for reads and writes.
  assert.equal((await bob.get(`/api/v3/projects/${slug}/`)).statusCode, 404);
  assert.equal((await bob.patch(`/api/v3/projects/${slug}/`, { name: 'Mine now' })).statusCode, 404);
  assert.equal((await bob.delete(`/api/v3/projects/${slug}/`)).statusCode, 404);
  assert.equal((await client.get(`/api/v3/projects/${slug}/`)).json().name, 'Renamed', 'unchanged by bob');
  await app.runner.idle();
});

test('?expand=active_versions adds the public, active, built versions; unknown expansions are ignored', async () => {
  const client = apiClient(app);
  const slug = await importProject(client, 'Expand', repo.url);
  for (const b of (await client.get(`/api/v3/projects/${slug}/builds/`)).json().results) await app.waitForBuild(b.id);
  const plain = (await client.get(`/api/v3/projects/${slug}/`)).json();
  assert.equal(plain.active_versions, undefined);
  assert.equal(plain.permissions, undefined);
  const expanded = (await client.get(`/api/v3/projects/${slug}/?expand=active_versions,permissions`)).json();
  assert.deepEqual(expanded.active_versions.map((v: { slug: string }) => v.slug), ['latest']);
  assert.equal(expanded.active_versions[0].active, true);
  assert.deepEqual(expanded.permissions, { admin: true });
  const ignored = await client.get(`/api/v3/projects/${slug}/?expand=secrets`);
  assert.equal(ignored.statusCode, 200, 'as Read the Docs: an expansion it does not know is ignored');
  assert.equal(ignored.json().secrets, undefined);
  assert.equal((await client.patch(`/api/v3/projects/${slug}/versions/latest/`, { privacy_level: 'private' })).statusCode, 204);
  assert.deepEqual((await client.get(`/api/v3/projects/${slug}/?expand=active_versions`)).json().active_versions, [], 'public versions only');
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

test("import takes Read the Docs' fields and answers them back; unknown fields are ignored", async () => {
  const res = await create({
    name: 'Field Guide', repository: { url: repo.url, type: 'git' }, homepage: 'https://field.example.org/', programming_language: 'py',
    language: 'es', tags: ['maps', 'Atlas', 'maps', ' '], privacy_level: 'public', external_builds_privacy_level: 'private',
    readthedocs_yaml_path: 'docs/.readthedocs.yaml', default_version: 'v9', unknown_field: 'ignored',
  });
  assert.equal(res.statusCode, 201, res.body);
  const p = res.json();
  assertRtdShape(p, rtdFixture('projects-list_POST'));
  assert.equal(p.homepage, 'https://field.example.org/');
  assert.deepEqual(p.programming_language, { code: 'py', name: 'Python' });
  assert.deepEqual(p.language, { code: 'es', name: 'Spanish' });
  assert.deepEqual(p.tags, ['Atlas', 'maps'], 'trimmed, once each, by name');
  assert.equal(p.external_builds_privacy_level, 'private');
  assert.equal(p.readthedocs_yaml_path, 'docs/.readthedocs.yaml');
  assert.equal(p.default_version, 'latest', 'default_version is not an import field: ignored');
  assert.equal(p.urls.downloads, null);
  assert.equal(typeof p.default_branch, 'string', 'never null');
  assert.equal(p._links.sync_versions, 'http://localhost:8000/api/v3/projects/field-guide/sync-versions/');
  assert.equal(p._links.notifications, 'http://localhost:8000/api/v3/projects/field-guide/notifications/');
  const bare = (await create({ name: 'Bare', repository: { url: repo.url } })).json();
  assert.equal(bare.homepage, null, 'an empty home page is null');
  assert.deepEqual(bare.programming_language, { code: 'words', name: 'Only Words' });
  assert.equal(bare.readthedocs_yaml_path, null);
  assertFieldError(await create({ name: 'Bad Lang', repository: { url: repo.url }, language: 'xx' }), 'language');
  assertFieldError(await create({ name: 'Bad Yaml', repository: { url: repo.url }, readthedocs_yaml_path: 'a/b.yaml' }), 'readthedocs_yaml_path');
  await app.runner.idle();
});

test('PATCH stores every Read the Docs field; versioning_scheme and single_version stay equal; PUT needs name and repository', async () => {
  const client = apiClient(app);
  const slug = await importProject(client, 'Every Field', repo.url);
  for (const b of (await client.get(`/api/v3/projects/${slug}/builds/`)).json().results) await app.waitForBuild(b.id);
  const res = await client.patch(`/api/v3/projects/${slug}/`, {
    homepage: 'http://every.example.com', tags: '["b", "a"]', programming_language: 'go', default_branch: 'main', analytics_code: 'G-123',
    analytics_disabled: true, show_version_warning: true, versioning_scheme: 'multiple_versions_without_translations', external_builds_enabled: true,
    external_builds_privacy_level: 'private', readthedocs_yaml_path: 'sub/dir/.readthedocs.yaml',
  });
  assert.equal(res.statusCode, 204, res.body);
  let p = (await client.get(`/api/v3/projects/${slug}/?expand=active_versions,permissions`)).json();
  // The project's own shape here; each expanded version's shape is the versions tests' (projects-versions-detail).
  assertRtdShape(p, { ...(rtdFixture('projects-detail') as object), active_versions: '<array>' });
  assert.equal(p.active_versions.length, 1);
  assert.equal(p.homepage, 'http://every.example.com');
  assert.deepEqual(p.tags, ['a', 'b']);
  assert.deepEqual(p.programming_language, { code: 'go', name: 'Go' });
  assert.equal(p.default_branch, 'main');
  assert.equal(p.analytics_code, 'G-123');
  assert.equal(p.analytics_disabled, true);
  assert.equal(p.show_version_warning, true);
  assert.equal(p.versioning_scheme, 'multiple_versions_without_translations');
  assert.equal(p.single_version, false);
  assert.equal(p.external_builds_enabled, true);
  assert.equal(p.external_builds_privacy_level, 'private');
  assert.equal(p.readthedocs_yaml_path, 'sub/dir/.readthedocs.yaml');

  assert.equal((await client.patch(`/api/v3/projects/${slug}/`, { versioning_scheme: 'single_version_without_translations' })).statusCode, 204);
  assert.equal((await client.get(`/api/v3/projects/${slug}/`)).json().single_version, true);
  assert.equal((await client.patch(`/api/v3/projects/${slug}/`, { single_version: false })).statusCode, 204);
  p = (await client.get(`/api/v3/projects/${slug}/`)).json();
  assert.equal(p.versioning_scheme, 'multiple_versions_with_translations');
  assert.equal((await client.patch(`/api/v3/projects/${slug}/`, { homepage: '', readthedocs_yaml_path: null, tags: [] })).statusCode, 204);
  p = (await client.get(`/api/v3/projects/${slug}/`)).json();
  assert.equal(p.homepage, null);
  assert.equal(p.readthedocs_yaml_path, null);
  assert.deepEqual(p.tags, []);

  // PUT: Read the Docs' full update (name and repository required), answered 204 as PATCH.
  const missing = await client.put(`/api/v3/projects/${slug}/`, { language: 'de' });
  assert.equal(missing.statusCode, 400);
  assert.ok(fieldMessages(missing.json(), 'name'), missing.body);
  assertFieldError(await client.put(`/api/v3/projects/${slug}/`, { name: 'x' }), 'repository', 'PUT without a repository');
  const put = await client.put(`/api/v3/projects/${slug}/`, { name: 'Put Name', repository: { url: repo.url, type: 'git' }, language: 'de', default_version: 'latest' });
  assert.equal(put.statusCode, 204, put.body);
  p = (await client.get(`/api/v3/projects/${slug}/`)).json();
  assert.equal(p.name, 'Put Name');
  assert.deepEqual(p.language, { code: 'de', name: 'German' });
  assert.equal(p.homepage, null, 'fields left out of a PUT stay');
  assertFieldError(await client.put(`/api/v3/projects/${slug}/`, { name: 'x', repository: { url: repo.url }, default_version: 'nope' }), 'default_version');
});

test("the list filters as Read the Docs' ProjectFilter: name and slug contain (any case), languages exactly; unknown filters ignored", async () => {
  const alice = apiClient(app);
  const dave = apiClient(app, (await app.newUser('dave-filters')).auth);
  const slugs = async (query: string) => {
    const res = await dave.get(`/api/v3/projects/${query}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().results.map((p: { slug: string }) => p.slug);
  };
  for (const [name, extra] of [['Alpha Maps', { language: 'fr', programming_language: 'py' }], ['Beta Atlas', { programming_language: 'js' }], ['Gamma Maps', {}]] as const) {
    assert.equal((await dave.post('/api/v3/projects/', { name, repository: { url: repo.url }, ...extra })).statusCode, 201);
  }
  await importProject(alice, 'Alice Maps', repo.url);
  await app.runner.idle();
  assert.deepEqual(await slugs(''), ['alpha-maps', 'beta-atlas', 'gamma-maps']);
  assert.deepEqual(await slugs('?name=maps'), ['alpha-maps', 'gamma-maps']);
  assert.deepEqual(await slugs('?slug=ATLAS'), ['beta-atlas']);
  assert.deepEqual(await slugs('?language=fr'), ['alpha-maps']);
  assert.deepEqual(await slugs('?programming_language=js'), ['beta-atlas']);
  assert.deepEqual(await slugs('?name=maps&programming_language=py'), ['alpha-maps']);
  assert.deepEqual(await slugs('?name=%25'), [], 'a pattern character is taken literally');
  assert.deepEqual(await slugs('?colour=blue'), ['alpha-maps', 'beta-atlas', 'gamma-maps'], 'an unknown filter is ignored');
  assertFieldError(await dave.get('/api/v3/projects/?language=xx'), 'language', 'a language outside the list');
  const list = (await dave.get('/api/v3/projects/?name=maps&limit=1')).json();
  assert.match(list.next, /name=maps/, 'the filter travels with the next page');
  assertRtdShape(list, rtdFixture('projects-list'));
});

test('a subproject and a translation are shown as {slug, _links}', async () => {
  const client = apiClient(app);
  const parent = await importProject(client, 'Parent Rel', repo.url);
  const child = await importProject(client, 'Child Rel', repo.url);
  const fr = await importProject(client, 'Parent Rel FR', repo.url, { language: 'fr' });
  assert.equal((await client.post(`/api/v3/projects/${parent}/subprojects/`, { child })).statusCode, 201);
  assert.equal((await client.post(`/api/v3/projects/${parent}/translations/`, { project: fr })).statusCode, 201);
  const c = (await client.get(`/api/v3/projects/${child}/`)).json();
  assert.deepEqual(Object.keys(c.subproject_of).sort(), ['_links', 'slug']);
  assert.equal(c.subproject_of.slug, parent);
  assert.equal(c.subproject_of._links._self, `http://localhost:8000/api/v3/projects/${parent}/`);
  const t = (await client.get(`/api/v3/projects/${fr}/`)).json();
  assert.equal(t.translation_of.slug, parent);
  assert.equal(t.subproject_of, null);
  // The main project's language cannot be taken by the translation (one project per language).
  const clash = await client.patch(`/api/v3/projects/${fr}/`, { language: 'en' });
  assert.equal(clash.statusCode, 409, clash.body);
  assert.ok(fieldMessages(clash.json(), 'language'));
  await app.runner.idle();
});
