// API v3 custom domains: add (answers the verification token), verify through a real HTTP
// token file or a real DNS TXT record (local servers on 127.0.0.1), served only once
// verified; names are checked and punycoded; private addresses are refused unless allowed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { servedProjectByDomain } from '../../../src/db/serving.ts';
import { normalizeDomain, verifyDomain } from '../../../src/domain/domain-verification.ts';
import { apiClient, assertFieldError, importProject, type ApiClient } from '../../helpers/api-client.ts';
import { startDnsServer, type DnsServer } from '../../helpers/dns-server.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
let repo: GitRepo;
let client: ApiClient;
let slug: string;
let base: string;
let dns: DnsServer;
let web: http.Server;
let port: number;
/** What the local web server answers at the token path, by Host. */
const files = new Map<string, string>();

before(async () => {
  dns = await startDnsServer();
  web = http.createServer((req, res) => {
    const body = req.url === '/.well-known/bindery-verification.txt' ? files.get((req.headers.host ?? '').replace(/:\d+$/, '')) : undefined;
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/plain' }).end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  port = (web.address() as AddressInfo).port;
  app = await testApp({ builder: false, web: { domainVerification: { httpPort: port, dnsServers: [dns.address], allowPrivateAddresses: true, timeoutMs: 2000 } } });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' } });
  client = apiClient(app);
  slug = await importProject(client, 'Domains', repo.url);
  base = `/api/v3/projects/${slug}/domains/`;
});
after(async () => {
  await app.close();
  await dns.close();
  await new Promise((resolve) => web.close(resolve));
  repo.remove();
});

const projectId = async () => (await client.get(`/api/v3/projects/${slug}/`)).json().id;

test('add answers a verification token; verify fails with reasons until the HTTP token file is there', async () => {
  const res = await client.post(base, { domain: 'Docs.Alpha.localhost' });
  assert.equal(res.statusCode, 201, res.body);
  const added = res.json();
  assert.equal(added.domain, 'docs.alpha.localhost');
  assert.equal(added.verified, false);
  assert.match(added.verification_token, /^bindery-verify-[A-Za-z0-9_-]{32}$/);
  assert.deepEqual(added.verification, { http: 'http://docs.alpha.localhost/.well-known/bindery-verification.txt', dns_txt: '_bindery.docs.alpha.localhost' });
  assert.equal(await servedProjectByDomain(app.database.db, 'docs.alpha.localhost'), null, 'not served before verification');

  const early = await client.post(`${base}docs.alpha.localhost/verify/`);
  assert.equal(early.statusCode, 400);
  assert.equal(early.json().domain.length, 1, early.body);
  assert.match(early.json().domain[0], /http: .*404.*; dns: /, `both proofs failed, with their reasons: ${early.body}`);

  files.set('docs.alpha.localhost', 'bindery-verify-not-the-token');
  assert.equal((await client.post(`${base}docs.alpha.localhost/verify/`)).statusCode, 400, 'a wrong token does not verify');

  files.set('docs.alpha.localhost', `${added.verification_token}\n`);
  const ok = await client.post(`${base}docs.alpha.localhost/verify/`);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().verified, true);
  assert.equal(ok.json().verified_by, 'http');
  assert.ok(Date.parse(ok.json().verified_at) <= Date.now());
  assert.equal((await servedProjectByDomain(app.database.db, 'docs.alpha.localhost'))?.slug, slug, 'served once verified');
  assert.equal((await client.get(`${base}docs.alpha.localhost/`)).json().verified, true);
});

test('a DNS TXT record at _bindery.<domain> verifies too', async () => {
  const added = (await client.post(base, { domain: 'docs.beta.localhost' })).json();
  dns.txt.set('_bindery.docs.beta.localhost', ['unrelated', added.verification_token]);
  const ok = await client.post(`${base}docs.beta.localhost/verify/`);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().verified_by, 'dns');
});

