// Attack: forged X-Forwarded-Host / -For / -Proto from a client that is not a configured
// proxy. With no TRUST_PROXY (the default, even for a local client of `bindery serve`) they
// must not change which project is served, the host written into sitemaps and robots.txt,
// what the docs caches hold for the next honest reader, or the address login throttling
// counts. From a configured proxy they are used.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { requestHost, trustedProxies } from '../../src/cli/serve.ts';
import { createDocsApp } from '../../src/docs/app.ts';
import { FormClient } from '../helpers/browserless.ts';
import { docsFixture, type DocsFixture } from '../helpers/docs-fixture.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';

let f: DocsFixture;
let proxied: FastifyInstance;
let web: TestApp;
let webBehindProxy: TestApp;

const GUIDE = 'guide.docs.localhost';
const EVIL = 'evil.docs.localhost';

before(async () => {
  // The default configuration: what `bindery serve` runs with when nothing is set.
  assert.deepEqual(loadConfig({}, {}, '/srv/bindery').trustProxy, [], 'no proxy is trusted by default');
  f = await docsFixture({ cacheTtlMs: 60_000 });
  for (const slug of ['guide', 'evil']) {
    const p = await f.project(slug);
    await f.deploy(p, await f.version(p, 'latest'), { 'index.html': `<p>${slug} home</p>\n` });
  }
  // The same database and storage behind a proxy on loopback (TRUST_PROXY=127.0.0.1).
  proxied = await createDocsApp({ db: f.database.db, storage: f.storage, docsDomain: f.docsDomain, previewDomain: 'previews.localhost', log: false, trustProxy: ['127.0.0.1'], cacheTtlMs: 60_000 });
  web = await testApp({ builder: false });
  webBehindProxy = await testApp({ builder: false, trustProxy: ['127.0.0.1'] });
});
after(async () => {
  await proxied?.close();
  await f?.close();
  await web?.close();
  await webBehindProxy?.close();
});

