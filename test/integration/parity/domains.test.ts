// Custom domains through the API and the dashboard: one input, one outcome — stored alike, or
// refused naming the same field with the same message (domain/domains.ts is their one home):
// names, canonical and https, HSTS, extra headers, and the administrators' "verified".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { listDomains } from '../../../src/db/domains.ts';
import { listDomainHeaders } from '../../../src/db/domain-headers.ts';
import { users } from '../../../src/db/schema.ts';
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

const full = async (slug: string) => {
  const project = await pair.project(slug);
  return (await listDomains(pair.app.database.db, project.id, 100, 0)).rows.map((d) => [d.domain.split('.')[0], d.hstsMaxAge, d.hstsIncludeSubdomains, d.hstsPreload, d.verifiedAt !== null]);
};
const edit = (domain: string, fields: Record<string, string>) => postForm(alice.form, `/dashboard/${viaPage}/domains/`, `/dashboard/${viaPage}/domains/${domain}/edit/`, fields);

test('HSTS settings: PATCH and the edit form store the same, and refuse a negative max-age alike', async () => {
  const apiRes = await alice.api.patch(`/api/v3/projects/${viaApi}/domains/docs.api.example/`, { hsts_max_age: 31536000, hsts_include_subdomains: true, hsts_preload: true });
  assert.equal(apiRes.statusCode, 200, apiRes.body);
  assert.deepEqual([apiRes.json().hsts_max_age, apiRes.json().hsts_include_subdomains, apiRes.json().hsts_preload], [31536000, true, true]);
  assert.equal((await edit('docs.page.example', { hsts_max_age: '31536000', hsts_include_subdomains: 'on', hsts_preload: 'on' })).statusCode, 303);
  assert.deepEqual(await full(viaPage), await full(viaApi));
  assert.deepEqual((await full(viaApi))[0], ['docs', 31536000, true, true, false]);
  assertSameRefusal(
    await alice.api.patch(`/api/v3/projects/${viaApi}/domains/docs.api.example/`, { hsts_max_age: -1 }),
    await edit('docs.page.example', { hsts_max_age: '-1' }),
    'hsts_max_age',
  );
  assert.equal((await full(viaApi))[0]![1], 31536000, 'nothing refused was stored');
});

