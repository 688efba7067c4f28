// Incoming webhook integrations through the API and the dashboard: one input, one outcome —
// created alike, or refused naming the same field with the same message (domain/integrations.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { listIntegrations } from '../../../src/db/integrations.ts';
import { assertSameRefusal, postForm, type Twin } from '../../helpers/parity.ts';
import { parityPair, type ParityPair } from '../../helpers/parity-pair.ts';

let pair: ParityPair;
let alice: Twin;
let viaApi: string;
let viaPage: string;

before(async () => {
  pair = await parityPair('integrations');
  ({ owner: alice, viaApi, viaPage } = pair);
});
after(() => pair.close());

const api = (type: string) => alice.api.post(`/api/v3/projects/${viaApi}/integrations/`, { type });
const form = (provider: string) => postForm(alice.form, `/dashboard/${viaPage}/integrations/`, `/dashboard/${viaPage}/integrations/create/`, { provider });
const stored = async (slug: string) => (await listIntegrations(pair.app.database.db, (await pair.project(slug)).id)).map((i) => [i.provider, /^[0-9a-f]{64}$/.test(i.secret)]);

test('the same integrations are created the same, each with a fresh secret', async () => {
  for (const provider of ['github', 'generic']) {
    assert.equal((await api(provider)).statusCode, 201);
    assert.equal((await form(provider)).statusCode, 303);
  }
  assert.deepEqual(await stored(viaApi), [['github', true], ['generic', true]]);
  assert.deepEqual(await stored(viaPage), await stored(viaApi));
});

test('an unknown provider is refused naming the same field with the same message', async () => {
  for (const provider of ['svn', '']) assertSameRefusal(await api(provider), await form(provider), 'type');
  assert.equal((await stored(viaApi)).length, 2, 'nothing refused was stored');
  assert.equal((await stored(viaPage)).length, 2);
});

test('deleting: the same on both, and an unknown id is not found on both', async () => {
  const [apiFirst] = await listIntegrations(pair.app.database.db, (await pair.project(viaApi)).id);
  const [pageFirst] = await listIntegrations(pair.app.database.db, (await pair.project(viaPage)).id);
  assert.equal((await alice.api.delete(`/api/v3/projects/${viaApi}/integrations/${apiFirst!.id}/`)).statusCode, 204);
  assert.equal((await postForm(alice.form, `/dashboard/${viaPage}/integrations/`, `/dashboard/${viaPage}/integrations/${pageFirst!.id}/delete/`, {})).statusCode, 303);
  assert.deepEqual(await stored(viaApi), [['generic', true]]);
  assert.deepEqual(await stored(viaPage), await stored(viaApi));
  assert.equal((await alice.api.delete(`/api/v3/projects/${viaApi}/integrations/${apiFirst!.id}/`)).statusCode, 404);
  assert.equal((await postForm(alice.form, `/dashboard/${viaPage}/integrations/`, `/dashboard/${viaPage}/integrations/${pageFirst!.id}/delete/`, {})).statusCode, 404);
});
