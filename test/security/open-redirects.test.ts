// Attack: open redirects. Every redirect the docs server makes (system ones: `/`, a missing
// trailing slash, `//host`; user rules with hostile targets and splats) and the dashboard's
// login `next=` are asked with the tricks browsers fall for (`//evil`, `/\evil`, tabs,
// `https:evil`); each Location is resolved the way a browser does (WHATWG URL) and must stay
// on the requested host — unless a maintainer's rule names an absolute URL on purpose
// (Read the Docs allows exactly that; a request's path never turns into another host).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { docsFixture, type DocsFixture } from '../helpers/docs-fixture.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';
import { apiClient } from '../helpers/api-client.ts';
import { FormClient } from '../helpers/browserless.ts';
import { rawGet } from '../helpers/raw-http.ts';
import { projects } from '../../src/db/schema.ts';

const HOST = 'alpha.docs.localhost';
const EXPLICIT = 'https://elsewhere.example/landing';

let docs: DocsFixture;
let port: number;
let app: TestApp;

before(async () => {
  docs = await docsFixture();
  const alpha = await docs.project('alpha');
  const latest = await docs.version(alpha, 'latest');
  await docs.deploy(alpha, latest, { 'index.html': 'home', 'guide/index.html': 'guide' });
  const sub = await docs.project('sub');
  await docs.deploy(sub, await docs.version(sub, 'latest'), { 'index.html': 'sub home' });
  await docs.subproject(alpha, sub, 'sub');
  // Rules written straight into the database, so serving is tested even with targets the
  // API refuses (rows from an older version, a restore, a bug elsewhere).
  let position = 0;
  const rule = (type: string, fromUrl: string, toUrl: string, force = false) => docs.redirect(alpha, { type, fromUrl, toUrl, force, position: position++ });
  await rule('exact', '/splat/*', '/:splat');
  await rule('exact', '/bare/*', ':splat');
  await rule('page', '/pg/*', '/:splat');
  await rule('exact', '/rest/$rest', '/');
  await rule('exact', '/ext1', '//evil.example/x');
  await rule('exact', '/ext2', '/\\evil.example/x');
  await rule('exact', '/ext3', 'https:evil.example');
  await rule('exact', '/ext4', '\\\\evil.example');
  await rule('exact', '/ext5', 'javascript:alert(document.domain)');
  await rule('exact', '/ext6', '\t//evil.example');
  await rule('exact', '/ext7', '/\t/evil.example');
  await rule('exact', '/ext8', 'https:/\\evil.example');
  await rule('exact', '/ext9', '\\/evil.example');
  await rule('exact', '/ext10', 'HTTPS:evil.example');
  await rule('exact', '/abs/*', 'https://docs.example.org:splat');
  await rule('exact', '/abs2/*', 'https://docs.example.org/:splat');
  await rule('page', '/pgabs/*', 'https://docs.example.org:splat');
  await rule('exact', '/forced/*', '/:splat', true);
  await rule('exact', '/explicit', EXPLICIT);
  port = await docs.listen();
  app = await testApp({ builder: false });
});

after(async () => {
  await docs.close();
  await app.close();
});

/** Where a browser on `http://<host>/…` would go for this Location. */
function destination(location: string, host: string): URL {
  return new URL(location, `http://${host}/some/page`);
}

function assertStaysOn(location: string | undefined, host: string, what: string): void {
  assert.ok(location !== undefined, `${what}: a redirect without a Location`);
  const to = destination(location, host);
  assert.equal(to.host, host, `${what} sends the reader to ${to.href} (Location: ${JSON.stringify(location)})`);
  assert.ok(to.protocol === 'http:' || to.protocol === 'https:', `${what}: Location ${JSON.stringify(location)} is a ${to.protocol} URL`);
}

