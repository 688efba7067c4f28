// API v3 maintainers: list, invite by username (a maintainer once they accept), revoke an
// invitation, remove; a project always keeps one maintainer, and becoming or ceasing to be
// one is what opens or closes a private project to a user. Readers of a public project list
// its maintainers (as its `users` shows them); changes are 403 for them, 404 for a private one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, assertFieldError, importProject, type ApiClient } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { findUserByUsername } from '../../../src/db/users.ts';
import { acceptInvitation, userInvitations } from '../../../src/db/maintainer-invitations.ts';

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
  // Private: becoming a maintainer is what opens it to a user.
  assert.ok((await alice.patch(`/api/v3/projects/${slug}/`, { privacy_level: 'private' })).statusCode < 300);
  base = `/api/v3/projects/${slug}/maintainers/`;
});
after(async () => {
  await app.close();
  repo.remove();
});

const names = async (client = alice) => (await client.get(base)).json().results.map((m: { username: string }) => m.username);

/** `as` accepts their pending invitation to the project, as on their dashboard. */
async function acceptAs(username: string, project = slug): Promise<void> {
  const user = await findUserByUsername(app.database.db, username);
  const [invitation] = (await userInvitations(app.database.db, user!.id)).filter((i) => i.project.slug === project);
  assert.ok(invitation, `${username} has an invitation to ${project}`);
  assert.ok(await acceptInvitation(app.database.db, invitation.id, user!.id));
}

test('inviting a maintainer opens the project to them once they accept; removing closes it', async () => {
  assert.deepEqual(await names(), ['alice']);
  assert.equal((await bob.get(`/api/v3/projects/${slug}/`)).statusCode, 404);
  const res = await alice.post(base, { username: 'bob' });
  assert.equal(res.statusCode, 202, res.body);
  const invitation = res.json();
  assert.equal(invitation.username, 'bob');
  assert.equal(invitation.invited_by, 'alice');
  const days = (Date.parse(invitation.expires) - Date.now()) / 86400_000;
  assert.ok(days > 6.9 && days <= 7, `expires in 7 days: ${invitation.expires}`);
  assert.equal(invitation._links._self, `${app.publicUrl}/api/v3/projects/${slug}/invitations/bob/`);
  assert.equal((await bob.get(`/api/v3/projects/${slug}/`)).statusCode, 404, 'not before accepting');
  assert.deepEqual(await names(), ['alice']);
  assert.deepEqual((await alice.get(`/api/v3/projects/${slug}/invitations/`)).json().results.map((i: { username: string }) => i.username), ['bob']);

  await acceptAs('bob');
  assert.equal((await bob.get(`/api/v3/projects/${slug}/`)).statusCode, 200);
  assert.deepEqual(await names(bob), ['alice', 'bob']);
  assert.deepEqual((await alice.get(`/api/v3/projects/${slug}/`)).json().users, [{ username: 'alice' }, { username: 'bob' }]);
  assert.equal((await alice.get(`/api/v3/projects/${slug}/invitations/`)).json().count, 0);

  assert.equal((await bob.delete(`${base}alice/`)).statusCode, 204, 'any maintainer may remove another');
  assert.equal((await alice.get(`/api/v3/projects/${slug}/`)).statusCode, 404, 'alice lost access');
  assert.equal((await bob.post(base, { username: 'alice' })).statusCode, 202);
  await acceptAs('alice');
});

test('the last maintainer stays (409); unknown users and maintainers are refused; pending invitations can be revoked', async () => {
  assert.equal((await alice.delete(`${base}bob/`)).statusCode, 204);
  const last = await alice.delete(`${base}alice/`);
  assert.equal(last.statusCode, 409);
  assert.ok(last.json().username);
  assert.deepEqual(await names(), ['alice']);
  assertFieldError(await alice.post(base, { username: 'nobody' }), 'username');
  assertFieldError(await alice.post(base, {}), 'username');
  const dup = await alice.post(base, { username: 'alice' });
  assert.equal(dup.statusCode, 409);
  assert.equal((await alice.delete(`${base}bob/`)).statusCode, 404, 'not a maintainer');
  assert.equal((await alice.delete(`${base}nobody/`)).statusCode, 404);

  assert.equal((await alice.post(base, { username: 'bob' })).statusCode, 202);
  assert.equal((await alice.post(base, { username: 'bob' })).statusCode, 202, 'inviting again renews the invitation');
  assert.equal((await alice.get(`/api/v3/projects/${slug}/invitations/`)).json().count, 1);
  assert.equal((await bob.delete(`/api/v3/projects/${slug}/invitations/bob/`)).statusCode, 404, 'the invited user is no maintainer yet');
  assert.equal((await alice.delete(`/api/v3/projects/${slug}/invitations/bob/`)).statusCode, 204);
  assert.equal((await alice.delete(`/api/v3/projects/${slug}/invitations/bob/`)).statusCode, 404);
  assert.equal((await alice.get(`/api/v3/projects/${slug}/invitations/`)).json().count, 0);
});

test('usernames with markup are returned escaped; another user sees 404', async () => {
  const res = await alice.post(base, { username: '<b>carol</b>' });
  assert.equal(res.statusCode, 202);
  assert.ok(!res.body.includes('<b>'));
  assert.equal(res.json().username, '<b>carol</b>');
  assert.equal((await alice.delete(`/api/v3/projects/${slug}/invitations/${encodeURIComponent('<b>carol</b>')}/`)).statusCode, 204);
  assert.equal((await bob.get(base)).statusCode, 404);
  assert.equal((await bob.post(base, { username: 'bob' })).statusCode, 404, 'no one invites themselves');
  assert.equal((await bob.get(`/api/v3/projects/${slug}/invitations/`)).statusCode, 404);
  assert.deepEqual(await names(), ['alice']);
});

test('a public project: anyone lists its maintainers; others may not invite, revoke or remove (403)', async () => {
  const open = await importProject(alice, 'Open', repo.url);
  const openBase = `/api/v3/projects/${open}/maintainers/`;
  const anonymous = apiClient(app, {});
  for (const reader of [anonymous, bob]) assert.deepEqual((await reader.get(openBase)).json().results.map((m: { username: string }) => m.username), ['alice']);
  assert.equal((await anonymous.post(openBase, { username: 'bob' })).statusCode, 401);
  assert.equal((await bob.post(openBase, { username: 'bob' })).statusCode, 403, 'no one invites themselves');
  assert.equal((await bob.get(`/api/v3/projects/${open}/invitations/`)).statusCode, 403);
  assert.equal((await bob.delete(`${openBase}alice/`)).statusCode, 403);
  assert.equal((await anonymous.get(`/api/v3/projects/${open}/invitations/`)).statusCode, 401);
});