test('extra headers: added and removed alike through the API and the dashboard; names from Read the Docs\' list, one-line values', async () => {
  const base = `/api/v3/projects/${viaApi}/domains/docs.api.example/headers/`;
  const added = await alice.api.post(base, { name: 'x_frame_options', value: 'DENY', only_if_secure_request: true });
  assert.equal(added.statusCode, 201, added.body);
  assert.deepEqual([added.json().name, added.json().header, added.json().value, added.json().only_if_secure_request], ['x_frame_options', 'X-Frame-Options', 'DENY', true]);
  const page = await postForm(alice.form, `/dashboard/${viaPage}/domains/`, `/dashboard/${viaPage}/domains/docs.page.example/headers/create/`, { name: 'x_frame_options', value: 'DENY', only_if_secure_request: 'on' });
  assert.equal(page.statusCode, 303, page.body.slice(0, 300));
  const headersOf = async (slug: string, domain: string) => {
    const d = (await listDomains(pair.app.database.db, (await pair.project(slug)).id, 100, 0)).rows.find((r) => r.domain === domain)!;
    return (await listDomainHeaders(pair.app.database.db, d.id)).map((h) => [h.name, h.value, h.onlyIfSecureRequest, h.id]);
  };
  const apiHeaders = await headersOf(viaApi, 'docs.api.example');
  const pageHeaders = await headersOf(viaPage, 'docs.page.example');
  assert.deepEqual(pageHeaders.map((h) => h.slice(0, 3)), apiHeaders.map((h) => h.slice(0, 3)));
  assert.deepEqual(apiHeaders.map((h) => h.slice(0, 3)), [['X-Frame-Options', 'DENY', true]]);
  assert.equal((await alice.api.get(base)).json().results.length, 1);

  const pagePost = (fields: Record<string, string>) => postForm(alice.form, `/dashboard/${viaPage}/domains/`, `/dashboard/${viaPage}/domains/docs.page.example/headers/create/`, fields);
  for (const [field, bad] of [['value', { name: 'referrer_policy', value: 'a\r\nSet-Cookie: x=1' }], ['value', { name: 'referrer_policy', value: '   ' }], ['value', { name: 'referrer_policy', value: 'x'.repeat(4097) }]] as const) {
    assertSameRefusal(await alice.api.post(base, bad), await pagePost(bad), field);
  }
  // A name outside the list: the API's schema refuses it, the dashboard with the domain's words.
  assert.equal((await alice.api.post(base, { name: 'set_cookie', value: 'x' })).statusCode, 400);
  const pageBad = await pagePost({ name: 'set_cookie', value: 'x' });
  assert.equal(pageBad.statusCode, 400);
  assert.match(pageBad.body, /is not a valid choice/);
  assert.equal((await headersOf(viaApi, 'docs.api.example')).length, 1, 'nothing refused was stored');

  assert.equal((await alice.api.delete(`${base}${apiHeaders[0]![3]}/`)).statusCode, 204);
  assert.equal((await alice.api.delete(`${base}${apiHeaders[0]![3]}/`)).statusCode, 404);
  // Another domain's header id is not this domain's.
  assert.equal((await alice.api.delete(`/api/v3/projects/${viaApi}/domains/www.api.example/headers/${pageHeaders[0]![3]}/`)).statusCode, 404);
  assert.equal((await postForm(alice.form, `/dashboard/${viaPage}/domains/`, `/dashboard/${viaPage}/domains/docs.page.example/headers/${pageHeaders[0]![3]}/delete/`, {})).statusCode, 303);
  assert.deepEqual(await headersOf(viaPage, 'docs.page.example'), await headersOf(viaApi, 'docs.api.example'));
  assert.deepEqual(await headersOf(viaApi, 'docs.api.example'), []);
});

test('verified without proof: only an instance administrator, through either adapter; others get 403 naming verified', async () => {
  const refused = await alice.api.patch(`/api/v3/projects/${viaApi}/domains/www.api.example/`, { verified: true });
  assert.equal(refused.statusCode, 403);
  assert.match(refused.body, /verified/);
  const refusedPage = await postForm(alice.form, `/dashboard/${viaPage}/domains/`, `/dashboard/${viaPage}/domains/www.page.example/mark-verified/`, {});
  assert.equal(refusedPage.statusCode, 403);
  assert.deepEqual((await full(viaApi)).map((d) => d[4]), [false, false]);
  // The dashboard offers the button to administrators only.
  assert.doesNotMatch((await alice.form.get(`/dashboard/${viaPage}/domains/`)).body, /mark-verified/);

  await pair.app.database.db.update(users).set({ isAdmin: true }).where(eq(users.id, alice.user.id));
  try {
    assert.match((await alice.form.get(`/dashboard/${viaPage}/domains/`)).body, /mark-verified/);
    const ok = await alice.api.patch(`/api/v3/projects/${viaApi}/domains/www.api.example/`, { verified: true });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().verified, true);
    assert.equal((await postForm(alice.form, `/dashboard/${viaPage}/domains/`, `/dashboard/${viaPage}/domains/www.page.example/mark-verified/`, {})).statusCode, 303);
    assert.deepEqual((await full(viaPage)).map((d) => d[4]), (await full(viaApi)).map((d) => d[4]));
    assert.deepEqual((await full(viaApi)).map((d) => d[4]), [false, true]);
  } finally {
    await pair.app.database.db.update(users).set({ isAdmin: false }).where(eq(users.id, alice.user.id));
  }
});