const forged = { 'x-forwarded-host': EVIL, 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.66' };

test('a local client without TRUST_PROXY cannot choose the project with X-Forwarded-Host', async () => {
  // inject() connects from 127.0.0.1: a local user of the machine, not a proxy.
  const page = await f.docs.inject({ url: '/en/latest/', headers: { host: GUIDE, ...forged } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /guide home/);
  assert.doesNotMatch(page.body, /evil/);
  const unknownHost = await f.docs.inject({ url: '/en/latest/', headers: { host: 'nothing.docs.localhost', ...forged } });
  assert.equal(unknownHost.statusCode, 404, 'a forged header does not turn an unknown host into a project');
  const root = await f.docs.inject({ url: '/', headers: { host: GUIDE, ...forged } });
  assert.equal(root.statusCode, 302);
  assert.doesNotMatch(root.headers.location ?? '', /evil|https:/);
});

test('sitemap.xml and robots.txt name the real host and scheme, not the forged ones', async () => {
  const sitemap = await f.docs.inject({ url: '/sitemap.xml', headers: { host: GUIDE, ...forged } });
  assert.equal(sitemap.statusCode, 200);
  assert.match(sitemap.body, /<loc>http:\/\/guide\.docs\.localhost\/en\/latest\/<\/loc>/);
  assert.doesNotMatch(sitemap.body, /evil|https:/);
  const robots = await f.docs.inject({ url: '/robots.txt', headers: { host: GUIDE, ...forged } });
  assert.match(robots.body, /Sitemap: http:\/\/guide\.docs\.localhost\/sitemap\.xml/);
  assert.doesNotMatch(robots.body, /evil/);
});

test('a forged request does not poison the caches for the next honest reader', async () => {
  // Forged first, for both hosts, so any cache keyed on the forged value would be filled wrongly.
  for (const host of [GUIDE, EVIL]) {
    await f.docs.inject({ url: '/en/latest/', headers: { host, 'x-forwarded-host': host === GUIDE ? EVIL : GUIDE } });
    await f.docs.inject({ url: '/sitemap.xml', headers: { host, 'x-forwarded-host': host === GUIDE ? EVIL : GUIDE } });
  }
  for (const [host, slug] of [[GUIDE, 'guide'], [EVIL, 'evil']] as const) {
    const honest = await f.docs.inject({ url: '/en/latest/', headers: { host } });
    assert.match(honest.body, new RegExp(`${slug} home`), host);
    const sitemap = await f.docs.inject({ url: '/sitemap.xml', headers: { host } });
    assert.match(sitemap.body, new RegExp(`http://${slug}\\.docs\\.localhost/en/latest/`), host);
  }
});

test("`bindery serve`'s dispatch believes X-Forwarded-Host only from a configured proxy", async () => {
  // The real socket path of serve.ts: the app a request goes to is chosen from this host.
  const seen: string[] = [];
  const trusted = trustedProxies(loadConfig({}, {}, '/srv/bindery').trustProxy);
  const server = http.createServer((req, res) => {
    seen.push(requestHost(req, trusted));
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/', headers: { host: 'localhost:8000', 'x-forwarded-host': EVIL } }, (res) => res.resume().on('end', resolve)).on('error', reject);
  });
  await new Promise((resolve) => server.close(resolve));
  assert.deepEqual(seen, ['localhost:8000']);
});

/** One failed log-in as `username`, from `remoteAddress`, with extra headers. */
async function failLogin(app: TestApp, username: string, remoteAddress: string, headers: Record<string, string> = {}) {
  const client = new FormClient(app.web);
  const csrf = FormClient.csrfOf((await client.get('/accounts/login/')).body);
  return app.web.inject({
    method: 'POST', url: '/accounts/login/', remoteAddress,
    payload: new URLSearchParams({ username, password: 'wrong password!', csrf }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...headers },
  });
}

test('a new X-Forwarded-For on every try does not escape login throttling', async () => {
  // Another username each time, so only the per-address limit can stop the guessing.
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) statuses.push((await failLogin(web, `victim${i}`, '203.0.113.50', { 'x-forwarded-for': `198.51.100.${i + 1}` })).statusCode);
  assert.deepEqual(statuses, [400, 400, 400, 400, 400, 429, 429]);
  // Another real address is not affected.
  assert.equal((await failLogin(web, 'victim-other', '203.0.113.51')).statusCode, 400);
});

test('from a configured proxy, X-Forwarded-For names the client and X-Forwarded-Host/-Proto the site', async () => {
  // Behind the proxy (127.0.0.1), each client has its own count.
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await failLogin(webBehindProxy, `someone${i}`, '127.0.0.1', { 'x-forwarded-for': '198.51.100.7' })).statusCode);
  assert.deepEqual(statuses, [400, 400, 400, 400, 400, 429]);
  assert.equal((await failLogin(webBehindProxy, 'someone-else', '127.0.0.1', { 'x-forwarded-for': '198.51.100.8' })).statusCode, 400, 'another client behind the same proxy');

  const page = await proxied.inject({ url: '/en/latest/', headers: { host: '127.0.0.1:8000', 'x-forwarded-host': GUIDE } });
  assert.match(page.body, /guide home/);
  const sitemap = await proxied.inject({ url: '/sitemap.xml', headers: { host: '127.0.0.1:8000', 'x-forwarded-host': GUIDE, 'x-forwarded-proto': 'https' } });
  assert.match(sitemap.body, /<loc>https:\/\/guide\.docs\.localhost\/en\/latest\/<\/loc>/);
  // The same forged headers from an address that is not the proxy are still ignored.
  const outsider = await proxied.inject({ url: '/en/latest/', remoteAddress: '203.0.113.9', headers: { host: GUIDE, 'x-forwarded-host': EVIL } });
  assert.match(outsider.body, /guide home/);
});
