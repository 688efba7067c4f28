// Attack: one user's API token on another user's project. Every route of API v3 is taken
// from the OpenAPI document (so a route added tomorrow is attacked too) and called by user B
// with real ids of user A's projects and their rows. On private projects, reads and writes
// answer 404 — never 403, which would confirm the project exists, and never data. On public
// projects, as on Read the Docs, B may read what any reader may (never a secret), and every
// write is 403. Either way nothing changes. Tokens of deleted users and expired tokens are
// 401. The builder API refuses user tokens, and one build's token for another build.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { makeGitRepo, type GitRepo } from '../helpers/git-repo.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';
import { apiClient, type ApiClient, type Method } from '../helpers/api-client.ts';
import { snapshotDatabase } from '../helpers/db-snapshot.ts';
import { builds, notifications, users } from '../../src/db/schema.ts';
import { createUser } from '../../src/db/users.ts';
import { createToken } from '../../src/db/api-tokens.ts';
import { BUILDER_API } from '../../src/builder/protocol.ts';

const SECRET_VALUE = 'A-PRIVATE-VALUE-9b1c';

let app: TestApp;
let repo: GitRepo;
let alice: ApiClient;
let bob: ApiClient;
let bobAuth: { authorization: string };
let ids: Record<string, string>;
let integrationSecret: string;

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Hi\n' } });
  alice = apiClient(app);
  const b = await app.newUser('bob');
  bobAuth = b.auth;
  bob = apiClient(app, b.auth);
  const ok = async (res: Promise<LightMyRequestResponse>) => {
    const r = await res;
    assert.ok(r.statusCode < 300, r.body);
    return r.json();
  };
  await ok(alice.post('/api/v3/projects/', { name: 'Alpha', repository: { url: repo.url } }));
  await ok(alice.post('/api/v3/projects/', { name: 'Child', repository: { url: repo.url } }));
  await ok(alice.post('/api/v3/projects/', { name: 'Alpha FR', repository: { url: repo.url }, language: 'fr' }));
  await ok(bob.post('/api/v3/projects/', { name: 'Bravo', repository: { url: repo.url } }));
  const variable = await ok(alice.post('/api/v3/projects/alpha/environmentvariables/', { name: 'PRIVATE', value: SECRET_VALUE, public: false }));
  const redirect = await ok(alice.post('/api/v3/projects/alpha/redirects/', { type: 'exact', from_url: '/a', to_url: '/b' }));
  const integration = await ok(alice.post('/api/v3/projects/alpha/integrations/', { type: 'github' }));
  integrationSecret = integration.secret;
  const webhook = await ok(alice.post('/api/v3/projects/alpha/webhooks/', { url: 'https://hooks.example/alpha' }));
  await ok(alice.post('/api/v3/projects/alpha/domains/', { domain: 'docs.alpha.example' }));
  const header = await ok(alice.post('/api/v3/projects/alpha/domains/docs.alpha.example/headers/', { name: 'x_frame_options', value: 'DENY' }));
  await ok(alice.post('/api/v3/projects/alpha/subprojects/', { child: 'child', alias: 'child' }));
  await ok(alice.post('/api/v3/projects/alpha/translations/', { project: 'alpha-fr' }));
  const rule = await ok(alice.post('/api/v3/projects/alpha/automation-rules/', { match_arg: '.*', version_type: 'tag', action: 'activate-version' }));
  const token = await ok(alice.post('/api/v3/tokens/', { name: 'ci' }));
  const build = (await ok(alice.get('/api/v3/projects/alpha/builds/'))).results[0];
  await app.database.db.update(builds).set({ state: 'finished', success: true, finishedAt: new Date() }).where(eq(builds.id, build.id));
  ids = {
    project: 'alpha', version: 'latest', build: String(build.id), rule: String(rule.pk ?? rule.id), domain: 'docs.alpha.example', variable: String(variable.pk ?? variable.id),
    redirect: String(redirect.pk ?? redirect.id), alias: 'child', translation: 'alpha-fr', username: 'alice', token: String(token.pk ?? token.id ?? token.token?.id),
    header: String(header.pk ?? header.id), 'integrations/{id}': String(integration.pk ?? integration.id), 'webhooks/{id}': String(webhook.pk ?? webhook.id),
  };
  BODIES['POST /api/v3/projects/{project}/versions/{version}/rollback/'] = { build: build.id };
});

after(async () => {
  await app.close();
  repo.remove();
});

