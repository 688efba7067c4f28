// Attack: signed-in reading of private docs. A maintainer logged in to the dashboard reads the
// project's private docs on its docs host through a one-time token handed over by a redirect
// (/_/docs-login/ → <docs host>/_/auth/); the docs host never sees the dashboard's cookie. An
// attacker replays a token, uses it on another host, waits it out, steers `next` to another
// site, carries a session cookie to another host, or reads with a non-maintainer's or a
// deleted user's session: each must end at the login-needed 404, never at the private page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { eq } from 'drizzle-orm';
import { artifactPrefix } from '../../src/core/build-state.ts';
import { servingChanged } from '../../src/core/changes.ts';
import { finishBuild } from '../../src/db/builds.ts';
import { createDocsSession } from '../../src/db/docs-sessions.ts';
import { builds, docsSessions, projectMaintainers, projects, users, versions, type Project } from '../../src/db/schema.ts';
import { twin, type Twin } from '../helpers/parity.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let bob: Twin;
let carol: Twin;
const SECRET = 'secret.docs.localhost';
const OTHER = 'other.docs.localhost';
const PAGE = '/en/latest/';
const PRIVATE_TEXT = 'the private plans';

async function privateProject(slug: string, text: string, maintainers: number[]): Promise<Project> {
  const db = app.database.db;
  const [p] = await db.insert(projects).values({ slug, name: slug, repoUrl: `https://example.com/${slug}.git`, privacyLevel: 'private' }).returning();
  for (const userId of maintainers) await db.insert(projectMaintainers).values({ projectId: p!.id, userId });
  const [v] = await db.insert(versions).values({ projectId: p!.id, slug: 'latest', verboseName: 'latest', type: 'branch', identifier: 'main', active: true, privacyLevel: 'private' }).returning();
  const [b] = await db.insert(builds).values({ projectId: p!.id, versionId: v!.id, trigger: 'api', state: 'uploading' }).returning();
  await app.storage.put(`${artifactPrefix(slug, 'latest', b!.id)}/index.html`, `<p>${text}</p>`);
  await app.storage.put(`${artifactPrefix(slug, 'latest', b!.id, 'htmlzip')}/${slug}.zip`, `zip of ${text}`);
  await finishBuild(db, b!.id, { success: true, formats: ['htmlzip'] });
  return p!;
}

before(async () => {
  app = await testApp({ builder: false, trustProxy: ['127.0.0.1'] });
  bob = await twin(app, 'bob');
  carol = await twin(app, 'carol');
  await privateProject('secret', PRIVATE_TEXT, [bob.user.id]);
  await privateProject('other', 'other plans', [bob.user.id]);
});
after(() => app.close());

const docs = (host: string, url: string, headers: Record<string, string> = {}) => app.docs.inject({ url, headers: { host, ...headers } });
const loginLink = (host: string, path: string) => `/_/docs-login/?next=${encodeURIComponent(`http://${host}${path}`)}`;
const cookieOf = (res: LightMyRequestResponse) => String(res.headers['set-cookie'] ?? '').split(';')[0]!;
const handoffCount = async () => (await app.database.db.select().from(docsSessions).where(eq(docsSessions.kind, 'handoff'))).length;

/** bob through the dashboard: the /_/auth/ URL his browser is sent to. */
async function handoffFor(client: Twin, host: string, path = PAGE): Promise<URL> {
  const res = await client.form.get(loginLink(host, path));
  assert.equal(res.statusCode, 302, res.body.slice(0, 300));
  return new URL(String(res.headers.location));
}

function assertLoginNeeded(res: LightMyRequestResponse, what: string): void {
  assert.equal(res.statusCode, 404, what);
  assert.ok(!res.body.includes(PRIVATE_TEXT), `${what}: the private page is not shown`);
  assert.match(res.body, /Log in to read/, what);
}

