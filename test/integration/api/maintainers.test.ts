// API v3 maintainers: list, add by username, remove; a project always keeps one maintainer,
// and becoming or ceasing to be one is what opens or closes the project to a user.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, assertFieldError, importProject, type ApiClient } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
let repo: GitRepo;
let alice: ApiClient;
let bob: ApiClient;
let slug: string;
let base: string;

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' } });
  alice = apiClient(app);
  bob = apiClient(app, (await app.newUser('bob')).auth);
  await app.newUser('<b>carol</b>');
  slug = await importProject(alice, 'Shared', repo.url);
  base = `/api/v3/projects/${slug}/maintainers/`;
});
after(async () => {
  await app.close();
  repo.remove();
});

const names = async (client = alice) => (await client.get(base)).json().results.map((m: { username: string }) => m.username);

test('adding a maintainer opens the project to them; removing closes it', async () => {
  assert.deepEqual(await names(), ['alice']);
  assert.equal((await bob.get(`/api/v3/projects/${slug}/`)).statusCode, 404);
  const res = await alice.post(base, { username: 'bob' });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json().username, 'bob');
  assert.equal((await bob.get(`/api/v3/projects/${slug}/`)).statusCode, 200);
  assert.deepEqual(await names(bob), ['alice', 'bob']);
  assert.deepEqual((await alice.get(`/api/v3/projects/${slug}/`)).json().users, [{ username: 'alice' }, { username: 'bob' }]);

  assert.equal((await bob.delete(`${base}alice/`)).statusCode, 204, 'any maintainer may remove another');
  assert.equal((await alice.get(`/api/v3/projects/${slug}/`)).statusCode, 404, 'alice lost access');
  assert.equal((await bob.post(base, { username: 'alice' })).statusCode, 201);
});

test('the last maintainer stays (409); unknown users and duplicates are refused', async () => {
  assert.equal((await alice.delete(`${base}bob/`)).statusCode, 204);
  const last = await alice.delete(`${base}alice/`);
  assert.equal(last.statusCode, 409);
  assert.ok(last.json().errors.username);
  assert.deepEqual(await names(), ['alice']);
  assertFieldError(await alice.post(base, { username: 'nobody' }), 'username');
  assertFieldError(await alice.post(base, {}), 'username');
  const dup = await alice.post(base, { username: 'alice' });
  assert.equal(dup.statusCode, 409);
  assert.equal((await alice.delete(`${base}bob/`)).statusCode, 404, 'not a maintainer');
  assert.equal((await alice.delete(`${base}nobody/`)).statusCode, 404);
});

test('usernames with markup are returned escaped; another user sees 404', async () => {
  const res = await alice.post(base, { username: '<b>carol</b>' });
  assert.equal(res.statusCode, 201);
  assert.ok(!res.body.includes('<b>'));
  assert.equal(res.json().username, '<b>carol</b>');
  assert.equal((await alice.delete(`${base}${encodeURIComponent('<b>carol</b>')}/`)).statusCode, 204);
  assert.equal((await bob.get(base)).statusCode, 404);
  assert.equal((await bob.post(base, { username: 'bob' })).statusCode, 404, 'no one adds themselves');
  assert.deepEqual(await names(), ['alice']);
});
