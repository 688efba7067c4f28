// Attack: cross-site scripting through every string a repository or a user controls. A real
// repository with markup in branch and tag names and commit messages, a real build that
// prints `<script>` and one whose `.readthedocs.yaml` names a key made of markup, and markup
// in project fields, redirect and rule descriptions, variable names, domains, webhook URLs
// and usernames. Every dashboard page, the badge, the docs server's 404/400 answers,
// sitemap.xml and the JSON APIs must keep all of it inert text, with the CSP on every page;
// and a project's HTML is only ever served from a docs host, never the dashboard's origin.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { makeGitRepo, type GitRepo } from '../helpers/git-repo.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';
import { apiClient, type ApiClient } from '../helpers/api-client.ts';
import { FormClient } from '../helpers/browserless.ts';
import { settle } from '../helpers/webhooks.ts';
import { automationRules, domains, environmentVariables, projectMaintainers, projectWebhooks, projects, users, versions } from '../../src/db/schema.ts';
import { createUser } from '../../src/db/users.ts';
import { hashPassword } from '../../src/web/dashboard/passwords.ts';
import { isDocsHost } from '../../src/cli/serve.ts';

const SCRIPT = '<script>alert(1337)</script>';
const IMG = '<img src=x onerror=alert(1337)>';
const ATTR = '"><svg/onload=alert(1337)>';
const JS = 'javascript:alert(1337)';
const PAYLOADS = [SCRIPT, IMG, ATTR];
const BRANCH_SCRIPT = '<script>alert(1337)</script>';
const BRANCH_ATTR = 'x"><svg/onload=alert(1337)>';
const TAG_IMG = "v9'><img/src=x/onerror=alert(1337)>";
const DOCS_MARKER = 'DOCS-ONLY-CONTENT-55e1';

let app: TestApp;
let repo: GitRepo;
let api: ApiClient;
let client: FormClient;
let slug: string;
let projectId: number;
let logBuild: number;
let configBuild: number;
let integrationMade: { secret: string; webhook_url: string };

before(async () => {
  app = await testApp();
  repo = makeGitRepo({ files: { 'docs/index.md': `# Home\n\n${DOCS_MARKER}\n` } });
  repo.commit(BRANCH_SCRIPT, {
    '.readthedocs.yaml': [
      'version: 2', 'build:', '  os: ubuntu-24.04', '  commands:',
      `    - "echo '${SCRIPT} ${IMG}'"`,
      `    - "mkdir -p $READTHEDOCS_OUTPUT/html && echo '<p>${DOCS_MARKER}</p>' > $READTHEDOCS_OUTPUT/html/index.html"`, '',
    ].join('\n'),
  }, `Commit ${SCRIPT}`);
  repo.commit('bad-config', { '.readthedocs.yaml': `version: 2\n"${IMG}": 1\nbuild:\n  os: ubuntu-24.04\n` }, `Config ${IMG}`);
  repo.commit(BRANCH_ATTR, { 'docs/other.md': '# Other\n' }, `Attr ${ATTR}`);
  repo.git('tag', TAG_IMG, 'bad-config');

  api = apiClient(app);
  const created = await api.post('/api/v3/projects/', { name: `Evil ${SCRIPT}`, repository: { url: repo.url } });
  assert.equal(created.statusCode, 201, created.body);
  ({ slug, id: projectId } = created.json());
  await settle(app, projectId);

  const all = (await api.get(`/api/v3/projects/${slug}/versions/?limit=100`)).json().results as Array<{ slug: string; verbose_name: string }>;
  const slugOfName = (name: string) => all.find((v) => v.verbose_name === name)?.slug ?? assert.fail(`no version named ${name}: ${JSON.stringify(all)}`);
  for (const name of [BRANCH_SCRIPT, 'bad-config', BRANCH_ATTR, TAG_IMG]) {
    const v = slugOfName(name);
    const res = await api.patch(`/api/v3/projects/${slug}/versions/${v}/`, { active: true });
    assert.ok(res.statusCode < 300, res.body);
  }
  const trigger = async (name: string) => {
    const res = await api.post(`/api/v3/projects/${slug}/versions/${slugOfName(name)}/builds/`);
    assert.equal(res.statusCode, 202, res.body);
    return res.json().build.id as number;
  };
  logBuild = await trigger(BRANCH_SCRIPT);
  configBuild = await trigger('bad-config');
  await settle(app, projectId);

  // Strings the API validates away are written straight to the rows: the pages must be safe
  // whatever a row holds.
  await app.database.db.update(projects).set({ description: `Described ${SCRIPT} ${IMG}` }).where(eq(projects.id, projectId));
  await app.database.db.insert(environmentVariables).values({ projectId, name: `VAR_${IMG}`, value: SCRIPT, public: true });
  await app.database.db.insert(domains).values({ projectId, domain: `${ATTR}.example`, verificationToken: `tok${SCRIPT}` });
  await app.database.db.insert(projectWebhooks).values({ projectId, url: `https://hooks.example/${ATTR}?q=${SCRIPT}`, secret: 's' });
  await app.database.db.insert(automationRules).values({ projectId, description: `Rule ${SCRIPT}`, matchArg: IMG, versionType: 'tag', action: 'activate-version', predefinedMatch: 'regex' });
  const evilUser = await createUser(app.database.db, { username: `u${IMG}`, email: `${SCRIPT}@example.com` });
  await app.database.db.insert(projectMaintainers).values({ projectId, userId: evilUser.id });
  const redirect = await api.post(`/api/v3/projects/${slug}/redirects/`, { type: 'exact', from_url: `/from/${ATTR}`, to_url: `/to/${ATTR}`, description: `Why ${SCRIPT}` });
  assert.equal(redirect.statusCode, 201, redirect.body);
  const integration = await api.post(`/api/v3/projects/${slug}/integrations/`, { type: 'github' });
  assert.equal(integration.statusCode, 201, integration.body);
  integrationMade = integration.json();

  // The maintainer signs in to the dashboard like a browser would.
  await app.database.db.update(users).set({ passwordHash: await hashPassword('correct horse battery') }).where(eq(users.id, app.user.id));
  client = new FormClient(app.web);
  const login = await client.submit('/accounts/login/', '/accounts/login/', { username: app.user.username, password: 'correct horse battery' });
  assert.equal(login.statusCode, 303, login.body);
});