const DOCS_PATHS = [
  '/', '/?next=//evil.example', '/en', '/en/latest', '/en/latest/guide', '/en/latest/guide?next=https://evil.example',
  '/projects/sub', '/projects/sub/', '/projects/sub/en', '/projects/sub/en/latest',
  '//evil.example', '//evil.example/', '///evil.example/', '////evil.example/en/latest/', '//evil.example/%2e%2e',
  '/%2F%2Fevil.example', '/%2Fevil.example', '/%5Cevil.example', '/%5C%5Cevil.example', '/%09/evil.example',
  '/.//evil.example', '/en/latest/..//evil.example', '/en/latest/guide/%2F%2Fevil.example',
  '/splat//evil.example', '/splat///evil.example', '/splat/%2F%2Fevil.example', '/splat/%5Cevil.example', '/splat/%09/evil.example',
  '/splat/https:evil.example', '/splat/https:/evil.example', '/splat/%20//evil.example', '/splat/@evil.example',
  '/bare//evil.example', '/bare/evil.example', '/bare/https:%2F%2Fevil.example', '/bare/%5C%5Cevil.example',
  '/en/latest/pg//evil.example', '/en/latest/pg/%5Cevil.example',
  '/rest//evil.example',
  '/ext1', '/ext2', '/ext3', '/ext4', '/ext5', '/ext6', '/ext7', '/ext8', '/ext9', '/ext10',
  '/abs/.evil.example', '/abs/@evil.example', '/abs/:pass@evil.example', '/abs/%40evil.example', '/abs/.evil.example/x', '/abs/%2F%2Fevil.example',
  '/abs2//evil.example', '/abs2/@evil.example',
  '/en/latest/pgabs/.evil.example', '/en/latest/pgabs/@evil.example',
  '/forced//evil.example', '/forced/%5Cevil.example',
];

/** A Location on another host is allowed only for the two hosts the rules name on purpose. */
function assertDocsRedirect(location: string | undefined, what: string): void {
  assert.ok(location !== undefined, `${what}: a redirect without a Location`);
  const to = destination(location, HOST);
  if (to.host === HOST) return assertStaysOn(location, HOST, what);
  assert.equal(to.host, 'docs.example.org', `${what} sends the reader to ${to.href} (Location: ${JSON.stringify(location)})`);
  assert.equal(to.protocol, 'https:');
  assert.equal(to.username + to.password, '', `${what}: credentials in ${to.href}`);
}

test('the docs server: system and user redirects never leave the host a request asked for', async () => {
  let redirects = 0;
  for (const path of DOCS_PATHS) {
    const res = await docs.docs.inject({ url: path, headers: { host: HOST } });
    assert.ok(res.statusCode < 500, `${path} → ${res.statusCode}`);
    if (res.statusCode >= 300 && res.statusCode < 400) {
      redirects++;
      assertDocsRedirect(res.headers.location as string | undefined, path);
    }
  }
  assert.ok(redirects > 30, `the attacks reached the redirect code (${redirects} redirects)`);
  // The same byte for byte over a socket, plus what only a raw request line can carry.
  for (const path of [...DOCS_PATHS, '/\\evil.example', '/\\\\evil.example/', '//\\evil.example', '/splat/\\evil.example', '/en/latest/guide\\']) {
    const res = await rawGet(port, HOST, path);
    assert.ok(res.status > 0 && res.status < 500, `socket ${path} → ${res.status} ${res.error ?? ''}`);
    if (res.status >= 300 && res.status < 400) assertDocsRedirect(/\r\nlocation: ([^\r]*)/i.exec(res.text)?.[1], `socket ${path}`);
  }
});

test('a maintainer’s explicit absolute rule is the one way to another host, and it goes exactly there', async () => {
  const res = await docs.docs.inject({ url: '/explicit', headers: { host: HOST } });
  assert.equal(res.statusCode, 302);
  assert.equal(res.headers.location, EXPLICIT);
  const joined = await docs.docs.inject({ url: '/abs2/guide/a.html', headers: { host: HOST } });
  assert.equal(joined.headers.location, 'https://docs.example.org/guide/a.html');
});

