// Redirects through the API and the dashboard: one input, one outcome — stored alike, or refused
// naming the same field with the same message (domain/redirects.ts is the one home of the rules).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { listRedirects } from '../../../src/db/redirects.ts';
import { assertSameRefusal, postForm, type Twin } from '../../helpers/parity.ts';
import { parityPair, type ParityPair } from '../../helpers/parity-pair.ts';

let pair: ParityPair;
let alice: Twin;
let viaApi: string;
let viaPage: string;

before(async () => {
  pair = await parityPair('redirects');
  ({ owner: alice, viaApi, viaPage } = pair);
});
after(() => pair.close());

const api = (body: Record<string, unknown>) => alice.api.post(`/api/v3/projects/${viaApi}/redirects/`, body);
const form = (fields: Record<string, string>) =>
  postForm(alice.form, `/dashboard/${viaPage}/redirects/`, `/dashboard/${viaPage}/redirects/create/`, { http_status: '302', enabled: 'on', description: '', ...fields });
const stored = async (slug: string) => {
  const project = await pair.project(slug);
  return (await listRedirects(pair.app.database.db, project.id, 100, 0)).rows.map(({ type, fromUrl, toUrl, httpStatus, force, enabled, description, position }) => ({ type, fromUrl, toUrl, httpStatus, force, enabled, description, position }));
};

test('the same redirects are stored the same, in the same order', async () => {
  assert.equal((await api({ type: 'page', from_url: '/old.html', to_url: '/new.html', http_status: 301, force: true, description: 'moved' })).statusCode, 201);
  assert.equal((await form({ type: 'page', from_url: '/old.html', to_url: '/new.html', http_status: '301', force: 'on', description: 'moved' })).statusCode, 303);
  assert.equal((await api({ type: 'exact', from_url: '/en/v1/*', to_url: 'https://example.com/:splat' })).statusCode, 201);
  assert.equal((await form({ type: 'exact', from_url: '/en/v1/*', to_url: 'https://example.com/:splat' })).statusCode, 303);
  assert.equal((await api({ type: 'clean_url_to_html', from_url: '/ignored', to_url: '/ignored' })).statusCode, 201);
  assert.equal((await form({ type: 'clean_url_to_html', from_url: '/ignored', to_url: '/ignored' })).statusCode, 303);
  const byApi = await stored(viaApi);
  assert.equal(byApi.length, 3);
  assert.deepEqual(await stored(viaPage), byApi);
  assert.deepEqual(byApi[0], { type: 'clean_url_to_html', fromUrl: '', toUrl: '', httpStatus: 302, force: false, enabled: true, description: '', position: 0 }, 'implied URLs are not kept');
});

test('refusals name the same field with the same message', async () => {
  const cases: Array<[string, Record<string, unknown>, Record<string, string>]> = [
    ['from_url', { type: 'page', from_url: '/a*/b', to_url: '/b' }, { type: 'page', from_url: '/a*/b', to_url: '/b' }],
    ['from_url', { type: 'page', from_url: '/a/$rest', to_url: '/b' }, { type: 'page', from_url: '/a/$rest', to_url: '/b' }],
    ['from_url', { type: 'exact', from_url: 'no-slash', to_url: '/b' }, { type: 'exact', from_url: 'no-slash', to_url: '/b' }],
    ['to_url', { type: 'page', from_url: '/a', to_url: '/b/:splat' }, { type: 'page', from_url: '/a', to_url: '/b/:splat' }],
    ['to_url', { type: 'page', from_url: '/a', to_url: '//evil.example/' }, { type: 'page', from_url: '/a', to_url: '//evil.example/' }],
    ['to_url', { type: 'page', from_url: '/a', to_url: 'javascript:alert(1)' }, { type: 'page', from_url: '/a', to_url: 'javascript:alert(1)' }],
    ['type', { type: 'prefix', from_url: '/a/' }, { type: 'prefix', from_url: '/a/' }],
    ['type', { type: 'clean_url_to_html' }, { type: 'clean_url_to_html' }],
    ['http_status', { type: 'page', from_url: '/a', to_url: '/b', http_status: 307 }, { type: 'page', from_url: '/a', to_url: '/b', http_status: '307' }],
    ['description', { type: 'page', from_url: '/a', to_url: '/b', description: 'd'.repeat(256) }, { type: 'page', from_url: '/a', to_url: '/b', description: 'd'.repeat(256) }],
  ];
  const before = [await stored(viaApi), await stored(viaPage)];
  for (const [field, body, fields] of cases) assertSameRefusal(await api(body), await form(fields), field);
  assert.deepEqual([await stored(viaApi), await stored(viaPage)], before, 'nothing refused was stored');
});

test('editing: the same change is refused alike on PATCH and on the edit form', async () => {
  const project = await pair.project(viaPage);
  const [row] = (await listRedirects(pair.app.database.db, project.id, 100, 0)).rows.filter((r) => r.type === 'page');
  const apiRes = await alice.api.patch(`/api/v3/projects/${viaPage}/redirects/${row!.id}/`, { from_url: '/x*y' });
  const pageRes = await postForm(alice.form, `/dashboard/${viaPage}/redirects/${row!.id}/edit/`, `/dashboard/${viaPage}/redirects/${row!.id}/edit/`, {
    type: 'page', from_url: '/x*y', to_url: row!.toUrl, http_status: String(row!.httpStatus), enabled: 'on', description: '',
  });
  assertSameRefusal(apiRes, pageRes, 'from_url');
});
