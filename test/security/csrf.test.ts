// Attack: cross-site request forgery on the dashboard. Every state-changing route of the
// dashboard is taken from Fastify's own route table (so a new POST route is attacked the day
// it is added) and posted as the signed-in maintainer without a token, with another
// session's token, with the token in the query string, and with the right token from a
// cross-site Origin: each must be refused (403, by the CSRF check) and change nothing in the
// database. GET pages must change nothing either.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { makeGitRepo, type GitRepo } from '../helpers/git-repo.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';
import { apiClient } from '../helpers/api-client.ts';
import { FormClient } from '../helpers/browserless.ts';
import * as schema from '../../src/db/schema.ts';
import { hashPassword } from '../../src/web/dashboard/passwords.ts';
import { snapshotDatabase } from '../helpers/db-snapshot.ts';

const PASSWORD = 'correct horse battery';
const REFUSED = /The form expired or did not come from this site|Cross-site form submissions are not accepted/;

let app: TestApp;
let repo: GitRepo;
let owner: FormClient;
let eve: FormClient;
let ownerToken: string;
let eveToken: string;
let params: Record<string, string>;

/** Every route of `method` in the app's route table, as full paths with `:params`. */
function routesOf(app: FastifyInstance, method: string): string[] {
  const paths: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ method, commonPrefix: false }).split('\n')) {
    const at = line.indexOf('── ');
    if (at < 0) continue;
    const depth = (at - 1) / 4;
    const label = line.slice(at + 3).replace(/ \([A-Z, ]+\)$/, '');
    stack.length = depth;
    stack.push(label);
    if (/\([A-Z, ]*\)$/.test(line)) paths.push(stack.join(''));
  }
  return paths;
}

async function signIn(username: string): Promise<FormClient> {
  const [user] = await app.database.db.select().from(schema.users).where(eq(schema.users.username, username));
  await app.database.db.update(schema.users).set({ passwordHash: await hashPassword(PASSWORD) }).where(eq(schema.users.id, user!.id));
  const client = new FormClient(app.web);
  const res = await client.submit('/accounts/login/', '/accounts/login/', { username, password: PASSWORD });
  assert.equal(res.statusCode, 303, res.body);
  return client;
}

const cookieOf = (c: FormClient) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
const tokenOf = async (c: FormClient) => FormClient.csrfOf((await c.get('/dashboard/')).body);

