// API v3 subprojects as Read the Docs has them: add {child, alias} (the child must be the
// user's), list by child slug, detail and delete by alias, the superproject as a project;
// Read the Docs' refusals (not valid as subproject, alias taken, nesting) and readers: anyone
// reads a public parent's public children, writes are 401 / 403 / 404.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { subprojectByAlias } from '../../../src/db/serving.ts';
import { apiClient, assertFieldError, importProject, type ApiClient } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { assertRtdShape, rtdFixture } from '../../helpers/rtd-shape.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
let repo: GitRepo;
let client: ApiClient;
let anonymous: ApiClient;
const slugs: Record<string, string> = {};

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' } });
  client = apiClient(app);
  anonymous = apiClient(app, {});
  for (const name of ['parent', 'child', 'other', 'grandchild', 'third', 'secret']) slugs[name] = await importProject(client, `Sub ${name}`, repo.url);
  assert.equal((await client.patch(`/api/v3/projects/${slugs.secret}/`, { privacy_level: 'private' })).statusCode < 300, true);
});
after(async () => {
  await app.close();
  repo.remove();
});

const base = (p: string) => `/api/v3/projects/${slugs[p]}/subprojects/`;

test("add, list, detail, superproject, delete, in Read the Docs' shapes", async () => {
  const res = await client.post(base('parent'), { child: slugs.child, alias: 'api', ignored: 'a field Read the Docs does not know' });
  assert.equal(res.statusCode, 201, res.body);
  const sub = res.json();
  assertRtdShape(sub, rtdFixture('projects-subprojects-list_POST'));
  assert.equal(sub.alias, 'api');
  assert.equal(sub.child.slug, slugs.child);
  assert.ok(!('subproject_of' in sub.child), "the child is shown as Read the Docs' ChildProjectSerializer, without subproject_of");
  assert.deepEqual(sub._links, { _self: `${app.publicUrl}${base('parent')}api/`, parent: `${app.publicUrl}/api/v3/projects/${slugs.parent}/` });
  assert.equal(res.headers.location, `${app.publicUrl}${base('parent')}api/`);

  const detail = (await client.get(`${base('parent')}api/`)).json();
  assertRtdShape(detail, rtdFixture('projects-subprojects-detail'));
  assert.deepEqual(detail, sub);
  const list = (await client.get(base('parent'))).json();
  assertRtdShape(list, rtdFixture('projects-subprojects-list'));
  assert.equal(list.count, 1);
  const superproject = (await client.get(`/api/v3/projects/${slugs.child}/superproject/`)).json();
  assertRtdShape(superproject, rtdFixture('projects-superproject'));
  assert.equal(superproject.slug, slugs.parent, 'the superproject is the parent project itself');
  assert.equal((await client.get(`/api/v3/projects/${slugs.parent}/superproject/`)).statusCode, 404);
  const parentId = (await client.get(`/api/v3/projects/${slugs.parent}/`)).json().id;
  assert.equal((await subprojectByAlias(app.database.db, parentId, 'api'))?.slug, slugs.child, 'the docs server finds it');

  const defaulted = await client.post(base('parent'), { child: slugs.third });
  assert.equal(defaulted.json().alias, slugs.third, "the alias defaults to the child's slug");
  assert.deepEqual((await client.get(base('parent'))).json().results.map((s: { child: { slug: string } }) => s.child.slug), [slugs.child, slugs.third].sort(), 'ordered by child slug');

  assert.equal((await client.delete(`${base('parent')}${slugs.third}/`)).statusCode, 204);
  assert.equal((await client.get(`${base('parent')}${slugs.third}/`)).statusCode, 404);
  assert.equal((await client.get(`/api/v3/projects/${slugs.third}/`)).statusCode, 200, 'the project itself stays');
  assert.equal((await client.delete(`${base('parent')}${slugs.third}/`)).statusCode, 404);
});