test('the whole journey: login-needed 404 with its link, dashboard handoff, one-time trade, private page served private', async () => {
  const anonymous = await docs(SECRET, PAGE);
  assertLoginNeeded(anonymous, 'anonymous');
  assert.ok(anonymous.body.includes(`http://localhost:8000${loginLink(SECRET, PAGE).replace(/&/g, '&#38;')}`), anonymous.body);
  assert.equal(anonymous.headers['cdn-cache-control'], 'private');

  // Signed out on the dashboard: log in first, then back to the handoff.
  const signedOut = await app.web.inject({ url: loginLink(SECRET, PAGE) });
  assert.equal(signedOut.statusCode, 303);
  assert.match(String(signedOut.headers.location), /^\/accounts\/login\/\?next=%2F_%2Fdocs-login%2F/);

  const auth = await handoffFor(bob, SECRET);
  assert.equal(auth.host, SECRET);
  assert.equal(auth.pathname, '/_/auth/');
  assert.equal(auth.searchParams.get('next'), PAGE);
  const traded = await docs(SECRET, auth.pathname + auth.search);
  assert.equal(traded.statusCode, 302);
  assert.equal(traded.headers.location, PAGE);
  assert.equal(traded.headers['cache-control'], 'no-store');
  const setCookie = String(traded.headers['set-cookie']);
  assert.match(setCookie, /^bindery_docs_session=[A-Za-z0-9_-]{43}; /);
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /Path=\//);
  assert.doesNotMatch(setCookie, /Domain=/i, 'host-only');

  const page = await docs(SECRET, PAGE, { cookie: cookieOf(traded) });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, new RegExp(PRIVATE_TEXT));
  assert.equal(page.headers['cache-control'], 'private, no-cache');
  assert.equal(page.headers['cdn-cache-control'], 'private');

  // The offline copy too, for the signed-in maintainer only.
  const DOWNLOAD = '/_/downloads/en/latest/htmlzip/';
  assertLoginNeeded(await docs(SECRET, DOWNLOAD), 'anonymous download');
  const zip = await docs(SECRET, DOWNLOAD, { cookie: cookieOf(traded) });
  assert.equal(zip.statusCode, 200);
  assert.equal(zip.body, `zip of ${PRIVATE_TEXT}`);
  assert.equal(zip.headers['cache-control'], 'private, no-cache');
  assert.equal(zip.headers['cdn-cache-control'], 'private');
});

test('over https (X-Forwarded-Proto from a trusted proxy) the cookie is __Host- and Secure', async () => {
  const auth = await handoffFor(bob, SECRET);
  const traded = await docs(SECRET, auth.pathname + auth.search, { 'x-forwarded-proto': 'https' });
  assert.equal(traded.statusCode, 302);
  const setCookie = String(traded.headers['set-cookie']);
  assert.match(setCookie, /^__Host-bindery_docs_session=/);
  assert.match(setCookie, /; Secure/);
  const page = await docs(SECRET, PAGE, { cookie: cookieOf(traded), 'x-forwarded-proto': 'https' });
  assert.equal(page.statusCode, 200);
  // The same value under the plain name is not read on https (a cookie tossed over http).
  const plain = cookieOf(traded).replace('__Host-', '');
  assertLoginNeeded(await docs(SECRET, PAGE, { cookie: plain, 'x-forwarded-proto': 'https' }), 'plain name on https');
});

test('a token works once: a replay is refused and sets no cookie', async () => {
  const auth = await handoffFor(bob, SECRET);
  assert.equal((await docs(SECRET, auth.pathname + auth.search)).statusCode, 302);
  const replay = await docs(SECRET, auth.pathname + auth.search);
  assert.equal(replay.statusCode, 403);
  assert.equal(replay.headers['set-cookie'], undefined);
});

test('a token made for one host is refused on another (and is spent)', async () => {
  const auth = await handoffFor(bob, SECRET);
  const elsewhere = await docs(OTHER, auth.pathname + auth.search);
  assert.equal(elsewhere.statusCode, 403);
  assert.equal(elsewhere.headers['set-cookie'], undefined);
  assert.equal((await docs(SECRET, auth.pathname + auth.search)).statusCode, 403, 'tried once, gone');
});

test('an expired token is refused', async () => {
  const auth = await handoffFor(bob, SECRET);
  await app.database.db.update(docsSessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(docsSessions.kind, 'handoff'));
  const late = await docs(SECRET, auth.pathname + auth.search);
  assert.equal(late.statusCode, 403);
  assert.equal(late.headers['set-cookie'], undefined);
  // A made-up token, and none at all.
  assert.equal((await docs(SECRET, '/_/auth/?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&next=/')).statusCode, 403);
  assert.equal((await docs(SECRET, '/_/auth/')).statusCode, 403);
});

