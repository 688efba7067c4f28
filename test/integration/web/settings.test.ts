// The project settings pages of the dashboard, without a browser: redirects, environment
// variables, integrations, custom domains, subprojects, translations, automation rules,
// maintainers (by invitation) and outgoing webhooks — each action works and shows (in the database and the
// API too), refusals come back next to the form, CSRF on every POST, 404 for non-maintainers,
// and markup in anything users type is rendered inert.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { onServingChange } from '../../../src/core/changes.ts';
import { servedProjectByDomain } from '../../../src/db/serving.ts';
import { recordAttempt } from '../../../src/db/project-webhooks.ts';
import { findUserByUsername } from '../../../src/db/users.ts';
import { createToken } from '../../../src/db/api-tokens.ts';
import { environmentVariables, integrations, projects, projectWebhooks } from '../../../src/db/schema.ts';
import { FormClient } from '../../helpers/browserless.ts';
import { apiClient, type ApiClient } from '../../helpers/api-client.ts';
import { startDnsServer, type DnsServer } from '../../helpers/dns-server.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

const XSS = '<script>alert(1)</script>';
let app: TestApp;
let repo: GitRepo;
let dns: DnsServer;
let files: http.Server;
/** What the local web server answers at the domain token path, by Host. */
const tokenFiles = new Map<string, string>();
let owner: FormClient;
let outsider: FormClient;
let api: ApiClient;
let changes = 0;
let stopListening: () => void;

async function signUp(username: string): Promise<FormClient> {
  const client = new FormClient(app.web);
  const res = await client.submit('/accounts/signup/', '/accounts/signup/', { username, email: `${username}@example.com`, password: 'correct horse battery' });
  assert.equal(res.statusCode, 303, res.body);
  return client;
}

async function importAs(client: FormClient, name: string): Promise<string> {
  const res = await client.submit('/dashboard/import/', '/dashboard/import/', { name, repository: repo.url });
  assert.equal(res.statusCode, 303, res.body);
  return res.headers.location!.split('/')[2]!;
}