test("names are checked, stored in punycode, unique across projects; canonical is one per project (Read the Docs' rule)", async () => {
  for (const domain of ['http://x.example', 'x.example:80', 'x.example/path', '1.2.3.4', 'localhost', 'a..example', '-a.example', 'a_b.example', '<script>.example', `${slug}.docs.localhost`, 'docs.localhost', ' '])
    assertFieldError(await client.post(base, { domain }), 'domain', domain);
  const idn = await client.post(base, { domain: 'Bücher.example' });
  assert.equal(idn.statusCode, 201, idn.body);
  assert.equal(idn.json().domain, 'xn--bcher-kva.example');
  assert.equal((await client.get(`${base}b%C3%BCcher.example/`)).statusCode, 200, 'found by its unicode name too');
  const other = await importProject(client, 'Domains two', repo.url);
  const clash = await client.post(`/api/v3/projects/${other}/domains/`, { domain: 'xn--bcher-kva.example' });
  assert.equal(clash.statusCode, 409);
  assert.ok(clash.json().domain);

  assert.equal((await client.post(base, { domain: 'one.example', canonical: true })).statusCode, 201);
  const second = await client.post(base, { domain: 'two.example', canonical: true });
  assert.equal(second.statusCode, 400);
  assert.deepEqual(second.json(), { canonical: ['Only one domain can be canonical at a time.'] });
  assert.equal((await client.post(base, { domain: 'two.example', https: true })).json().https, true);
  assertFieldError(await client.patch(`${base}two.example/`, { canonical: true }), 'canonical', 'PATCH to a second canonical');
  const unset = await client.patch(`${base}one.example/`, { canonical: false });
  assert.equal(unset.statusCode, 200, unset.body);
  assert.equal(unset.json().canonical, false);
  assert.ok(Date.parse(unset.json().modified) >= Date.parse(unset.json().created));
  const moved = await client.patch(`${base}two.example/`, { canonical: true, https: false });
  assert.deepEqual([moved.json().canonical, moved.json().https], [true, false]);
  // `verified` is for instance administrators only (parity/domains.test.ts has their side).
  const notAdmin = await client.patch(`${base}two.example/`, { verified: true });
  assert.equal(notAdmin.statusCode, 403);
  assert.match(notAdmin.json().detail, /verified/);
  assert.equal((await client.get(`${base}two.example/`)).json().verified, false);
  const listed = (await client.get(`${base}?limit=100`)).json().results;
  assert.deepEqual(listed.filter((d: { canonical: boolean }) => d.canonical).map((d: { domain: string }) => d.domain), ['two.example']);
  assert.deepEqual(listed.map((d: { domain: string }) => d.domain), [...listed.map((d: { domain: string }) => d.domain)].sort(), 'ordered by name');
});

test('delete stops serving; another user who can see the project → 403, anonymous → 401', async () => {
  assert.equal((await apiClient(app, {}).get(base)).statusCode, 401);
  const bob = apiClient(app, (await app.newUser('bob-domains')).auth);
  assert.equal((await bob.get(base)).statusCode, 403);
  assert.equal((await bob.post(`${base}docs.alpha.localhost/verify/`)).statusCode, 403);
  assert.equal((await bob.patch(`${base}docs.alpha.localhost/`, { canonical: true })).statusCode, 403);
  assert.equal((await bob.delete(`${base}docs.alpha.localhost/`)).statusCode, 403);
  assert.equal((await client.delete(`${base}docs.alpha.localhost/`)).statusCode, 204);
  assert.equal(await servedProjectByDomain(app.database.db, 'docs.alpha.localhost'), null);
  assert.equal((await client.get(`${base}docs.alpha.localhost/`)).statusCode, 404);
  assert.equal((await client.post(base, { domain: 'docs.alpha.localhost' })).statusCode, 201, 'the name is free again');
  assert.ok(await projectId());
});

test('the HTTP check refuses loopback and private addresses unless allowed', async () => {
  const token = 'bindery-verify-private';
  files.set('private.localhost', token);
  const refused = await verifyDomain('private.localhost', token, { httpPort: port, dnsServers: [dns.address], timeoutMs: 2000 });
  assert.equal(refused.verified, false);
  assert.match(!refused.verified ? refused.reasons[0]! : '', /private address/);
  assert.deepEqual(await verifyDomain('private.localhost', token, { httpPort: port, dnsServers: [dns.address], allowPrivateAddresses: true }), { verified: true, method: 'http' });
  assert.equal(normalizeDomain('EXAMPLE.com.'), 'example.com');
  assert.equal(normalizeDomain('example'), null);
});