const snapshot = () => snapshotDatabase(app.database.db);

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Hi\n' }, branches: { dev: { 'a.md': 'a' } } });
  const eveUser = await app.newUser('eve');
  const api = apiClient(app);
  const eveApi = apiClient(app, eveUser.auth);
  const created = await api.post('/api/v3/projects/', { name: 'Target', repository: { url: repo.url } });
  assert.equal(created.statusCode, 201, created.body);
  const other = await api.post('/api/v3/projects/', { name: 'Child', repository: { url: repo.url } });
  assert.equal(other.statusCode, 201, other.body);
  const translation = await api.post('/api/v3/projects/', { name: 'Target FR', repository: { url: repo.url }, language: 'fr' });
  assert.equal(translation.statusCode, 201, translation.body);
  const eveProject = await eveApi.post('/api/v3/projects/', { name: 'Eve Project', repository: { url: repo.url } });
  assert.equal(eveProject.statusCode, 201, eveProject.body);
  const ok = async (p: Promise<{ statusCode: number; body: string; json(): any }>) => {
    const res = await p;
    assert.ok(res.statusCode < 300, res.body);
    return res.json();
  };
  const variable = await ok(api.post('/api/v3/projects/target/environmentvariables/', { name: 'KEEP', value: 'v', public: false }));
  const redirect = await ok(api.post('/api/v3/projects/target/redirects/', { type: 'exact', from_url: '/a', to_url: '/b' }));
  await ok(api.post('/api/v3/projects/target/redirects/', { type: 'exact', from_url: '/c', to_url: '/d' }));
  const integration = await ok(api.post('/api/v3/projects/target/integrations/', { type: 'github' }));
  const webhook = await ok(api.post('/api/v3/projects/target/webhooks/', { url: 'https://hooks.example/x', events: ['build:passed'] }));
  await ok(api.post('/api/v3/projects/target/domains/', { domain: 'docs.target.example' }));
  await ok(api.post('/api/v3/projects/target/subprojects/', { child: 'child', alias: 'child' }));
  await ok(api.post('/api/v3/projects/target/translations/', { project: 'target-fr' }));
  const rule = await ok(api.post('/api/v3/projects/target/automation-rules/', { description: 'r', match_arg: '.*', version_type: 'tag', action: 'activate-version' }));
  const token = (await app.database.db.select().from(schema.apiTokens).where(eq(schema.apiTokens.userId, app.user.id)))[0]!;
  // An invitation of the owner to Eve's project: accepting it by forgery would hand Eve nothing, but declining it destroys it.
  const [invitation] = await app.database.db.insert(schema.maintainerInvitations).values({ projectId: eveProject.json().id, userId: app.user.id, invitedById: eveUser.user.id, expiresAt: new Date(Date.now() + 86400_000) }).returning();
  const build = (await app.database.db.select().from(schema.builds).where(eq(schema.builds.projectId, created.json().id)))[0];
  params = {
    slug: 'target', version: 'latest', id: '1', domain: 'docs.target.example', alias: 'child', translation: 'target-fr', position: '1',
    // Routes whose :id names a particular kind of row.
    'environmentvariables/:id': String(variable.pk ?? variable.id), 'redirects/:id': String(redirect.pk ?? redirect.id), 'integrations/:id': String(integration.pk ?? integration.id),
    'webhooks/:id': String(webhook.pk ?? webhook.id), 'rules/:id': String(rule.pk ?? rule.id), 'tokens/:id': String(token.id), 'invitations/:id': String(invitation!.id),
    'builds/:id': String(build?.id ?? 1),
    name: 'dashboard.css',
  };
  owner = await signIn('alice');
  eve = await signIn('eve');
  ownerToken = await tokenOf(owner);
  eveToken = await tokenOf(eve);
  assert.notEqual(ownerToken, eveToken);
});

after(async () => {
  await app.close();
  repo.remove();
});

/** A route's path with real values for its parameters. */
function fill(route: string): string {
  return route.replace(/([a-z-]+\/)?:([a-zA-Z]+)/g, (whole, before: string | undefined, name: string) => {
    const specific = before ? params[`${before}:${name}`] : undefined;
    const value = specific ?? params[name];
    assert.ok(value !== undefined, `csrf.test.ts has no value for :${name} in ${route}: add one to params`);
    return `${before ?? ''}${encodeURIComponent(value)}`;
  }) + '/';
}

/** Fields a real form of the route might send, so the only thing missing is the right token. */
const FIELDS = {
  name: 'Renamed', repository: 'https://git.example.org/x.git', username: 'eve', password: PASSWORD, current: PASSWORD, email: 'x@example.com', confirm: 'target', value: 'v', type: 'exact',
  from_url: '/x', to_url: '/y', domain: 'evil.target.example', url: 'https://hooks.example/y', alias: 'x', project: 'child', child: 'child', language: 'en',
  default_version: 'latest', privacy_level: 'private', documentation_type: 'auto', active: 'on', hidden: 'on', match_arg: '.*', version_type: 'tag', action: 'delete-version',
  next: '/dashboard/',
};

function stateChangingRoutes(): string[] {
  const routes = new Set<string>();
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) for (const r of routesOf(app.web, method)) if (!r.startsWith('/api/')) routes.add(`${method} ${r}`);
  return [...routes];
}

test('the route table lists the dashboard’s forms (the enumeration works)', () => {
  const routes = stateChangingRoutes();
  assert.ok(routes.length >= 30, `only ${routes.length} state-changing dashboard routes found: ${routes.join(', ')}`);
  for (const known of ['POST /dashboard/import', 'POST /dashboard/:slug/delete', 'POST /accounts/tokens', 'POST /accounts/logout']) assert.ok(routes.includes(known), `${known} in ${routes.join(', ')}`);
});

