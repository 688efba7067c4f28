// Attack: making someone a maintainer of a project they never agreed to (to pin a project
// and its builds on them, or to show a project under their name), or taking another user's
// invitation. Adding a maintainer is an invitation: nobody maintains alice's project until
// the invited user accepts it, by a CSRF-checked POST of their own session; the inviter,
// a third user and a cross-site form cannot accept it for them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { maintainerInvitations } from '../../src/db/schema.ts';
import { apiClient, importProject, type ApiClient } from '../helpers/api-client.ts';
import { FormClient } from '../helpers/browserless.ts';
import { makeGitRepo, type GitRepo } from '../helpers/git-repo.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let repo: GitRepo;
let alice: ApiClient;
let bob: FormClient;
let carol: FormClient;
let aliceWeb: FormClient;
let slug: string;

async function signUp(username: string): Promise<FormClient> {
  const client = new FormClient(app.web);
  const res = await client.submit('/accounts/signup/', '/accounts/signup/', { username, email: `${username}@example.com`, password: 'correct horse battery' });
  assert.equal(res.statusCode, 303, res.body);
  return client;
}

/** The ids of the invitations a user's /invitations/ page offers. */
async function offered(client: FormClient): Promise<string[]> {
  return [...(await client.get('/invitations/')).body.matchAll(/action="\/invitations\/(\d+)\/accept\/"/g)].map((m) => m[1]!);
}

const maintainers = async () => (await alice.get(`/api/v3/projects/${slug}/maintainers/`)).json().results.map((m: { username: string }) => m.username);

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' } });
  alice = apiClient(app);
  slug = await importProject(alice, 'Alices', repo.url);
  bob = await signUp('bob');
  carol = await signUp('carol');
  aliceWeb = await signUp('alice-web');
});
after(async () => {
  await app?.close();
  repo?.remove();
});

test("inviting bob makes no maintainer until bob accepts; nobody else can accept for him", async () => {
  const invited = await alice.post(`/api/v3/projects/${slug}/maintainers/`, { username: 'bob' });
  assert.equal(invited.statusCode, 202, invited.body);
  assert.deepEqual(await maintainers(), ['alice']);
  assert.equal((await bob.get(`/dashboard/${slug}/edit/`)).statusCode, 404, 'bob has no access yet');
  const [id] = await offered(bob);
  assert.ok(id, "the invitation is on bob's page");
  assert.match((await bob.get('/dashboard/')).body, /invited to maintain Alices/);

  // A third user sees nothing and cannot accept or decline bob's invitation.
  assert.deepEqual(await offered(carol), []);
  assert.equal((await carol.submit('/invitations/', `/invitations/${id}/accept/`, {})).statusCode, 404);
  assert.equal((await carol.submit('/invitations/', `/invitations/${id}/decline/`, {})).statusCode, 404);
  // Another signed-in user (not the invited one) cannot either, whatever the id.
  for (const other of [String(Number(id) + 1), '0', '99999999999', 'x']) {
    assert.equal((await carol.submit('/invitations/', `/invitations/${other}/accept/`, {})).statusCode, 404, other);
  }
  assert.equal((await aliceWeb.submit('/invitations/', `/invitations/${id}/accept/`, {})).statusCode, 404);
  assert.deepEqual(await maintainers(), ['alice'], 'neither bob nor carol became a maintainer');
  assert.equal((await carol.get(`/dashboard/${slug}/edit/`)).statusCode, 404);

  const accepted = await bob.submit('/invitations/', `/invitations/${id}/accept/`, {});
  assert.equal(accepted.statusCode, 303, accepted.body);
  assert.deepEqual(await maintainers(), ['alice', 'bob']);
  assert.equal((await bob.submit('/invitations/', `/invitations/${id}/accept/`, {})).statusCode, 404, 'used once');
});

test('bob cannot be forced: no accepting without his CSRF token, from another site, by GET, or after expiry', async () => {
  assert.equal((await alice.delete(`/api/v3/projects/${slug}/maintainers/bob/`)).statusCode, 204);
  assert.equal((await alice.post(`/api/v3/projects/${slug}/maintainers/`, { username: 'bob' })).statusCode, 202);
  const [id] = await offered(bob);
  // A form on an attacker's page, submitted by bob's browser with his cookies.
  assert.equal((await bob.submit('/invitations/', `/invitations/${id}/accept/`, {}, { csrf: null })).statusCode, 403);
  assert.equal((await bob.submit('/invitations/', `/invitations/${id}/accept/`, {}, { csrf: 'A'.repeat(32) })).statusCode, 403);
  assert.equal((await bob.submit('/invitations/', `/invitations/${id}/accept/`, {}, { headers: { origin: 'https://evil.example' } })).statusCode, 403);
  // A link (GET) does nothing.
  assert.equal((await bob.get(`/invitations/${id}/accept/`)).statusCode, 404);
  // Anonymous: sent to log in, nothing accepted.
  const anonymous = await app.web.inject({ method: 'POST', url: `/invitations/${id}/accept/`, payload: 'csrf=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(anonymous.statusCode, 303);
  assert.deepEqual(await maintainers(), ['alice']);

  // Expired invitations cannot be accepted.
  await app.database.db.update(maintainerInvitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(maintainerInvitations.id, Number(id)));
  assert.deepEqual(await offered(bob), [], 'an expired invitation is not offered');
  assert.equal((await bob.submit('/invitations/', `/invitations/${id}/accept/`, {})).statusCode, 404);
  assert.deepEqual(await maintainers(), ['alice']);
});

test('bob may decline; alice may revoke; neither leaves a maintainer behind', async () => {
  assert.equal((await alice.post(`/api/v3/projects/${slug}/maintainers/`, { username: 'bob' })).statusCode, 202);
  const [id] = await offered(bob);
  assert.equal((await bob.submit('/invitations/', `/invitations/${id}/decline/`, {})).statusCode, 303);
  assert.deepEqual(await offered(bob), []);
  assert.equal((await alice.post(`/api/v3/projects/${slug}/maintainers/`, { username: 'carol' })).statusCode, 202);
  const [carols] = await offered(carol);
  assert.equal((await alice.delete(`/api/v3/projects/${slug}/invitations/carol/`)).statusCode, 204);
  assert.equal((await carol.submit('/invitations/', `/invitations/${carols}/accept/`, {})).statusCode, 404);
  assert.deepEqual(await maintainers(), ['alice']);
  // Invitations are only the maintainers' business: bob, not a maintainer of this public
  // project, is refused (403, as Read the Docs answers a reader's write) and invites no one.
  const bobToken = apiClient(app, (await app.newUser('bob-api')).auth);
  assert.equal((await bobToken.get(`/api/v3/projects/${slug}/invitations/`)).statusCode, 403);
  assert.equal((await bobToken.post(`/api/v3/projects/${slug}/maintainers/`, { username: 'bob-api' })).statusCode, 403);
  assert.deepEqual((await alice.get(`/api/v3/projects/${slug}/invitations/`)).json().count, 0, 'nobody invited');
});