test('no open redirect through the dashboard: next must be a docs host of a project the user may read', async () => {
  const before = await handoffCount();
  const bad = [
    'https://evil.example/', '//evil.example/', `//${SECRET}/`, `http://${SECRET}\\@evil.example/`, `http://evil.example\\.${SECRET}/`,
    `http:\\\\${SECRET}/`, `/\\evil.example/`, 'javascript:alert(1)', `http://user@${SECRET}/`, `http://${SECRET}:9999/`, `http://${SECRET}/\t/x`,
    `ftp://${SECRET}/`, `http://localhost:8000/dashboard/`, `http://nothing.docs.localhost/`, '', `http://${SECRET}.evil.example/`,
  ];
  for (const next of bad) {
    const res = await bob.form.get(`/_/docs-login/?next=${encodeURIComponent(next)}`);
    assert.equal(res.statusCode, 400, `${JSON.stringify(next)} → ${res.statusCode} ${String(res.headers.location)}`);
    assert.equal(res.headers.location, undefined);
  }
  // Another user's private project: refused as if it did not exist.
  assert.equal((await carol.form.get(loginLink(SECRET, PAGE))).statusCode, 400);
  assert.equal(await handoffCount(), before, 'no handoff was made for a refused next');
});

test("no open redirect through the docs host's /_/auth/: next lands on this host's path only", async () => {
  for (const next of ['//evil.example/', '/\\evil.example/', 'https://evil.example/', '\\\\evil.example', '/%0d%0aSet-Cookie:x=1', 'evil']) {
    const auth = await handoffFor(bob, SECRET, PAGE);
    auth.searchParams.set('next', next);
    const res = await docs(SECRET, auth.pathname + auth.search);
    assert.equal(res.statusCode, 302, next);
    const location = String(res.headers.location);
    assert.ok(location.startsWith('/') && !location.startsWith('//') && !location.startsWith('/\\'), `${next} → ${location}`);
    assert.ok(location === '/' || location === next, `${next} → ${location}`);
  }
});

test("a session cookie of one docs host does not open another host's private docs", async () => {
  const auth = await handoffFor(bob, SECRET);
  const cookie = cookieOf(await docs(SECRET, auth.pathname + auth.search));
  assert.equal((await docs(SECRET, PAGE, { cookie })).statusCode, 200);
  // bob maintains `other` too: still no, the session is bound to the host it was made on.
  assertLoginNeeded(await docs(OTHER, PAGE, { cookie }), 'session of another host');
});

test("the dashboard's own cookie means nothing to the docs host", async () => {
  const dashboardCookie = [...bob.form.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  assert.match(dashboardCookie, /bindery_session=/);
  assertLoginNeeded(await docs(SECRET, PAGE, { cookie: dashboardCookie }), 'dashboard cookie');
  // Nor does the dashboard cookie's value under the docs cookie's name.
  const value = bob.form.cookies.get('bindery_session')!;
  assertLoginNeeded(await docs(SECRET, PAGE, { cookie: `bindery_docs_session=${value}` }), 'dashboard session id as a docs session');
});

test("a non-maintainer's session reads nothing private", async () => {
  // carol cannot get a handoff (above); even a session row of hers for the host is not enough.
  const session = await createDocsSession(app.database.db, 'session', carol.user.id, SECRET, 60_000);
  assertLoginNeeded(await docs(SECRET, PAGE, { cookie: `bindery_docs_session=${session.id}` }), 'non-maintainer');
});

test("a deleted user's session stops working at once", async () => {
  const dave = await twin(app, 'dave');
  await app.database.db.insert(projectMaintainers).values({ projectId: (await app.database.db.select().from(projects).where(eq(projects.slug, 'secret')))[0]!.id, userId: dave.user.id });
  const auth = await handoffFor(dave, SECRET);
  const cookie = cookieOf(await docs(SECRET, auth.pathname + auth.search));
  assert.equal((await docs(SECRET, PAGE, { cookie })).statusCode, 200);
  await app.database.db.delete(users).where(eq(users.id, dave.user.id));
  assertLoginNeeded(await docs(SECRET, PAGE, { cookie }), 'deleted user');
});

test('public pages stay public: no login link, cacheable at the CDN', async () => {
  const db = app.database.db;
  await db.update(projects).set({ privacyLevel: 'public' }).where(eq(projects.slug, 'other'));
  await db.update(versions).set({ privacyLevel: 'public' }).where(eq(versions.projectId, (await db.select().from(projects).where(eq(projects.slug, 'other')))[0]!.id));
  servingChanged();
  const res = await docs(OTHER, PAGE);
  assert.equal(res.statusCode, 200);
  assert.notEqual(res.headers['cache-control'], 'private, no-cache');
  assert.match(String(res.headers['cdn-cache-control']), /^public/);
});