test("Read the Docs' refusals: not valid as subproject, alias taken, nesting, bad alias", async () => {
  const invalid = (slug: string) => [`Project with slug=${slug} is not valid as subproject`];
  const self = await client.post(base('other'), { child: slugs.other });
  assertFieldError(self, 'child', 'self');
  assert.deepEqual(self.json().child, invalid(slugs.other!));
  assert.deepEqual((await client.post(base('other'), { child: slugs.parent })).json(), { child: invalid(slugs.parent!) }, 'a parent cannot become a subproject');
  assert.deepEqual((await client.post(base('other'), { child: slugs.child })).json(), { child: invalid(slugs.child!) }, 'already a subproject of parent');
  const nested = await client.post(base('child'), { child: slugs.grandchild });
  assert.equal(nested.statusCode, 400);
  assert.deepEqual(nested.json(), { non_field_errors: ['Subproject nesting is not supported'] });
  const alias = await client.post(base('parent'), { child: slugs.grandchild, alias: 'api' });
  assert.equal(alias.statusCode, 400);
  assert.deepEqual(alias.json(), { alias: ['A subproject with this alias already exists'] });
  for (const bad of ['-x/', 'a/b', '../x', 'x y', 'x'.repeat(256)]) assertFieldError(await client.post(base('parent'), { child: slugs.grandchild, alias: bad }), 'alias', bad);
  assertFieldError(await client.post(base('parent'), { alias: 'x' }), 'child');
  assert.equal((await client.get(base('parent'))).json().count, 1, 'nothing was added');
});

test('readers: anonymous and other users read public parents and children; writes are 401, 403 or 404', async () => {
  const bobUser = await app.newUser('bob-sub');
  const bob = apiClient(app, bobUser.auth);
  const bobs = await importProject(bob, 'Bob sub', repo.url);
  const notMine = await client.post(base('parent'), { child: bobs });
  assert.deepEqual(notMine.json(), { child: [`Project with slug=${bobs} is not valid as subproject`] }, "another user's project");
  const missing = await client.post(base('parent'), { child: 'no-such-project' });
  assert.deepEqual(missing.json(), { child: ['Project with slug=no-such-project is not valid as subproject'] }, 'the same answer whether missing or not yours');

  for (const reader of [anonymous, bob]) {
    assert.equal((await reader.get(base('parent'))).json().count, 1);
    assert.equal((await reader.get(`${base('parent')}api/`)).statusCode, 200);
    assert.equal((await reader.get(`/api/v3/projects/${slugs.child}/superproject/`)).json().slug, slugs.parent);
  }
  assert.equal((await anonymous.post(base('parent'), { child: bobs })).statusCode, 401);
  assert.equal((await anonymous.delete(`${base('parent')}api/`)).statusCode, 401);
  assert.equal((await bob.post(base('parent'), { child: bobs })).statusCode, 403, 'a reader who is not a maintainer');
  assert.equal((await bob.delete(`${base('parent')}api/`)).statusCode, 403);

  // A private child is hidden from those who cannot read it; a private parent is not found.
  assert.equal((await client.post(base('parent'), { child: slugs.secret, alias: 'hidden' })).statusCode, 201);
  assert.equal((await client.get(base('parent'))).json().count, 2);
  for (const reader of [anonymous, bob]) {
    assert.deepEqual((await reader.get(base('parent'))).json().results.map((s: { alias: string }) => s.alias), ['api']);
    assert.equal((await reader.get(`${base('parent')}hidden/`)).statusCode, 404);
    assert.equal((await reader.get(`/api/v3/projects/${slugs.secret}/superproject/`)).statusCode, 404);
    assert.equal((await reader.get(base('secret'))).statusCode, 404);
    assert.equal((await reader.post(base('secret'), { child: bobs })).statusCode, (reader === anonymous ? 401 : 404));
  }
  assert.equal((await client.get(`${base('parent')}api/`)).statusCode, 200);
});