/** A path of the OpenAPI document with user A's real ids in it. */
function fill(path: string): string {
  ids.notification = ids[path.includes('/builds/{build}/') ? 'build-notification' : 'project-notification'] ?? '1';
  return path.replace(/([a-z-]+\/)?\{([a-z_]+)\}/g, (_w, before: string | undefined, name: string) => {
    const value = (before ? ids[`${before}{${name}}`] : undefined) ?? ids[name];
    assert.ok(value !== undefined, `cross-user-api.test.ts has no value for {${name}} in ${path}: add one to ids`);
    return `${before ?? ''}${encodeURIComponent(value)}`;
  });
}

/** Bodies that pass each write's validation, so only the permission check can refuse them. */
const BODIES: Record<string, unknown> = {
  'PATCH /api/v3/projects/{project}/': { name: 'Pwned', privacy_level: 'public' },
  'POST /api/v3/projects/{project}/automation-rules/': { match_arg: '.*', version_type: 'tag', action: 'delete-version' },
  'PATCH /api/v3/projects/{project}/automation-rules/{rule}/': { description: 'pwned' },
  'POST /api/v3/projects/{project}/domains/': { domain: 'pwned.example.org' },
  'POST /api/v3/projects/{project}/domains/{domain}/headers/': { name: 'access_control_allow_origin', value: '*' },
  'POST /api/v3/projects/{project}/environmentvariables/': { name: 'PWNED', value: 'x' },
  'POST /api/v3/projects/{project}/integrations/': { type: 'github' },
  'POST /api/v3/projects/{project}/maintainers/': { username: 'bob' },
  'POST /api/v3/projects/{project}/redirects/': { type: 'exact', from_url: '/p', to_url: '/q' },
  'PUT /api/v3/projects/{project}/redirects/{redirect}/': { type: 'exact', from_url: '/p', to_url: '/q' },
  'PATCH /api/v3/projects/{project}/redirects/{redirect}/': { to_url: '/pwned' },
  'POST /api/v3/projects/{project}/subprojects/': { child: 'bravo', alias: 'bravo' },
  'POST /api/v3/projects/{project}/translations/': { project: 'bravo' },
  'PATCH /api/v3/projects/{project}/versions/{version}/': { active: false, privacy_level: 'private' },
  'POST /api/v3/projects/{project}/webhooks/': { url: 'https://hooks.example/pwned' },
  'POST /api/v3/projects/': { name: 'Dead', repository: { url: 'https://git.example.org/dead.git' } },
  'POST /api/v3/tokens/': { name: 'dead' },
};

/** Routes that name no project of anyone else: checked separately below. */
const OWN_ONLY = new Set(['GET /api/v3/', 'GET /api/v3/openapi.json', 'GET /api/v3/projects/', 'POST /api/v3/projects/', 'GET /api/v3/tokens/', 'POST /api/v3/tokens/']);

/** Sets the privacy of all of A's projects (as A, through the API). */
async function alicesProjects(privacy: 'public' | 'private'): Promise<void> {
  for (const slug of ['alpha', 'child', 'alpha-fr']) {
    const res = await alice.patch(`/api/v3/projects/${slug}/`, { privacy_level: privacy });
    assert.equal(res.statusCode, 204, res.body);
  }
}

/** One notification on A's project and one on its build, as a failed build and a project problem leave them. */
async function addNotifications(): Promise<void> {
  const projectId = (await alice.get('/api/v3/projects/alpha/')).json().id as number;
  const [onProject] = await app.database.db.insert(notifications).values({ messageId: 'project:invalid-yaml', projectId }).returning();
  const [onBuild] = await app.database.db.insert(notifications).values({ messageId: 'build:user:generic', projectId, buildId: Number(ids.build) }).returning();
  ids['project-notification'] = String(onProject!.id);
  ids['build-notification'] = String(onBuild!.id);
}

async function operations(): Promise<Array<{ method: Method; path: string }>> {
  const doc = (await app.web.inject({ url: '/api/v3/openapi.json' })).json();
  const ops: Array<{ method: Method; path: string }> = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(item)) ops.push({ method: method.toUpperCase() as Method, path });
  }
  return ops;
}