test('every state-changing dashboard route refuses a forged request and changes nothing', async () => {
  const before = await snapshot();
  const attempts: Array<{ name: string; cookie: string; body: Record<string, string>; query?: string; headers?: Record<string, string> }> = [
    { name: 'no token', cookie: cookieOf(owner), body: { ...FIELDS } },
    { name: 'an empty token', cookie: cookieOf(owner), body: { ...FIELDS, csrf: '' } },
    { name: 'another session’s token', cookie: cookieOf(owner), body: { ...FIELDS, csrf: eveToken } },
    { name: 'the token in the query string', cookie: cookieOf(owner), body: { ...FIELDS }, query: `?csrf=${encodeURIComponent(ownerToken)}` },
    { name: 'the right token from a cross-site origin', cookie: cookieOf(owner), body: { ...FIELDS, csrf: ownerToken }, headers: { origin: 'https://evil.example' } },
    { name: 'the right token from a look-alike origin', cookie: cookieOf(owner), body: { ...FIELDS, csrf: ownerToken }, headers: { origin: 'http://localhost:8000.evil.example' } },
    { name: 'the right token, a cross-site origin and a forged Host', cookie: cookieOf(owner), body: { ...FIELDS, csrf: ownerToken }, headers: { origin: 'https://evil.example', host: 'evil.example' } },
    { name: 'the token as a repeated field', cookie: cookieOf(owner), body: { ...FIELDS, csrf: eveToken } },
  ];
  for (const line of stateChangingRoutes()) {
    const [method, route] = line.split(' ') as [string, string];
    const url = fill(route);
    for (const attempt of attempts) {
      const form = new URLSearchParams(attempt.body);
      if (attempt.name === 'the token as a repeated field') form.append('csrf', ownerToken);
      const res = await app.web.inject({
        method: method as 'POST', url: url + (attempt.query ?? ''), payload: form.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: attempt.cookie, ...(attempt.headers ?? {}) },
      });
      assert.equal(res.statusCode, 403, `${method} ${url} with ${attempt.name} → ${res.statusCode} ${res.headers.location ?? res.body.slice(0, 200)}`);
      assert.match(res.body, REFUSED, `${method} ${url} with ${attempt.name}: refused by the CSRF check`);
    }
    // A cross-site JSON body cannot carry a token either (and a browser cannot send one without CORS).
    const json = await app.web.inject({ method: method as 'POST', url, payload: { ...FIELDS }, headers: { cookie: cookieOf(owner), origin: 'https://evil.example' } });
    assert.equal(json.statusCode, 403, `${method} ${url} as JSON → ${json.statusCode}`);
  }
  assert.equal(await snapshot(), before, 'a forged request changed the database');
});

test('anonymous forms (sign-up, log-in) need the double-submit token too', async () => {
  const before = await snapshot();
  for (const url of ['/accounts/signup/', '/accounts/login/']) {
    const fields = new URLSearchParams({ username: 'forged', email: 'f@example.com', password: PASSWORD });
    const none = await app.web.inject({ method: 'POST', url, payload: fields.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(none.statusCode, 403, `${url} without a token`);
    // A token in the form with no cookie to match (an attacker's page cannot read the cookie).
    fields.set('csrf', 'A'.repeat(32));
    const unmatched = await app.web.inject({ method: 'POST', url, payload: fields.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(unmatched.statusCode, 403, `${url} with an unmatched token`);
    const cross = await app.web.inject({ method: 'POST', url, payload: fields.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' } });
    assert.equal(cross.statusCode, 403, `${url} cross-site`);
    assert.equal(cross.headers['set-cookie'] === undefined || !String(cross.headers['set-cookie']).includes('session'), true, 'no session was started');
  }
  assert.equal(await snapshot(), before);
});

test('GET requests change nothing, whatever they carry', async () => {
  const before = await snapshot();
  for (const route of routesOf(app.web, 'GET')) {
    // The live log is an endless stream while the build waits; it only reads.
    if (route.startsWith('/api/') || route.includes('*') || route.endsWith('/stream')) continue;
    const url = fill(route.replace(/\/$/, ''));
    for (const query of ['', `?csrf=${ownerToken}&confirm=target&name=Renamed&username=eve&next=/`]) {
      const res = await app.web.inject({ url: url + query, headers: { cookie: cookieOf(owner) } });
      assert.ok(res.statusCode < 500, `GET ${url}${query} → ${res.statusCode}`);
    }
  }
  assert.equal(await snapshot(), before, 'a GET changed the database');
  // And the owner's session still works: nothing above logged them out.
  assert.match((await owner.get('/dashboard/')).body, /Log out alice/);
});
