// API v3 translations: Read the Docs' list (projects by slug, readable by anyone who may read
// the main project, private translations only to their maintainers) and Bindery's link and
// unlink; one project per language in a group, no nesting, both projects the user's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { translationsOf } from '../../../src/db/serving.ts';
import { apiClient, assertFieldError, importProject, type ApiClient } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { assertRtdShape, rtdFixture } from '../../helpers/rtd-shape.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
let repo: GitRepo;
let client: ApiClient;
const s: Record<string, string> = {};

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' } });
  client = apiClient(app);
  for (const [name, language] of [['main', 'en'], ['fr', 'fr'], ['de', 'de'], ['fr2', 'fr'], ['en2', 'en'], ['es', 'es']] as const) {
    s[name] = await importProject(client, `Tr ${name}`, repo.url, { language });
  }
});
after(async () => {
  await app.close();
  repo.remove();
});

const base = (p: string) => `/api/v3/projects/${s[p]}/translations/`;

test('link, list by slug, show translation_of, unlink', async () => {
  const res = await client.post(base('main'), { project: s.fr });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json().slug, s.fr);
  assert.equal(res.json().translation_of?.slug, s.main);
  assert.equal((await client.post(base('main'), { project: s.de })).statusCode, 201);
  const list = (await client.get(base('main'))).json();
  assertRtdShape(list, rtdFixture('projects-translations-list'));
  assert.equal(list.count, 2);
  assert.deepEqual(list.results.map((p: { slug: string }) => p.slug), [s.de, s.fr].sort());
  assert.equal((await client.get(`/api/v3/projects/${s.de}/`)).json().translation_of?.slug, s.main);
  const mainId = (await client.get(`/api/v3/projects/${s.main}/`)).json().id;
  assert.deepEqual((await translationsOf(app.database.db, mainId)).map((p) => p.slug), [s.de, s.fr], 'the docs server sees them');

  assert.equal((await client.delete(`${base('main')}${s.de}/`)).statusCode, 204);
  assert.equal((await client.get(`/api/v3/projects/${s.de}/`)).json().translation_of, null);
  assert.equal((await client.delete(`${base('main')}${s.de}/`)).statusCode, 404);
  assert.equal((await client.delete(`${base('main')}${s.es}/`)).statusCode, 404, 'not a translation of main');
});

test('languages differ from the main project and are unique in the group; no nesting; no self', async () => {
  assertFieldError(await client.post(base('main'), { project: s.en2 }), 'project', 'same language as main');
  const dup = await client.post(base('main'), { project: s.fr2 });
  assert.equal(dup.statusCode, 409, 'fr is taken');
  assert.ok(dup.json().project);
  assertFieldError(await client.post(base('main'), { project: s.main }), 'project', 'self');
  assertFieldError(await client.post(base('fr'), { project: s.es }), 'project', 'a translation cannot have translations');
  assert.equal((await client.post(base('es'), { project: s.fr })).statusCode, 409, 'already a translation of main');
  assertFieldError(await client.post(base('es'), { project: s.main }), 'project', 'main has translations: it cannot become one');
  assertFieldError(await client.post(base('main'), {}), 'project');

  // Changing a language into one the group has is a conflict too.
  const patch = await client.patch(`/api/v3/projects/${s.fr}/`, { language: 'en' });
  assert.equal(patch.statusCode, 409);
  assert.ok(patch.json().language);
  assert.equal((await client.patch(`/api/v3/projects/${s.main}/`, { language: 'fr' })).statusCode, 409);
  assert.equal((await client.patch(`/api/v3/projects/${s.fr}/`, { language: 'pt-br' })).statusCode, 204);
  assert.equal((await client.patch(`/api/v3/projects/${s.fr}/`, { language: 'fr' })).statusCode, 204);
});

test('both projects must be the user’s; readers list public translations; writes are 401 / 403 / 404', async () => {
  const bob = apiClient(app, (await app.newUser('bob-tr')).auth);
  const bobs = await importProject(bob, 'Bob ja', repo.url, { language: 'ja' });
  assertFieldError(await client.post(base('main'), { project: bobs }), 'project', "bob's project");
  assertFieldError(await bob.post(`/api/v3/projects/${bobs}/translations/`, { project: s.es }), 'project', "alice's project");
  const anonymous = apiClient(app, {});
  for (const reader of [anonymous, bob]) assert.deepEqual((await reader.get(base('main'))).json().results.map((p: { slug: string }) => p.slug), [s.fr]);
  assert.equal((await bob.delete(`${base('main')}${s.fr}/`)).statusCode, 403);
  assert.equal((await bob.post(base('main'), { project: bobs })).statusCode, 403);
  assert.equal((await anonymous.post(base('main'), { project: s.es })).statusCode, 401);
  // A private translation is listed to its maintainers only; a private main project is not found.
  assert.ok((await client.patch(`/api/v3/projects/${s.fr}/`, { privacy_level: 'private' })).statusCode < 300);
  assert.equal((await client.get(base('main'))).json().count, 1);
  for (const reader of [anonymous, bob]) {
    assert.equal((await reader.get(base('main'))).json().count, 0);
    assert.equal((await reader.get(base('fr'))).statusCode, 404);
  }
  assert.equal((await client.get(`/api/v3/projects/${s.fr}/`)).json().translation_of?.slug, s.main);
});