after(async () => {
  await app.close();
  repo.remove();
});

/** The one script tag every page may have, and no element with an event handler or a javascript: URL. */
function assertInert(body: string, what: string): void {
  for (const p of [...PAYLOADS, BRANCH_ATTR, TAG_IMG]) assert.ok(!body.includes(p), `${what} contains ${JSON.stringify(p)} unescaped`);
  for (const tag of body.match(/<script\b[^>]*>/gi) ?? []) assert.equal(tag, '<script src="/_/static/dashboard.js" defer>', `${what}: a script tag that is not the dashboard's`);
  // Attribute values are escaped text; what is left of a tag without them must hold no handler.
  for (const tag of body.match(/<[a-z][^>]*>/gi) ?? []) {
    const bare = tag.replace(/"[^"]*"|'[^']*'/g, '""');
    assert.doesNotMatch(bare, /\son[a-z]+\s*=/i, `${what}: an element with an event handler attribute: ${tag}`);
  }
  assert.doesNotMatch(body, /<(img|svg|iframe|object|embed)\b[^>]*(onerror|onload|alert\()/i, `${what}: injected element`);
  assert.doesNotMatch(body, /\b(href|src|action|formaction|data)\s*=\s*["']?\s*javascript:/i, `${what}: a javascript: URL`);
}

test('the attacks reached the product: hostile versions, a build log and a config error exist', async () => {
  const log = (await api.get(`/api/v3/projects/${slug}/builds/${logBuild}/`)).json();
  assert.equal(log.state.code, 'finished', JSON.stringify(log.error));
  assert.ok(log.log.some((l: { line: string }) => l.line.includes(SCRIPT)), 'the build printed the script tag');
  const cfg = (await api.get(`/api/v3/projects/${slug}/builds/${configBuild}/`)).json();
  assert.equal(cfg.success, false);
  assert.ok(String(cfg.error).includes(IMG), `the config error names the hostile key: ${cfg.error}`);
});

test('every dashboard page keeps repository and user strings inert, under the CSP', async () => {
  const versionRows = await app.database.db.select().from(versions).where(eq(versions.projectId, projectId));
  const pages = [
    '/', '/dashboard/', `/projects/${slug}/`, `/projects/${slug}/builds/`, `/projects/${slug}/builds/${logBuild}/`, `/projects/${slug}/builds/${configBuild}/`,
    `/projects/${slug}/versions/`, '/accounts/tokens/',
    ...['edit', 'redirects', 'environmentvariables', 'integrations', 'webhooks', 'domains', 'subprojects', 'translations', 'rules', 'users', 'delete'].map((a) => `/dashboard/${slug}/${a}/`),
    ...versionRows.map((v) => `/dashboard/${slug}/version/${encodeURIComponent(v.slug)}/edit/`),
    `/projects/${encodeURIComponent(SCRIPT)}/`, `/dashboard/?notice=${encodeURIComponent(SCRIPT + IMG)}`, `/accounts/login/?next=${encodeURIComponent(ATTR)}`,
    `/projects/${slug}/builds/${encodeURIComponent(ATTR)}/`, `/${encodeURIComponent(SCRIPT)}`,
  ];
  let escapedSeen = 0;
  for (const url of pages) {
    const res = await client.get(url);
    assert.ok(res.statusCode < 500, `${url} → ${res.statusCode}`);
    if (res.statusCode >= 300 && res.statusCode < 400) {
      assert.ok(!String(res.headers.location).includes('<'), `${url}: markup in Location`);
      continue;
    }
    assert.match(String(res.headers['content-type']), /^text\/html/, url);
    const csp = String(res.headers['content-security-policy'] ?? '');
    assert.match(csp, /script-src 'self'/, `${url} has the CSP`);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, url);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    assertInert(res.body, url);
    if (res.body.includes('&lt;script&gt;alert(1337)') || res.body.includes('&lt;img src=x onerror=alert(1337)&gt;')) escapedSeen++;
  }
  assert.ok(escapedSeen >= 8, `the hostile strings were rendered as text on the pages (${escapedSeen})`);
  const buildPage = (await client.get(`/projects/${slug}/builds/${logBuild}/`)).body;
  assert.ok(buildPage.includes('&lt;script&gt;alert(1337)&lt;/script&gt;'), 'the log line is shown, escaped');
  const configPage = (await client.get(`/projects/${slug}/builds/${configBuild}/`)).body;
  assert.ok(configPage.includes('&lt;img src=x onerror=alert(1337)&gt;'), 'the config error is shown, escaped');
});

test('the live log stream and the badge carry no markup a browser would run', async () => {
  const stream = await client.get(`/projects/${slug}/builds/${logBuild}/log/stream/`);
  assert.ok(stream.statusCode < 500);
  assert.doesNotMatch(String(stream.headers['content-type']), /html/);
  for (const url of [`/projects/${slug}/badge.svg`, `/projects/${slug}/badge.svg?version=${encodeURIComponent(SCRIPT)}`, `/projects/${slug}/badge.svg?version=${encodeURIComponent(ATTR)}`]) {
    const badge = await app.web.inject({ url });
    assert.equal(badge.statusCode, 200, url);
    assert.match(String(badge.headers['content-type']), /^image\/svg\+xml/);
    assert.ok(!badge.body.includes('1337') && !/<script|\son[a-z]+=/i.test(badge.body), `${url}: ${badge.body}`);
  }
});

test('the docs server: 404 and 400 answers and sitemap.xml reflect nothing', async () => {
  const host = `${slug}.${app.docsDomain}`;
  for (const path of [`/en/latest/${encodeURIComponent(SCRIPT)}`, `/en/latest/${encodeURIComponent(ATTR)}/`, `/en/${encodeURIComponent(IMG)}/`, `/en/latest/${encodeURIComponent(SCRIPT)}%2F..`, `/${encodeURIComponent(SCRIPT)}?${encodeURIComponent(IMG)}`, `/_/downloads/en/${encodeURIComponent(SCRIPT)}/pdf/`]) {
    const res = await app.docs.inject({ url: path, headers: { host } });
    assert.ok(res.statusCode >= 300 && res.statusCode < 500, `${path} → ${res.statusCode}`);
    assert.ok(!res.body.includes('1337'), `${path} reflects the request: ${res.body.slice(0, 300)}`);
    assert.ok(!String(res.headers.location ?? '').includes('<'), `${path}: raw markup in Location`);
  }
  const missingHost = await app.docs.inject({ url: '/', headers: { host: `x${encodeURIComponent(SCRIPT)}.${app.docsDomain}` } });
  assert.ok(!missingHost.body.includes('1337'));
  const sitemap = await app.docs.inject({ url: '/sitemap.xml', headers: { host } });
  assert.equal(sitemap.statusCode, 200);
  for (const tag of sitemap.body.match(/<[^>]*>/g) ?? []) assert.match(tag, /^<\/?(\?xml |urlset|url>|loc>|lastmod>|changefreq>|priority>|xhtml:link )/, `sitemap.xml tag ${tag}`);
  assert.ok(!sitemap.body.includes('1337') || !/[<>"]/.test(sitemap.body.replace(/<[^>]*>/g, '')), 'sitemap text is XML-escaped');
});

test('JSON answers never carry a raw < (API v3, webhook receivers, errors)', async () => {
  for (const url of [`/api/v3/projects/${slug}/`, `/api/v3/projects/${slug}/versions/?limit=100`, `/api/v3/projects/${slug}/builds/${logBuild}/`, `/api/v3/projects/${slug}/builds/${configBuild}/`,
    `/api/v3/projects/${slug}/redirects/`, `/api/v3/projects/${slug}/environmentvariables/`, `/api/v3/projects/${slug}/domains/`, `/api/v3/projects/${slug}/webhooks/`, `/api/v3/projects/${slug}/automation-rules/`,
    `/api/v3/projects/${encodeURIComponent(SCRIPT)}/`]) {
    const res = await api.get(url);
    assert.ok(res.statusCode < 500, `${url} → ${res.statusCode}`);
    assert.ok(!res.body.includes('<'), `${url}: raw < in ${res.body.slice(0, 200)}`);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
  }
  const unknown = await api.get(`/api/v3/${encodeURIComponent(SCRIPT)}/`);
  assert.equal(unknown.statusCode, 404);
  assert.ok(!unknown.body.includes('<'), `404: ${unknown.body}`);
  // A webhook receiver echoing a hostile ref from a signed delivery.
  const { secret, webhook_url: hookUrl } = integrationMade;
  const body = JSON.stringify({ ref: `refs/pull/${SCRIPT}`, after: 'a'.repeat(40), repository: { default_branch: 'main' } });
  const hook = await app.web.inject({
    method: 'POST', url: new URL(hookUrl).pathname, payload: body,
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` },
  });
  assert.ok(hook.statusCode < 500, hook.body);
  assert.ok(!hook.body.includes('<'), `webhook answer: ${hook.body}`);
  const notFound = await app.web.inject({ url: `/api/v2/webhook/${encodeURIComponent(SCRIPT)}/1/`, method: 'POST', payload: '{}', headers: { 'content-type': 'application/json' } });
  assert.ok(!notFound.body.includes('<'), notFound.body);
});

test('a project’s documentation is served only from docs hosts, never from the dashboard’s origin', async () => {
  const onDocs = await app.docs.inject({ url: '/en/latest/', headers: { host: `${slug}.${app.docsDomain}` } });
  assert.equal(onDocs.statusCode, 200);
  assert.ok(onDocs.body.includes(DOCS_MARKER));
  const live = (await app.database.db.select().from(versions).where(eq(versions.projectId, projectId))).find((v) => v.slug === 'latest')!;
  for (const path of ['/en/latest/', `/${slug}/en/latest/`, `/${slug}/latest/${live.liveBuildId}/html/index.html`, `/projects/${slug}/en/latest/`, `/_/downloads/${slug}/en/latest/htmlzip/`, `/docs/${slug}/`]) {
    for (const host of ['localhost:8000', 'localhost', '127.0.0.1:8000']) {
      const res = await app.web.inject({ url: path, headers: { host } });
      assert.ok(!res.body.includes(DOCS_MARKER), `${host}${path} served the project's documentation from the dashboard origin`);
    }
  }
  // The single-port server sends a host to the docs app only when it is a docs host.
  assert.equal(isDocsHost('localhost:8000', 'localhost:8000', app.docsDomain, app.previewDomain), false);
  assert.equal(isDocsHost('127.0.0.1:8000', 'localhost:8000', app.docsDomain, app.previewDomain), false);
  assert.equal(isDocsHost(`${slug}.${app.docsDomain}`, 'localhost:8000', app.docsDomain, app.previewDomain), true);
  // Nobody can claim the dashboard's or the docs domain's names as a custom domain.
  for (const domain of [app.docsDomain, `x.${app.docsDomain}`, 'localhost']) {
    const res = await api.post(`/api/v3/projects/${slug}/domains/`, { domain });
    assert.equal(res.statusCode, 400, `${domain}: ${res.body}`);
  }
});
