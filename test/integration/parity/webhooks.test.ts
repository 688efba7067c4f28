// Outgoing webhooks through the API and the dashboard: one input, one outcome — stored alike, or
// refused naming the same field with the same message (domain/outgoing-webhooks.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { listProjectWebhooks } from '../../../src/db/project-webhooks.ts';
import { assertSameRefusal, postForm, type Twin } from '../../helpers/parity.ts';
import { parityPair, type ParityPair } from '../../helpers/parity-pair.ts';

let pair: ParityPair;
let alice: Twin;
let viaApi: string;
let viaPage: string;

before(async () => {
  pair = await parityPair('webhooks');
  ({ owner: alice, viaApi, viaPage } = pair);
});
after(() => pair.close());

const api = (body: Record<string, unknown>) => alice.api.post(`/api/v3/projects/${viaApi}/webhooks/`, body);
const form = (url: string, events: string[]) =>
  postForm(alice.form, `/dashboard/${viaPage}/webhooks/`, `/dashboard/${viaPage}/webhooks/create/`, [['url', url], ...events.map((e): [string, string] => ['events', e])]);
const stored = async (slug: string) => (await listProjectWebhooks(pair.app.database.db, (await pair.project(slug)).id)).map((h) => [h.url, h.events]);

test('the same hooks are stored the same (URL normalised alike)', async () => {
  assert.equal((await api({ url: 'https://Hooks.Example/build', events: ['build:failed'] })).statusCode, 201);
  // The dashboard shows the new hook's secret on the page it answers with.
  const page = await form('https://Hooks.Example/build', ['build:failed']);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /id="new-webhook-secret">[0-9a-f]{64}</);
  assert.equal((await api({ url: 'https://hooks.example/all', events: ['build:triggered', 'build:passed', 'build:failed'] })).statusCode, 201);
  assert.equal((await form('https://hooks.example/all', ['build:triggered', 'build:passed', 'build:failed'])).statusCode, 200);
  assert.deepEqual(await stored(viaApi), [['https://hooks.example/build', ['build:failed']], ['https://hooks.example/all', ['build:triggered', 'build:passed', 'build:failed']]]);
  assert.deepEqual(await stored(viaPage), await stored(viaApi));
});

test('refusals name the same field with the same message', async () => {
  const cases: Array<[string, string, string[]]> = [
    ['url', 'ftp://hooks.example/x', ['build:failed']],
    ['url', 'not a url', ['build:failed']],
    ['url', '', ['build:failed']],
    ['events', 'https://hooks.example/x', []],
    ['events', 'https://hooks.example/x', ['build:exploded']],
  ];
  for (const [field, url, events] of cases) assertSameRefusal(await api({ url, events }), await form(url, events), field);
  assert.equal((await stored(viaApi)).length, 2, 'nothing refused was stored');
  assert.equal((await stored(viaPage)).length, 2);
});

test('deleting: the same on both, and an unknown id is not found on both', async () => {
  const [apiFirst] = await listProjectWebhooks(pair.app.database.db, (await pair.project(viaApi)).id);
  const [pageFirst] = await listProjectWebhooks(pair.app.database.db, (await pair.project(viaPage)).id);
  assert.equal((await alice.api.delete(`/api/v3/projects/${viaApi}/webhooks/${apiFirst!.id}/`)).statusCode, 204);
  assert.equal((await postForm(alice.form, `/dashboard/${viaPage}/webhooks/`, `/dashboard/${viaPage}/webhooks/${pageFirst!.id}/delete/`, {})).statusCode, 303);
  assert.deepEqual(await stored(viaPage), await stored(viaApi));
  assert.equal((await stored(viaApi)).length, 1);
  assert.equal((await alice.api.delete(`/api/v3/projects/${viaApi}/webhooks/${apiFirst!.id}/`)).statusCode, 404);
  assert.equal((await postForm(alice.form, `/dashboard/${viaPage}/webhooks/`, `/dashboard/${viaPage}/webhooks/${pageFirst!.id}/delete/`, {})).statusCode, 404);
});
