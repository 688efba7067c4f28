// API v3 subprojects: add {child, alias} (the child must be the user's), list, detail and
// delete by alias, the superproject, and Read the Docs' rules: no self, no nesting, one parent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { subprojectByAlias } from '../../../src/db/serving.ts';
import { apiClient, assertFieldError, importProject, type ApiClient } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
let repo: GitRepo;
let client: ApiClient;
const slugs: Record<string, string> = {};

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' } });
  client = apiClient(app);
  for (const name of ['parent', 'child', 'other', 'grandchild', 'third']) slugs[name] = await importProject(client, `Sub ${name}`, repo.url);
});
after(async () => {
  await app.close();
  repo.remove();
});

const base = (p: string) => `/api/v3/projects/${slugs[p]}/subprojects/`;

test('add, list, detail, superproject, delete', async () => {
  const res = await client.post(base('parent'), { child: slugs.child, alias: 'api' });
  assert.equal(res.statusCode, 201, res.body);
  const sub = res.json();
  assert.equal(sub.alias, 'api');
  assert.equal(sub.child.slug, slugs.child);
  assert.equal(sub.child.subproject_of, slugs.parent);
  assert.deepEqual(sub._links, { parent: `${app.publicUrl}/api/v3/projects/${slugs.parent}/` });
  assert.equal(res.headers.location, `${app.publicUrl}${base('parent')}api/`);

  assert.deepEqual((await client.get(`${base('parent')}api/`)).json(), sub);
  const list = (await client.get(base('parent'))).json();
  assert.equal(list.count, 1);
  assert.equal(list.results[0].alias, 'api');
  assert.equal((await client.get(`/api/v3/projects/${slugs.child}/`)).json().subproject_of, slugs.parent);
  const superproject = (await client.get(`/api/v3/projects/${slugs.child}/superproject/`)).json();
  assert.equal(superproject.project.slug, slugs.parent);
  assert.equal(superproject.alias, 'api');
  assert.equal((await client.get(`/api/v3/projects/${slugs.parent}/superproject/`)).statusCode, 404);
  const parentId = (await client.get(`/api/v3/projects/${slugs.parent}/`)).json().id;
  assert.equal((await subprojectByAlias(app.database.db, parentId, 'api'))?.slug, slugs.child, 'the docs server finds it');

  const defaulted = await client.post(base('parent'), { child: slugs.third });
  assert.equal(defaulted.json().alias, slugs.third, "the alias defaults to the child's slug");
  assert.deepEqual((await client.get(base('parent'))).json().results.map((s: { alias: string }) => s.alias), ['api', slugs.third].sort());

  assert.equal((await client.delete(`${base('parent')}${slugs.third}/`)).statusCode, 204);
  assert.equal((await client.get(`${base('parent')}${slugs.third}/`)).statusCode, 404);
  assert.equal((await client.get(`/api/v3/projects/${slugs.third}/`)).statusCode, 200, 'the project itself stays');
  assert.equal((await client.delete(`${base('parent')}${slugs.third}/`)).statusCode, 404);
});

test('no self, no nesting either way, one parent, one alias per parent', async () => {
  assertFieldError(await client.post(base('other'), { child: slugs.other }), 'child', 'self');
  assertFieldError(await client.post(base('child'), { child: slugs.grandchild }), 'child', 'a subproject cannot have subprojects');
  assertFieldError(await client.post(base('other'), { child: slugs.parent }), 'child', 'a parent cannot become a subproject');
  const taken = await client.post(base('other'), { child: slugs.child });
  assert.equal(taken.statusCode, 409, 'already a subproject of parent');
  assert.ok(taken.json().child);
  const alias = await client.post(base('parent'), { child: slugs.grandchild, alias: 'api' });
  assert.equal(alias.statusCode, 409);
  assert.ok(alias.json().alias);
  for (const bad of ['API', '-x', 'a/b', '../x', '', 'x'.repeat(64)]) assertFieldError(await client.post(base('parent'), { child: slugs.grandchild, alias: bad }), 'alias', bad);
  assertFieldError(await client.post(base('parent'), { alias: 'x' }), 'child');
});

test("another user's project cannot be added as a child, and another user sees 404", async () => {
  const bobUser = await app.newUser('bob-sub');
  const bob = apiClient(app, bobUser.auth);
  const bobs = await importProject(bob, 'Bob sub', repo.url);
  const res = await client.post(base('parent'), { child: bobs });
  assertFieldError(res, 'child');
  const missing = await client.post(base('parent'), { child: 'no-such-project' });
  assert.equal(missing.json().child[0].replace('no-such-project', bobs), res.json().child[0], 'the same answer whether missing or not yours');
  assertFieldError(await bob.post(`/api/v3/projects/${bobs}/subprojects/`, { child: slugs.grandchild }), 'child', "bob adding alice's project");
  assert.equal((await bob.get(base('parent'))).statusCode, 404);
  assert.equal((await bob.delete(`${base('parent')}api/`)).statusCode, 404);
  assert.equal((await bob.get(`/api/v3/projects/${slugs.child}/superproject/`)).statusCode, 404);
  assert.equal((await client.get(`${base('parent')}api/`)).statusCode, 200);
});
