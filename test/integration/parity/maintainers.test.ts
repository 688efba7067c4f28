// Maintainers and invitations through the API and the dashboard: one input, one outcome —
// invited alike, or refused naming the same field with the same message (domain/maintainers.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { projectInvitations } from '../../../src/db/maintainer-invitations.ts';
import { listMaintainers } from '../../../src/db/maintainers.ts';
import { assertSameRefusal, postForm, twin, type Twin } from '../../helpers/parity.ts';
import { parityPair, type ParityPair } from '../../helpers/parity-pair.ts';

let pair: ParityPair;
let alice: Twin;
let viaApi: string;
let viaPage: string;

before(async () => {
  pair = await parityPair('maintainers');
  ({ owner: alice, viaApi, viaPage } = pair);
  await twin(pair.app, 'bob');
});
after(() => pair.close());

const api = (username: string) => alice.api.post(`/api/v3/projects/${viaApi}/maintainers/`, { username });
const form = (username: string) => postForm(alice.form, `/dashboard/${viaPage}/users/`, `/dashboard/${viaPage}/users/create/`, { username });
const invited = async (slug: string) => (await projectInvitations(pair.app.database.db, (await pair.project(slug)).id)).map((i) => [i.username, i.invitedBy]);
const maintainers = async (slug: string) => (await listMaintainers(pair.app.database.db, (await pair.project(slug)).id, 100, 0)).rows.map((m) => m.username);

test('the same invitation is stored the same; inviting again renews it on both', async () => {
  assert.equal((await api('bob')).statusCode, 202);
  assert.equal((await form('bob')).statusCode, 303);
  assert.equal((await api('bob')).statusCode, 202);
  assert.equal((await form('bob')).statusCode, 303);
  assert.deepEqual(await invited(viaApi), [['bob', alice.user.username]]);
  assert.deepEqual(await invited(viaPage), await invited(viaApi));
});

test('refusals name the same field with the same message and status', async () => {
  assertSameRefusal(await api('nobody'), await form('nobody'), 'username');
  assertSameRefusal(await api(''), await form(''), 'username');
  assertSameRefusal(await api(alice.user.username), await form(alice.user.username), 'username', 409);
  // The last maintainer stays, on both.
  const apiRes = await alice.api.delete(`/api/v3/projects/${viaApi}/maintainers/${alice.user.username}/`);
  const pageRes = await postForm(alice.form, `/dashboard/${viaPage}/users/`, `/dashboard/${viaPage}/users/delete/`, { username: alice.user.username });
  assertSameRefusal(apiRes, pageRes, 'username', 409);
  assert.deepEqual(await maintainers(viaApi), [alice.user.username]);
  assert.deepEqual(await maintainers(viaPage), [alice.user.username]);
});

test('revoking: the same on both, and an invitation that is not there is not found on both', async () => {
  assert.equal((await alice.api.delete(`/api/v3/projects/${viaApi}/invitations/bob/`)).statusCode, 204);
  assert.equal((await postForm(alice.form, `/dashboard/${viaPage}/users/`, `/dashboard/${viaPage}/users/invitations/revoke/`, { username: 'bob' })).statusCode, 303);
  assert.deepEqual(await invited(viaApi), []);
  assert.deepEqual(await invited(viaPage), []);
  assert.equal((await alice.api.delete(`/api/v3/projects/${viaApi}/invitations/bob/`)).statusCode, 404);
  assert.equal((await postForm(alice.form, `/dashboard/${viaPage}/users/`, `/dashboard/${viaPage}/users/invitations/revoke/`, { username: 'bob' })).statusCode, 404);
});
