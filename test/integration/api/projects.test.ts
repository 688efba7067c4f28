// API v3 projects: authentication, validation naming the field, visibility, conflicts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
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
    assert.ok(res.json().errors?.[field], `${JSON.stringify(payload)} names ${field}: ${res.body}`);
  }
  const notJson = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: { ...app.auth, 'content-type': 'application/json' }, payload: '{"name": ' });
  assert.equal(notJson.statusCode, 400);
});

test('local repositories are refused unless allowed', async () => {
  const strict = await testApp({ allowLocalRepositories: false });
  try {
    const res = await strict.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: strict.auth, payload: { name: 'local', repository: { url: repo.url } } });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().errors['repository.url'][0], /local repositories are not allowed/);
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
