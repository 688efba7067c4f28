// Custom domains through the API and the dashboard: one input, one outcome — stored alike, or
// refused naming the same field with the same message (domain/domains.ts is their one home).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { listDomains } from '../../../src/db/domains.ts';
import { assertSameRefusal, postForm, type Twin } from '../../helpers/parity.ts';
import { parityPair, type ParityPair } from '../../helpers/parity-pair.ts';

let pair: ParityPair;
let alice: Twin;
let viaApi: string;
let viaPage: string;

before(async () => {
  pair = await parityPair('domains');
  ({ owner: alice, viaApi, viaPage } = pair);
});
after(() => pair.close());

const api = (body: Record<string, unknown>) => alice.api.post(`/api/v3/projects/${viaApi}/domains/`, body);
const form = (fields: Record<string, string>) => postForm(alice.form, `/dashboard/${viaPage}/domains/`, `/dashboard/${viaPage}/domains/create/`, fields);
const stored = async (slug: string) => {
  const project = await pair.project(slug);
  // The names differ by project (a name belongs to one): compare what comes before the project's part.
  return (await listDomains(pair.app.database.db, project.id, 100, 0)).rows.map((d) => [d.domain.split('.')[0], d.canonical, d.https, d.verifiedAt]);
};

test('the same domains are stored the same', async () => {
  assert.equal((await api({ domain: 'Docs.Api.Example', canonical: true, https: true })).statusCode, 201);
  assert.equal((await form({ domain: 'Docs.Page.Example', canonical: 'on', https: 'on' })).statusCode, 303);
  assert.equal((await api({ domain: 'www.api.example' })).statusCode, 201);
  assert.equal((await form({ domain: 'www.page.example' })).statusCode, 303);
  assert.deepEqual(await stored(viaPage), await stored(viaApi));
  assert.deepEqual(await stored(viaApi), [['docs', true, true, null], ['www', false, false, null]]);
});

test('refusals name the same field with the same message and status', async () => {
  const cases: Array<[string, string, Record<string, string>, number?]> = [
    ['domain', 'https://docs.example.com/', {}],
    ['domain', '127.0.0.1', {}],
    ['domain', 'localhost', {}],
    ['domain', `x.${pair.app.docsDomain}`, {}],
    ['domain', 'localhost:8000', {}],
    ['domain', 'docs.api.example', {}, 409],
    ['canonical', 'other.example', { canonical: 'on' }],
  ];
  for (const [field, domain, extra, status] of cases) {
    const body = { domain, ...(extra.canonical ? { canonical: true } : {}) };
    assertSameRefusal(await api(body), await form({ domain, ...extra }), field, status);
  }
  assert.equal((await stored(viaApi)).length, 2, 'nothing refused was stored');
  assert.equal((await stored(viaPage)).length, 2, 'nothing refused was stored');
});

test('changing canonical and https: PATCH and the edit form agree, and refuse a second canonical alike', async () => {
  const apiRes = await alice.api.patch(`/api/v3/projects/${viaApi}/domains/www.api.example/`, { canonical: true });
  const pageRes = await postForm(alice.form, `/dashboard/${viaPage}/domains/`, `/dashboard/${viaPage}/domains/www.page.example/edit/`, { canonical: 'on' });
  assertSameRefusal(apiRes, pageRes, 'canonical');

  assert.equal((await alice.api.patch(`/api/v3/projects/${viaApi}/domains/docs.api.example/`, { canonical: false, https: false })).statusCode, 200);
  assert.equal((await postForm(alice.form, `/dashboard/${viaPage}/domains/`, `/dashboard/${viaPage}/domains/docs.page.example/edit/`, {})).statusCode, 303);
  assert.equal((await alice.api.patch(`/api/v3/projects/${viaApi}/domains/www.api.example/`, { canonical: true, https: true })).statusCode, 200);
  assert.equal((await postForm(alice.form, `/dashboard/${viaPage}/domains/`, `/dashboard/${viaPage}/domains/www.page.example/edit/`, { canonical: 'on', https: 'on' })).statusCode, 303);
  assert.deepEqual(await stored(viaPage), await stored(viaApi));
  assert.deepEqual(await stored(viaApi), [['docs', false, false, null], ['www', true, true, null]]);
});