/** Posts a form whose fields may repeat (checkboxes), with the page's CSRF token. */
async function postPairs(client: FormClient, formPage: string, action: string, pairs: Array<[string, string]>) {
  const csrf = FormClient.csrfOf((await client.get(formPage)).body);
  return app.web.inject({
    method: 'POST', url: action, payload: new URLSearchParams([...pairs, ['csrf', csrf]]).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
}

/** Follows a settings redirect (303 with a notice) and answers the page. */
async function follow(client: FormClient, res: Awaited<ReturnType<FormClient['submit']>>, notice: RegExp) {
  assert.equal(res.statusCode, 303, res.body);
  const page = await client.get(res.headers.location!);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, notice);
  return page.body;
}

/** Runs a write that changes what readers see: it must announce it (servingChanged), as the API does. */
async function announced<T>(what: string, write: () => Promise<T>): Promise<T> {
  const before = changes;
  const result = await write();
  assert.ok(changes > before, `${what}: servingChanged() was called`);
  return result;
}

function assertInert(body: string, what: string) {
  assert.doesNotMatch(body, /<script>alert/, what);
  assert.match(body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, `${what}: shown as text`);
}

before(async () => {
  dns = await startDnsServer();
  files = http.createServer((req, res) => {
    const body = req.url === '/.well-known/bindery-verification.txt' ? tokenFiles.get((req.headers.host ?? '').replace(/:\d+$/, '')) : undefined;
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/plain' }).end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  const port = (files.address() as AddressInfo).port;
  app = await testApp({ builder: false, web: { domainVerification: { httpPort: port, dnsServers: [dns.address], allowPrivateAddresses: true, timeoutMs: 2000 } } });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Hi\n' } });
  owner = await signUp('owner');
  outsider = await signUp('outsider');
  await signUp('helper');
  assert.equal(await importAs(owner, 'Main'), 'main');
  assert.equal(await importAs(owner, 'Child'), 'child');
  assert.equal(await importAs(owner, 'Spanish'), 'spanish');
  assert.equal(await importAs(outsider, 'Foreign'), 'foreign');
  const user = await findUserByUsername(app.database.db, 'owner');
  api = apiClient(app, { authorization: `Token ${(await createToken(app.database.db, user!.id, 'test', null)).token}` });
  stopListening = onServingChange(() => changes++);
});
after(async () => {
  stopListening();
  await app.close();
  await dns.close();
  await new Promise((resolve) => files.close(resolve));
  repo.remove();
});

const AREAS = ['redirects', 'environmentvariables', 'integrations', 'webhooks', 'domains', 'subprojects', 'translations', 'rules', 'users'];

test('the general settings link every settings area; each page marks itself in the sub-navigation', async () => {
  const general = await owner.get('/dashboard/main/edit/');
  assert.equal(general.statusCode, 200);
  for (const area of AREAS) assert.match(general.body, new RegExp(`<a href="/dashboard/main/${area}/">`), area);
  for (const area of AREAS) {
    const res = await owner.get(`/dashboard/main/${area}/`);
    assert.equal(res.statusCode, 200, area);
    assert.match(res.body, new RegExp(`<a href="/dashboard/main/${area}/" aria-current="page">`), area);
    assert.match(res.body, /<nav class="subnav" aria-label="Project settings">/);
  }
});

test('every form control on the settings pages has a label, every button a name', async () => {
  for (const area of ['edit', ...AREAS]) {
    const body = (await owner.get(`/dashboard/main/${area}/`)).body;
    const controls = [...body.matchAll(/<(input|select|textarea)\b[^>]*>/g)].filter((m) => !/type="hidden"/.test(m[0]));
    assert.ok(controls.length > 0, area);
    for (const m of controls) {
      const before = body.slice(0, m.index);
      const inLabel = before.lastIndexOf('<label') > before.lastIndexOf('</label>');
      assert.ok(inLabel || /aria-label="/.test(m[0]), `${area}: ${m[0]} has no label`);
    }
    for (const m of body.matchAll(/<button\b([^>]*)>(.*?)<\/button>/g)) assert.ok(m[2]!.trim() || /aria-label="/.test(m[1]!), `${area}: a button without a name`);
  }
});

test('redirects: add (first), list in order, move down, edit, delete; refusals next to the form; targets inert', async () => {
  const page = '/dashboard/main/redirects/';
  const a = await announced('add', () => owner.submit(page, '/dashboard/main/redirects/create/', { type: 'page', from_url: '/old.html', to_url: '/new.html', http_status: '301', enabled: 'on', description: '' }));
  await follow(owner, a, /Redirect added/);
  const b = await owner.submit(page, '/dashboard/main/redirects/create/', { type: 'exact', from_url: '/en/latest/x/*', to_url: `/y/${XSS}`, http_status: '302', enabled: 'on', description: `note ${XSS}` });
  const listed = await follow(owner, b, /Redirect added/);
  assertInert(listed, 'redirect list');
  let rows = (await api.get('/api/v3/projects/main/redirects/')).json().results;
  assert.deepEqual(rows.map((r: { from_url: string; position: number }) => [r.from_url, r.position]), [['/en/latest/x/*', 0], ['/old.html', 1]], 'a new one goes first');
  assert.equal(rows[1].http_status, 301);
  assert.ok(listed.indexOf('/en/latest/x/*') < listed.indexOf('/old.html'), 'listed in position order');

  const moved = await announced('move', () => owner.submit(page, `/dashboard/main/redirects/${rows[0].pk}/insert/1/`, {}));
  await follow(owner, moved, /Redirect moved/);
  rows = (await api.get('/api/v3/projects/main/redirects/')).json().results;
  assert.deepEqual(rows.map((r: { from_url: string }) => r.from_url), ['/old.html', '/en/latest/x/*']);
  assert.match((await owner.get(page)).body, new RegExp(`/dashboard/main/redirects/${rows[1].pk}/insert/0/`), 'the last one can move up');

  const editPage = `/dashboard/main/redirects/${rows[0].pk}/edit/`;
  const form = await owner.get(editPage);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /value="\/old.html"/);
  const bad = await owner.submit(editPage, editPage, { type: 'page', from_url: '/old.html', to_url: '//evil.example/', http_status: '301' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /role="alert"[\s\S]*to_url is a path starting with a single \//);
  assert.match(bad.body, /value="\/\/evil.example\/"/, 'what was typed is kept');
  const saved = await announced('edit', () => owner.submit(editPage, editPage, { type: 'page', from_url: '/old.html', to_url: '/newer.html', http_status: '302', force: 'on' }));
  await follow(owner, saved, /Redirect saved/);
  const edited = (await api.get(`/api/v3/projects/main/redirects/${rows[0].pk}/`)).json();
  assert.deepEqual([edited.to_url, edited.http_status, edited.force, edited.enabled], ['/newer.html', 302, true, false]);

  const wildcard = await owner.submit(page, '/dashboard/main/redirects/create/', { type: 'page', from_url: '/a*b', to_url: '/c', http_status: '302' });
  assert.equal(wildcard.statusCode, 400);
  assert.match(wildcard.body, /role="alert"[\s\S]*The \* wildcard must be at the end of the path\./, "Read the Docs' message, as the API gives it");
  const scriptTarget = await owner.submit(page, '/dashboard/main/redirects/create/', { type: 'page', from_url: '/z', to_url: `javascript:${XSS}`, http_status: '302' });
  assert.equal(scriptTarget.statusCode, 400);
  assertInert(scriptTarget.body, 'a refused target');

  const deleted = await announced('delete', () => owner.submit(page, `/dashboard/main/redirects/${rows[1].pk}/delete/`, {}));
  await follow(owner, deleted, /Redirect deleted/);
  assert.equal((await api.get('/api/v3/projects/main/redirects/')).json().count, 1);
  assert.equal((await owner.get(`/dashboard/main/redirects/${rows[1].pk}/edit/`)).statusCode, 404);
});

test('environment variables: names listed, values never shown; public flag; reserved, bad and taken names refused', async () => {
  const page = '/dashboard/main/environmentvariables/';
  const secretValue = 'hunter2-do-not-show';
  const added = await owner.submit(page, '/dashboard/main/environmentvariables/create/', { name: 'API_KEY', value: secretValue, public: 'on' });
  const listed = await follow(owner, added, /Added API_KEY/);
  assert.match(listed, /<code>API_KEY<\/code><\/td><td>yes<\/td>/);
  assert.ok(!listed.includes(secretValue), 'the value is not shown back');
  const [row] = await app.database.db.select().from(environmentVariables).where(eq(environmentVariables.name, 'API_KEY'));
  assert.equal(row!.value, secretValue);
  assert.equal(row!.public, true);
  assert.deepEqual((await api.get('/api/v3/projects/main/environmentvariables/')).json().results.map((v: { name: string }) => v.name), ['API_KEY']);

  const taken = await owner.submit(page, '/dashboard/main/environmentvariables/create/', { name: 'API_KEY', value: secretValue });
  assert.equal(taken.statusCode, 400);
  assert.match(taken.body, /There is already a variable with this name for this project/);
  assert.ok(!taken.body.includes(secretValue), 'not even after a refusal');
  const reserved = await owner.submit(page, '/dashboard/main/environmentvariables/create/', { name: 'READTHEDOCS_X', value: 'v' });
  assert.equal(reserved.statusCode, 400);
  assert.match(reserved.body, /Variable name can(&#39;|')t start with READTHEDOCS/);
  const markup = await owner.submit(page, '/dashboard/main/environmentvariables/create/', { name: XSS, value: 'v' });
  assert.equal(markup.statusCode, 400);
  assertInert(markup.body, 'a refused name');

  const deleted = await owner.submit(page, `/dashboard/main/environmentvariables/${row!.id}/delete/`, {});
  await follow(owner, deleted, /Variable deleted/);
  assert.equal((await app.database.db.select().from(environmentVariables)).length, 0);
});

test('integrations: each provider shows its webhook URL, secret and instructions; the shown values work; delete', async () => {
  const page = '/dashboard/main/integrations/';
  const made: Record<string, number> = {};
  for (const provider of ['github', 'gitlab', 'bitbucket', 'generic']) {
    const res = await owner.submit(page, '/dashboard/main/integrations/create/', { provider });
    assert.equal(res.statusCode, 303);
    const m = /#integration-(\d+)$/.exec(res.headers.location!);
    assert.ok(m, res.headers.location);
    made[provider] = Number(m[1]);
  }
  const body = (await owner.get(page)).body;
  const rows = await app.database.db.select().from(integrations);
  assert.equal(rows.length, 4);
  for (const row of rows) {
    const url = `http://localhost:8000/api/v2/webhook/main/${row.id}/`;
    assert.ok(body.includes(`<code id="integration-${row.id}-url">${url}</code>`), `${row.provider} URL`);
    assert.ok(body.includes(`<code class="secret" id="integration-${row.id}-secret">${row.secret}</code>`), `${row.provider} secret`);
    assert.ok(body.includes(`data-copy="integration-${row.id}-url"`) && body.includes(`data-copy="integration-${row.id}-secret"`), 'copy buttons');
  }
  const section = (provider: string) => body.slice(body.indexOf(`id="integration-${made[provider]}"`), body.indexOf('</section>', body.indexOf(`id="integration-${made[provider]}"`)));
  assert.match(section('github'), /Payload URL[\s\S]*application\/json[\s\S]*Secret/);
  assert.match(section('gitlab'), /URL[\s\S]*Secret token/);
  assert.match(section('bitbucket'), /URL[\s\S]*Secret/);
  assert.match(section('generic'), /POST[\s\S]*token/);

  // The URL and token the page shows are what the receiver accepts.
  const generic = rows.find((r) => r.provider === 'generic')!;
  const shownUrl = new URL(/id="integration-\d+-url">([^<]+)</.exec(section('generic'))![1]!);
  const shownToken = new RegExp(`id="integration-${generic.id}-secret">([0-9a-f]+)<`).exec(body)![1]!;
  const hook = (token: string) => app.web.inject({ method: 'POST', url: shownUrl.pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${token}` });
  assert.equal((await hook(shownToken)).statusCode, 200);
  // A wrong token: Read the Docs' generic webhook answers as for an unknown integration (docs/webhooks.md).
  assert.equal((await hook('0'.repeat(64))).statusCode, 404);

  const bad = await owner.submit(page, '/dashboard/main/integrations/create/', { provider: `x${XSS}` });
  assert.equal(bad.statusCode, 400);
  const deleted = await owner.submit(page, `/dashboard/main/integrations/${made.github}/delete/`, {});
  await follow(owner, deleted, /Integration deleted/);
  assert.equal((await app.database.db.select().from(integrations)).length, 3);
  assert.equal((await api.get('/api/v3/projects/main/integrations/')).json().count, 3);
});

test('domains: add, status and instructions, verify (failing with reasons, then by HTTP file), delete', async () => {
  const page = '/dashboard/main/domains/';
  const added = await owner.submit(page, '/dashboard/main/domains/create/', { domain: 'Docs.Main.localhost' });
  const listed = await follow(owner, added, /Added docs\.main\.localhost/);
  const token = (await api.get('/api/v3/projects/main/domains/docs.main.localhost/')).json().verification_token as string;
  assert.match(token, /^bindery-verify-/);
  assert.match(listed, /Not verified yet/);
  assert.ok(listed.includes('http://docs.main.localhost/.well-known/bindery-verification.txt'), 'the HTTP file path');
  assert.ok(listed.includes('>_bindery.docs.main.localhost</code>'), 'the TXT record name');
  assert.ok(listed.includes(`>${token}</code>`), 'the token');

  const verifyUrl = '/dashboard/main/domains/docs.main.localhost/verify/';
  const early = await owner.submit(page, verifyUrl, {});
  assert.equal(early.statusCode, 400);
  assert.match(early.body, /Not verified yet:[\s\S]*http: \/\.well-known\/bindery-verification\.txt answered 404/);
  assert.equal(await servedProjectByDomain(app.database.db, 'docs.main.localhost'), null);
  tokenFiles.set('docs.main.localhost', token);
  const ok = await announced('verify', () => owner.submit(page, verifyUrl, {}));
  const verified = await follow(owner, ok, /docs\.main\.localhost is verified \(HTTP file\)/);
  assert.match(verified, /Verified<\/span> on \d{4}-\d{2}-\d{2}/);
  assert.equal((await servedProjectByDomain(app.database.db, 'docs.main.localhost'))?.slug, 'main');

  const own = await owner.submit(page, '/dashboard/main/domains/create/', { domain: 'main.docs.localhost' });
  assert.equal(own.statusCode, 400);
  assert.match(own.body, /belongs to this Bindery server/);
  const markup = await owner.submit(page, '/dashboard/main/domains/create/', { domain: `${XSS}.example.com` });
  assert.equal(markup.statusCode, 400);
  assertInert(markup.body, 'a refused domain');
  const taken = await owner.submit('/dashboard/child/domains/', '/dashboard/child/domains/create/', { domain: 'docs.main.localhost' });
  assert.equal(taken.statusCode, 409);
  assert.match(taken.body, /already in use/);

  const deleted = await announced('delete', () => owner.submit(page, '/dashboard/main/domains/docs.main.localhost/delete/', {}));
  await follow(owner, deleted, /docs\.main\.localhost deleted/);
  assert.equal(await servedProjectByDomain(app.database.db, 'docs.main.localhost'), null);
  assert.equal((await api.get('/api/v3/projects/main/domains/')).json().count, 0);
});

test('subprojects: add by slug and alias, list, remove; projects not yours and bad aliases refused', async () => {
  const page = '/dashboard/main/subprojects/';
  const added = await announced('add', () => owner.submit(page, '/dashboard/main/subprojects/create/', { child: 'child', alias: 'kid' }));
  const listed = await follow(owner, added, /Child is now served at \/projects\/kid\//);
  assert.match(listed, /<code>kid<\/code><\/td><td><a href="\/projects\/child\/">Child<\/a>/);
  assert.ok(listed.includes('http://main.docs.localhost:8000/projects/kid/'));
  assert.deepEqual((await api.get('/api/v3/projects/main/subprojects/')).json().results.map((s: { alias: string }) => s.alias), ['kid']);

  const foreign = await owner.submit(page, '/dashboard/main/subprojects/create/', { child: 'foreign', alias: '' });
  assert.equal(foreign.statusCode, 400);
  assert.match(foreign.body, /Project with slug=foreign is not valid as subproject/);
  const markup = await owner.submit(page, '/dashboard/main/subprojects/create/', { child: 'spanish', alias: XSS });
  assert.equal(markup.statusCode, 400);
  assertInert(markup.body, 'a refused alias');
  const again = await owner.submit(page, '/dashboard/main/subprojects/create/', { child: 'child', alias: 'other' });
  assert.equal(again.statusCode, 400, 'already a subproject: refused as Read the Docs refuses it');
  assert.match(again.body, /Project with slug=child is not valid as subproject/);

  const removed = await announced('remove', () => owner.submit(page, '/dashboard/main/subprojects/kid/delete/', {}));
  await follow(owner, removed, /Subproject removed/);
  assert.equal((await api.get('/api/v3/projects/main/subprojects/')).json().count, 0);
});

test('translations: add by slug, list with languages, remove; a project in the same language is refused', async () => {
  await app.database.db.update(projects).set({ language: 'es' }).where(eq(projects.slug, 'spanish'));
  const page = '/dashboard/main/translations/';
  const same = await owner.submit(page, '/dashboard/main/translations/create/', { project: 'child' });
  assert.equal(same.statusCode, 400);
  assert.match(same.body, /has the language of this project \(en\)/);
  const added = await announced('add', () => owner.submit(page, '/dashboard/main/translations/create/', { project: 'spanish' }));
  const listed = await follow(owner, added, /Spanish is now the es translation/);
  assert.match(listed, /<td><code>es<\/code><\/td><td><a href="\/projects\/spanish\/">Spanish<\/a>/);
  assert.deepEqual((await api.get('/api/v3/projects/main/translations/')).json().results.map((p: { slug: string }) => p.slug), ['spanish']);
  assert.match((await owner.get('/dashboard/spanish/translations/')).body, /itself the <code>es<\/code> translation of Main/);
  const markup = await owner.submit(page, '/dashboard/main/translations/create/', { project: XSS });
  assert.equal(markup.statusCode, 400);
  assertInert(markup.body, 'a refused slug');

  const removed = await announced('remove', () => owner.submit(page, '/dashboard/main/translations/spanish/delete/', {}));
  await follow(owner, removed, /Translation removed/);
  assert.equal((await api.get('/api/v3/projects/main/translations/')).json().count, 0);
});

test('automation rules: add predefined and custom matches in order, bad patterns refused, delete; patterns inert', async () => {
  const page = '/dashboard/main/rules/';
  const semver = await owner.submit(page, '/dashboard/main/rules/create/', { description: 'releases', match: 'semver-versions', pattern: '', version_type: 'tag', action: 'activate-version' });
  await follow(owner, semver, /Rule added/);
  const custom = await owner.submit(page, '/dashboard/main/rules/create/', { description: '', match: 'regex', pattern: `^${XSS}$`, version_type: 'branch', action: 'hide-version' });
  const listed = await follow(owner, custom, /Rule added/);
  assertInert(listed, 'a rule pattern');
  assert.ok(listed.indexOf('Semantic versions') < listed.indexOf('&lt;script&gt;'), 'listed in order');
  const rules = (await api.get('/api/v3/projects/main/automation-rules/')).json().results;
  assert.deepEqual(rules.map((r: { predefined_match_arg: string | null; version_type: string; action: string; priority: number }) => [r.predefined_match_arg, r.version_type, r.action, r.priority]), [
    ['semver-versions', 'tag', 'activate-version', 0],
    [null, 'branch', 'hide-version', 1],
  ]);
  assert.equal(rules[1].match_arg, `^${XSS}$`);

  const unclosed = await owner.submit(page, '/dashboard/main/rules/create/', { match: 'regex', pattern: '(unclosed', version_type: 'tag', action: 'activate-version' });
  assert.equal(unclosed.statusCode, 400);
  assert.match(unclosed.body, /Not a valid regular expression/);
  assert.match(unclosed.body, /value="\(unclosed"/);
  const badAction = await owner.submit(page, '/dashboard/main/rules/create/', { match: 'all-versions', version_type: 'tag', action: 'rm -rf' });
  assert.equal(badAction.statusCode, 400);

  const deleted = await owner.submit(page, `/dashboard/main/rules/${rules[0].pk}/delete/`, {});
  await follow(owner, deleted, /Rule deleted/);
  assert.equal((await api.get('/api/v3/projects/main/automation-rules/')).json().count, 1);
});

/** The invited user accepts their invitation to `slug` from /invitations/. */
async function accept(client: FormClient, slug: string) {
  const list = await client.get('/invitations/');
  const row = list.body.split('<tr>').find((r) => r.includes(`(${slug})`));
  const id = row && /action="\/invitations\/(\d+)\/accept\/"/.exec(row)?.[1];
  assert.ok(id, `an invitation to ${slug} on /invitations/`);
  return client.submit('/invitations/', `/invitations/${id}/accept/`, {});
}

test('maintainers: invite by username (a maintainer once they accept), refuse unknown and repeated users, revoke, remove, never the last', async () => {
  const page = '/dashboard/child/users/';
  const helper = new FormClient(app.web);
  const login = await helper.submit('/accounts/login/', '/accounts/login/', { username: 'helper', password: 'correct horse battery' });
  assert.equal(login.statusCode, 303);
  assert.equal((await helper.get('/dashboard/child/edit/')).statusCode, 404);
  const maintainers = async () => (await api.get('/api/v3/projects/child/maintainers/')).json().results.map((m: { username: string }) => m.username);

  const invited = await owner.submit(page, '/dashboard/child/users/create/', { username: 'helper' });
  assert.match(await follow(owner, invited, /helper is invited to maintain Child/), /<td>helper<\/td><td>owner<\/td>/, 'listed as pending, with who invited');
  assert.equal((await helper.get('/dashboard/child/edit/')).statusCode, 404, 'not a maintainer before accepting');
  assert.deepEqual(await maintainers(), ['owner']);
  assert.match((await helper.get('/dashboard/')).body, /invited to maintain Child/);
  const accepted = await accept(helper, 'child');
  assert.equal(accepted.statusCode, 303, accepted.body);
  assert.equal(accepted.headers.location, `/projects/child/?notice=${encodeURIComponent('You now maintain Child.')}`);
  assert.equal((await helper.get('/dashboard/child/edit/')).statusCode, 200);
  assert.deepEqual(await maintainers(), ['helper', 'owner']);
  assert.doesNotMatch((await helper.get('/invitations/')).body, /\(child\)/, 'the invitation is used up');
  const unknown = await owner.submit(page, '/dashboard/child/users/create/', { username: XSS });
  assert.equal(unknown.statusCode, 400);
  assertInert(unknown.body, 'an unknown username');
  const twice = await owner.submit(page, '/dashboard/child/users/create/', { username: 'helper' });
  assert.equal(twice.statusCode, 409);

  const left = await helper.submit(page, '/dashboard/child/users/delete/', { username: 'helper' });
  assert.equal(left.statusCode, 303, 'removing yourself leaves the project');
  assert.equal(left.headers.location, `/dashboard/?notice=${encodeURIComponent('You no longer maintain Child.')}`);
  assert.equal((await helper.get('/dashboard/child/edit/')).statusCode, 404);

  // A pending invitation revoked cannot be accepted any more.
  await follow(owner, await owner.submit(page, '/dashboard/child/users/create/', { username: 'helper' }), /helper is invited/);
  const list = await helper.get('/invitations/');
  const id = /action="\/invitations\/(\d+)\/accept\/"/.exec(list.body)![1];
  await follow(owner, await owner.submit(page, '/dashboard/child/users/invitations/revoke/', { username: 'helper' }), /invitation of helper is revoked/);
  assert.equal((await helper.submit('/invitations/', `/invitations/${id}/accept/`, {})).statusCode, 404);
  assert.deepEqual(await maintainers(), ['owner']);

  await follow(owner, await owner.submit(page, '/dashboard/child/users/create/', { username: 'helper' }), /helper is invited/);
  assert.equal((await accept(helper, 'child')).statusCode, 303);
  const removed = await owner.submit(page, '/dashboard/child/users/delete/', { username: 'helper' });
  await follow(owner, removed, /helper no longer maintains Child/);
  assert.equal((await helper.get('/dashboard/child/edit/')).statusCode, 404);
  assert.doesNotMatch((await owner.get(page)).body, /aria-label="Remove owner"/, 'no remove button for the last one');
  const last = await owner.submit(page, '/dashboard/child/users/delete/', { username: 'owner' });
  assert.equal(last.statusCode, 409);
  assert.match(last.body, /keeps at least one maintainer/);
  assert.equal((await owner.get('/dashboard/child/edit/')).statusCode, 200);
});

test('outgoing webhooks: add with events (secret shown once), recent deliveries with their outcome, delete; URLs inert', async () => {
  const page = '/dashboard/main/webhooks/';
  const created = await postPairs(owner, page, '/dashboard/main/webhooks/create/', [['url', `http://127.0.0.1:9/hook?x=${XSS}&y=2#it's`], ['events', 'build:triggered'], ['events', 'build:failed']]);
  assert.equal(created.statusCode, 200, created.body);
  const [hook] = await app.database.db.select().from(projectWebhooks);
  assert.deepEqual(hook!.events, ['build:triggered', 'build:failed']);
  assert.ok(created.body.includes(`id="new-webhook-secret">${hook!.secret}</code>`), 'the secret, once');
  assert.doesNotMatch(created.body, /<script>alert/);
  const api1 = (await api.get('/api/v3/projects/main/webhooks/')).json().results;
  assert.equal(api1[0].url, hook!.url);

  await recordAttempt(app.database.db, { webhookId: hook!.id, event: 'build:failed', payload: {}, statusCode: 502, error: null, attempt: 1 });
  await recordAttempt(app.database.db, { webhookId: hook!.id, event: 'build:failed', payload: {}, statusCode: null, error: `connect ECONNREFUSED ${XSS}`, attempt: 2 });
  await recordAttempt(app.database.db, { webhookId: hook!.id, event: 'build:triggered', payload: {}, statusCode: 204, error: null, attempt: 1 });
  const listed = (await owner.get(page)).body;
  assert.ok(!listed.includes(hook!.secret), 'not shown again');
  assert.ok(listed.includes('<code>http://127.0.0.1:9/hook?x=%3Cscript%3Ealert(1)%3C/script%3E&amp;y=2#it&#39;s</code>'), 'the URL, escaped');
  assertInert(listed, 'a delivery error');
  assert.match(listed, /state-finished">HTTP 204/);
  assert.match(listed, /state-failed">no answer<\/span><br><span class="muted">connect ECONNREFUSED/);
  assert.match(listed, /state-failed">HTTP 502/);
  assert.ok(listed.indexOf('HTTP 204') < listed.indexOf('HTTP 502'), 'newest first');

  const none = await postPairs(owner, page, '/dashboard/main/webhooks/create/', [['url', 'https://example.com/hook']]);
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /choose at least one event/);
  const ftp = await postPairs(owner, page, '/dashboard/main/webhooks/create/', [['url', `ftp://x/${XSS}`], ['events', 'build:passed']]);
  assert.equal(ftp.statusCode, 400);
  assert.match(ftp.body, /the ftp protocol is not allowed/);
  assertInert(ftp.body, 'a refused URL');

  const deleted = await owner.submit(page, `/dashboard/main/webhooks/${hook!.id}/delete/`, {});
  await follow(owner, deleted, /Webhook deleted/);
  assert.equal((await app.database.db.select().from(projectWebhooks)).length, 0);
});

/** Every POST the settings pages add, as [action, fields]; ids that do not exist are fine (the checks come first). */
const POSTS: Array<[string, Record<string, string>]> = [
  ['/dashboard/main/redirects/create/', { type: 'page', from_url: '/a', to_url: '/b', http_status: '302' }],
  ['/dashboard/main/redirects/1/edit/', { type: 'page', from_url: '/a', to_url: '/b', http_status: '302' }],
  ['/dashboard/main/redirects/1/insert/0/', {}],
  ['/dashboard/main/redirects/1/delete/', {}],
  ['/dashboard/main/environmentvariables/create/', { name: 'X', value: 'y' }],
  ['/dashboard/main/environmentvariables/1/delete/', {}],
  ['/dashboard/main/integrations/create/', { provider: 'github' }],
  ['/dashboard/main/integrations/1/delete/', {}],
  ['/dashboard/main/domains/create/', { domain: 'docs.csrf.localhost' }],
  ['/dashboard/main/domains/docs.csrf.localhost/verify/', {}],
  ['/dashboard/main/domains/docs.csrf.localhost/delete/', {}],
  ['/dashboard/main/subprojects/create/', { child: 'child', alias: 'c' }],
  ['/dashboard/main/subprojects/kid/delete/', {}],
  ['/dashboard/main/translations/create/', { project: 'spanish' }],
  ['/dashboard/main/translations/spanish/delete/', {}],
  ['/dashboard/main/rules/create/', { match: 'all-versions', version_type: 'tag', action: 'activate-version' }],
  ['/dashboard/main/rules/1/delete/', {}],
  ['/dashboard/main/users/create/', { username: 'helper' }],
  ['/dashboard/main/users/invitations/revoke/', { username: 'helper' }],
  ['/dashboard/main/users/delete/', { username: 'owner' }],
  ['/dashboard/main/webhooks/create/', { url: 'https://example.com/', events: 'build:passed' }],
  ['/dashboard/main/webhooks/1/delete/', {}],
];

test('every settings POST needs its CSRF token: 403 without it, and nothing changes', async () => {
  const count = async () => (await app.database.db.select().from(projects).where(eq(projects.slug, 'main'))).length;
  for (const [action, fields] of POSTS) {
    const res = await owner.submit('/dashboard/main/edit/', action, fields, { csrf: null });
    assert.equal(res.statusCode, 403, action);
    const wrong = await owner.submit('/dashboard/main/edit/', action, fields, { csrf: 'x'.repeat(32) });
    assert.equal(wrong.statusCode, 403, action);
  }
  assert.equal(await count(), 1);
  assert.equal((await api.get('/api/v3/projects/main/redirects/')).json().count, 1, 'the redirect left by the redirects test is untouched');
  assert.equal((await api.get('/api/v3/projects/main/maintainers/')).json().count, 1);
});

test('only maintainers: every settings page and POST is 404 for someone else, anonymous users are sent to log in', async () => {
  for (const area of ['edit', ...AREAS]) {
    assert.equal((await outsider.get(`/dashboard/main/${area}/`)).statusCode, 404, area);
    const anon = await app.web.inject({ url: `/dashboard/main/${area}/` });
    assert.equal(anon.statusCode, 303, area);
    assert.match(anon.headers.location!, /^\/accounts\/login\//);
  }
  const [rule] = (await api.get('/api/v3/projects/main/automation-rules/')).json().results;
  const [redirect] = (await api.get('/api/v3/projects/main/redirects/')).json().results;
  assert.equal((await outsider.get(`/dashboard/main/redirects/${redirect.pk}/edit/`)).statusCode, 404);
  for (const [action, fields] of [...POSTS, [`/dashboard/main/rules/${rule.pk}/delete/`, {}], [`/dashboard/main/redirects/${redirect.pk}/delete/`, {}]] as Array<[string, Record<string, string>]>) {
    const res = await outsider.submit('/dashboard/', action, fields);
    assert.equal(res.statusCode, 404, action);
  }
  assert.equal((await api.get('/api/v3/projects/main/automation-rules/')).json().count, 1, 'nothing changed');
  assert.equal((await api.get('/api/v3/projects/main/redirects/')).json().count, 1);
  assert.deepEqual((await api.get('/api/v3/projects/main/maintainers/')).json().results.map((m: { username: string }) => m.username), ['owner']);
});