/** inject, but an endless answer (an event stream) fails the test instead of hanging it. */
async function call(client: ApiClient, method: Method, url: string, body?: unknown): Promise<LightMyRequestResponse> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_r, reject) => (timer = setTimeout(() => reject(new Error(`${method} ${url} did not answer in 5 s`)), 5000)));
  try {
    return await Promise.race([client.call(method, url, body), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Calls every route of the document as B on A's projects; `expect` judges each answer. */
async function attackEveryRoute(expect: (method: Method, url: string, res: LightMyRequestResponse) => void): Promise<number> {
  const ops = await operations();
  assert.ok(ops.length >= 50, `the OpenAPI document lists ${ops.length} operations`);
  if (!ids['build-notification']) await addNotifications();
  const before = await snapshotDatabase(app.database.db);
  let attacked = 0;
  for (const { method, path } of ops) {
    if (OWN_ONLY.has(`${method} ${path}`) || path.startsWith('/api/v3/users/')) continue;
    // Only a subproject has a superproject: ask about A's subproject there.
    const url = path.endsWith('/superproject/') ? fill(path).replace('/alpha/', '/child/') : fill(path);
    // The control: the owner reads it (so the ids are real and the refusal is the permission check).
    if (method === 'GET') {
      const own = await call(alice, method, url);
      assert.equal(own.statusCode, 200, `control: alice GET ${url} → ${own.statusCode} ${own.body.slice(0, 200)}`);
    }
    const body = method === 'GET' || method === 'DELETE' ? undefined : BODIES[`${method} ${path}`] ?? {};
    const res = await call(bob, method, url, body);
    expect(method, url, res);
    for (const leak of [SECRET_VALUE, integrationSecret, 'hooks.example/alpha']) assert.ok(!res.body.includes(leak), `bob ${method} ${url} leaked ${leak}`);
    attacked++;
  }
  assert.equal(await snapshotDatabase(app.database.db), before, 'a request of user B changed user A’s data');
  return attacked;
}

test('every API v3 route: user B on user A’s private project gets 404, no data, and nothing changes', async () => {
  await alicesProjects('private');
  try {
    const attacked = await attackEveryRoute((method, url, res) => {
      assert.equal(res.statusCode, 404, `bob ${method} ${url} → ${res.statusCode} ${res.body.slice(0, 300)} (a new write route may need a body in BODIES)`);
      assert.ok(!res.body.includes('docs.alpha.example'), `bob ${method} ${url} leaked the domain`);
    });
    assert.ok(attacked >= 45, `attacked ${attacked} operations`);
  } finally {
    await alicesProjects('public');
  }
});

test('every API v3 route: user B on user A’s public project reads only what any reader may, every write is 403, nothing changes', async () => {
  const attacked = await attackEveryRoute((method, url, res) => {
    // A token is its user's alone, public project or not.
    if (url.startsWith('/api/v3/tokens/')) return assert.equal(res.statusCode, 404, `bob ${method} ${url} → ${res.statusCode}`);
    if (method === 'GET') {
      // Public reads (the project, versions, builds, subprojects…) or the maintainers' areas refused.
      assert.ok(res.statusCode === 200 || res.statusCode === 403, `bob GET ${url} → ${res.statusCode} ${res.body.slice(0, 300)}`);
    } else {
      assert.equal(res.statusCode, 403, `bob ${method} ${url} → ${res.statusCode} ${res.body.slice(0, 300)} (a new write route may need a body in BODIES)`);
    }
  });
  assert.ok(attacked >= 45, `attacked ${attacked} operations`);
});

test('lists and B’s own writes never reach A’s rows', async () => {
  const projects = await bob.get('/api/v3/projects/?limit=100');
  assert.equal(projects.statusCode, 200);
  assert.deepEqual(projects.json().results.map((p: { slug: string }) => p.slug), ['bravo']);
  const tokens = await bob.get('/api/v3/tokens/');
  assert.ok(!tokens.json().results.some((t: { pk?: number; id?: number }) => String(t.pk ?? t.id) === ids.token), 'bob lists alice’s token');
  const before = await snapshotDatabase(app.database.db);
  // B names A's projects from his own: as a subproject, a translation, a child.
  for (const [url, body] of [
    ['/api/v3/projects/bravo/subprojects/', { child: 'alpha', alias: 'alpha' }],
    ['/api/v3/projects/bravo/subprojects/', { child: 'child', alias: 'c' }],
    ['/api/v3/projects/bravo/translations/', { project: 'alpha-fr' }],
  ] as const) {
    const res = await bob.post(url, body);
    assert.ok(res.statusCode === 404 || res.statusCode === 400, `${url} ${JSON.stringify(body)} → ${res.statusCode} ${res.body}`);
    assert.notEqual(res.statusCode, 403);
  }
  // Rows of A's project addressed through B's own project.
  for (const url of [`/api/v3/projects/bravo/redirects/${ids.redirect}/`, `/api/v3/projects/bravo/environmentvariables/${ids.variable}/`, `/api/v3/projects/bravo/builds/${ids.build}/`,
    `/api/v3/projects/bravo/automation-rules/${ids.rule}/`, `/api/v3/projects/bravo/integrations/${ids['integrations/{id}']}/`, `/api/v3/projects/bravo/webhooks/${ids['webhooks/{id}']}/`, '/api/v3/projects/bravo/domains/docs.alpha.example/']) {
    for (const method of ['GET', 'DELETE'] as const) {
      const res = await call(bob, method, url);
      // A build cannot be deleted at all: 405 says so before anything is looked up.
      assert.ok(res.statusCode === 404 || (method === 'DELETE' && res.statusCode === 405), `bob ${method} ${url} → ${res.statusCode} ${res.body}`);
    }
  }
  const patched = await bob.patch(`/api/v3/projects/bravo/redirects/${ids.redirect}/`, { to_url: '/pwned' });
  assert.equal(patched.statusCode, 404);
  const cancel = await bob.post(`/api/v3/projects/bravo/builds/${ids.build}/cancel/`);
  assert.equal(cancel.statusCode, 404);
  const rollback = await bob.post('/api/v3/projects/bravo/versions/latest/rollback/', { build: Number(ids.build) });
  assert.ok(rollback.statusCode === 404 || rollback.statusCode === 400, `rollback to alice’s build → ${rollback.statusCode}`);
  assert.equal(await snapshotDatabase(app.database.db), before);
});

test('a deleted user’s token and an expired token are 401 on every route', async () => {
  const carol = await createUser(app.database.db, { username: 'carol' });
  const { token: carolToken } = await createToken(app.database.db, carol.id, 'gone', null);
  const { token: expired } = await createToken(app.database.db, app.user.id, 'old', new Date(Date.now() - 1000));
  await app.database.db.delete(users).where(eq(users.id, carol.id));
  const ops = await operations();
  for (const [i, token] of [carolToken, expired, `${app.token}x`, app.token.slice(0, -1)].entries()) {
    for (const [j, { method, path }] of ops.entries()) {
      if (path === '/api/v3/openapi.json') continue;
      const url = fill(path);
      const body = method === 'GET' || method === 'DELETE' ? undefined : BODIES[`${method} ${path}`] ?? {};
      // A client of its own per request: the per-address limit for unknown tokens is not what is tested here.
      const res = await app.web.inject({ method, url, headers: { authorization: `Token ${token}` }, remoteAddress: `198.51.${i}.${(j % 250) + 1}`, ...(body === undefined ? {} : { payload: body as object }) });
      assert.equal(res.statusCode, 401, `${method} ${url} with a dead token → ${res.statusCode}`);
    }
  }
});

test('the builder API refuses user tokens, and one build’s token for another build', async () => {
  const claim = (authorization: string) => app.web.inject({ method: 'POST', url: `${BUILDER_API}/claim`, headers: { authorization }, payload: { builder: 'attacker' } });
  for (const auth of [`Token ${app.token}`, `Bearer ${app.token}`, bobAuth.authorization, `Bearer ${app.builderSecret}x`, `Bearer ${app.builderSecret.slice(0, -1)}`, '', `Token ${app.builderSecret}`]) {
    const res = await claim(auth);
    assert.equal(res.statusCode, 401, `claim with ${JSON.stringify(auth.slice(0, 12))}… → ${res.statusCode}`);
  }
  // Two real claims: two builds, two tokens.
  await bob.post('/api/v3/projects/bravo/versions/latest/builds/');
  await alice.post('/api/v3/projects/child/versions/latest/builds/');
  const secret = `Bearer ${app.builderSecret}`;
  const first = await claim(secret);
  const second = await claim(secret);
  assert.equal(first.statusCode, 200, first.body);
  assert.equal(second.statusCode, 200, second.body);
  const a = first.json();
  const b = second.json();
  assert.notEqual(a.job.buildId, b.job.buildId);
  const before = await snapshotDatabase(app.database.db);
  const ops = [
    ['report', { ops: [{ op: 'log', seq: 0, step: null, stream: 'stdout', line: 'forged' }, { op: 'state', state: 'building' }] }],
    ['heartbeat', {}],
    ['finish', { success: true, formats: [] }],
  ] as const;
  for (const [op, payload] of ops) {
    for (const [what, headers] of [
      ['the other build’s token', { authorization: secret, 'x-build-token': a.token }],
      ['a user token as the secret', { authorization: `Token ${app.token}`, 'x-build-token': b.token }],
      ['the right build token without the secret', { 'x-build-token': b.token }],
      ['no build token', { authorization: secret }],
    ] as const) {
      const res = await app.web.inject({ method: 'POST', url: `${BUILDER_API}/builds/${b.job.buildId}/${op}`, headers, payload });
      assert.ok(res.statusCode === 401 || res.statusCode === 409 || res.statusCode === 400, `${op} of build ${b.job.buildId} with ${what} → ${res.statusCode} ${res.body}`);
    }
  }
  assert.equal(await snapshotDatabase(app.database.db), before, 'a forged builder request changed a build');
});