test('the API refuses redirect targets a browser would read as another host unless they are absolute http(s) URLs', async () => {
  const api = apiClient(app);
  const created = await api.post('/api/v3/projects/', { name: 'Redirected', repository: { url: 'https://git.example.org/r.git' } });
  assert.equal(created.statusCode, 201, created.body);
  const refused = ['//evil.example', '/\\evil.example', '\\\\evil.example', '\\/evil.example', 'https:evil.example', 'https:/evil.example', 'HTTPS:evil.example', 'javascript:alert(1)', 'data:text/html,x', '/\tx', 'https://user:pass@evil.example/', 'ftp://evil.example/'];
  for (const to of refused) {
    const res = await api.post('/api/v3/projects/redirected/redirects/', { type: 'exact', from_url: '/from', to_url: to });
    assert.equal(res.statusCode, 400, `to_url ${JSON.stringify(to)} → ${res.statusCode} ${res.body}`);
  }
  for (const to of ['/same-host/', 'https://elsewhere.example/x']) {
    const res = await api.post('/api/v3/projects/redirected/redirects/', { type: 'exact', from_url: '/from', to_url: to });
    assert.equal(res.statusCode, 201, `${to}: ${res.body}`);
  }
  const [row] = await app.database.db.select().from(projects);
  assert.ok(row);
});

test('the dashboard’s login next= and its log-in redirect stay on the dashboard', async () => {
  const signup = new FormClient(app.web);
  const made = await signup.submit('/accounts/signup/', '/accounts/signup/', { username: 'wanderer', email: 'w@example.com', password: 'correct horse battery' });
  assert.equal(made.statusCode, 303);
  const nexts = [
    '//evil.example', '//evil.example/', '///evil.example', '/\\evil.example', '/\\\\evil', '\\\\evil.example', '\\/evil.example',
    'https:evil.example', 'https://evil.example/', 'HTTPS://evil.example', 'javascript:alert(1)', '/\t/evil.example', '/\n/evil.example',
    '/\r\nSet-Cookie: x=1', '/%2F%2Fevil.example', '/%5Cevil.example', '/\u3000/evil.example', '/\u2028/evil.example', '/日本',
    '/\u0001x', '/é', ' //evil.example', '/./\\evil.example', 'evil.example', '',
  ];
  for (const next of nexts) {
    const client = new FormClient(app.web);
    const res = await client.submit(`/accounts/login/?next=${encodeURIComponent(next)}`, '/accounts/login/', { username: 'wanderer', password: 'correct horse battery', next });
    assert.equal(res.statusCode, 303, `next=${JSON.stringify(next)} → ${res.statusCode}`);
    assertStaysOn(res.headers.location as string | undefined, 'localhost:8000', `next=${JSON.stringify(next)}`);
    // The form renders the same next= it will use, never the raw one.
    const form = await app.web.inject({ url: `/accounts/login/?next=${encodeURIComponent(next)}` });
    assert.equal(form.statusCode, 200);
    const shown = /name="next" value="([^"]*)"/.exec(form.body)?.[1] ?? '';
    assertStaysOn(shown.replace(/&amp;/g, '&'), 'localhost:8000', `the form's next for ${JSON.stringify(next)}`);
  }
  const kept = await new FormClient(app.web).submit('/accounts/login/', '/accounts/login/', { username: 'wanderer', password: 'correct horse battery', next: '/projects/x/?a=1' });
  assert.equal(kept.headers.location, '/projects/x/?a=1', 'a same-site next is still honoured');
});

test('the dashboard’s own redirects (log-in required, paths with //) stay on the dashboard', async () => {
  for (const path of ['/dashboard/', '//evil.example/dashboard/', '/dashboard//evil.example/', '/%2F%2Fevil.example', '/projects//evil.example/', '/accounts/login//evil.example']) {
    const res = await app.web.inject({ url: path });
    assert.ok(res.statusCode < 500, `${path} → ${res.statusCode}`);
    if (res.statusCode >= 300 && res.statusCode < 400) assertStaysOn(res.headers.location as string | undefined, 'localhost:8000', path);
  }
});
