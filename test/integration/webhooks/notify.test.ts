// Outgoing build notifications to a real local HTTP server: signed JSON (verified here
// with the hook's secret), event filtering, retries with the same delivery id, every
// attempt recorded, private addresses refused (also behind a hostile DNS answer).
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { asc, eq } from 'drizzle-orm';
import { builds, webhookAttempts } from '../../../src/db/schema.ts';
import { notifyBuildEnded } from '../../../src/domain/notify.ts';
import { postJson } from '../../../src/domain/hook-post.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { buildsOf, settle } from '../../helpers/webhooks.ts';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

let app: TestApp;
let repo: GitRepo;
let server: http.Server;
let port: number;
let received: Received[] = [];
/** Status codes the receiver answers with, in order; then 200. */
let script: number[] = [];
let projectId: number;

const fast = { publicUrl: 'http://localhost:8000', allowPrivateAddresses: true, retryDelaysMs: [20, 20] };

before(async () => {
  app = await testApp();
  repo = makeGitRepo({ files: { 'docs/index.md': '# Notify\n' } });
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = script.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const res = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: app.auth, payload: { name: 'Notify', repository: { url: repo.url } } });
  projectId = res.json().id;
  await settle(app, projectId);
});
after(async () => {
  server.close();
  // Closing while the builder is claiming a build leaves that build running after the close.
  await settle(app, projectId);
  await app.close();
  repo.remove();
});
beforeEach(() => {
  received = [];
  script = [];
});

async function hook(path: string, events?: string[]) {
  const res = await app.web.inject({ method: 'POST', url: '/api/v3/projects/notify/webhooks/', headers: app.auth, payload: { url: `http://127.0.0.1:${port}${path}`, ...(events ? { events } : {}) } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: number; secret: string };
}
const attempts = (webhookId: number) => app.database.db.select().from(webhookAttempts).where(eq(webhookAttempts.webhookId, webhookId)).orderBy(asc(webhookAttempts.id));
const removeHook = (id: number) => app.web.inject({ method: 'DELETE', url: `/api/v3/projects/notify/webhooks/${id}/`, headers: app.auth });

function verify(r: Received, secret: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`);
  const given = Buffer.from(String(r.headers['x-bindery-signature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

test('a passed build: signed JSON with the build, one attempt recorded', async () => {
  const h = await hook('/passed');
  const build = (await buildsOf(app, projectId)).find((b) => b.versionSlug === 'latest' && b.success)!;
  await notifyBuildEnded(app.database.db, build.id, fast);
  assert.equal(received.length, 1);
  const [r] = received as [Received];
  assert.ok(verify(r, h.secret), 'X-Bindery-Signature is the HMAC of the raw body with the hook secret');
  assert.ok(!verify(r, 'another-secret'));
  assert.equal(r.headers['content-type'], 'application/json');
  assert.equal(r.headers['x-bindery-event'], 'build:passed');
  assert.deepEqual(JSON.parse(r.body), {
    event: 'build:passed',
    project: 'notify',
    version: 'latest',
    build: { id: build.id, commit: build.commit, success: true, error: '', url: `http://localhost:8000/projects/notify/builds/${build.id}/` },
  });
  const rows = await attempts(h.id);
  assert.deepEqual(rows.map((a) => [a.event, a.attempt, a.statusCode, a.error]), [['build:passed', 1, 200, null]]);
  const detail = (await app.web.inject({ url: `/api/v3/projects/notify/webhooks/${h.id}/`, headers: app.auth })).json();
  assert.equal(detail.recent_attempts[0].status_code, 200);
  await removeHook(h.id);
});

test('a failed build is build:failed with its error; hooks get only the events they asked for', async () => {
  const all = await hook('/all');
  const passedOnly = await hook('/passed-only', ['build:passed']);
  const latest = (await buildsOf(app, projectId)).find((b) => b.versionSlug === 'latest')!;
  // A commit that does not exist: the builder's fetch fails for real.
  const bad = await app.queue.trigger({ projectId, versionId: latest.versionId, commit: 'f'.repeat(40), trigger: 'api' });
  const failed = await app.waitForBuild(bad.id);
  assert.equal(failed.state, 'finished');
  assert.equal(failed.success, false);
  await notifyBuildEnded(app.database.db, bad.id, fast);
  assert.deepEqual(received.map((r) => r.headers['x-bindery-event']), ['build:failed']);
  const payload = JSON.parse(received[0]!.body);
  assert.equal(payload.build.success, false);
  assert.equal(payload.build.error, failed.error);
  assert.ok(payload.build.error.length > 0);
  assert.ok(verify(received[0]!, all.secret));
  assert.equal((await attempts(passedOnly.id)).length, 0);
  await removeHook(all.id);
  await removeHook(passedOnly.id);
});

test('5xx answers are retried (3 tries, same delivery id and body); a 4xx is not', async () => {
  const h = await hook('/flaky');
  const build = (await buildsOf(app, projectId)).find((b) => b.success)!;
  script = [500, 503, 200];
  await notifyBuildEnded(app.database.db, build.id, fast);
  assert.equal(received.length, 3);
  assert.equal(new Set(received.map((r) => r.headers['x-bindery-delivery'])).size, 1);
  assert.equal(new Set(received.map((r) => r.body)).size, 1);
  assert.ok(received.every((r) => verify(r, h.secret)));
  assert.deepEqual((await attempts(h.id)).map((a) => [a.attempt, a.statusCode]), [[1, 500], [2, 503], [3, 200]]);

  received = [];
  script = [500, 500, 500, 500];
  await notifyBuildEnded(app.database.db, build.id, fast);
  assert.equal(received.length, 3, 'gives up after three tries');

  received = [];
  script = [410];
  await notifyBuildEnded(app.database.db, build.id, fast);
  assert.equal(received.length, 1, 'a receiver that rejects the message is not asked again');
  await removeHook(h.id);
});

test('runs detached: the call returns at once, and an unreachable receiver ends in recorded errors, never a throw', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const res = await app.web.inject({ method: 'POST', url: '/api/v3/projects/notify/webhooks/', headers: app.auth, payload: { url: `http://127.0.0.1:${deadPort}/gone` } });
  const h = res.json();
  const build = (await buildsOf(app, projectId)).find((b) => b.success)!;
  const started = Date.now();
  const pending = notifyBuildEnded(app.database.db, build.id, { ...fast, retryDelaysMs: [200, 200] });
  assert.ok(Date.now() - started < 150, 'the caller is not held up by delivery');
  await pending;
  const rows = await attempts(h.id);
  assert.equal(rows.length, 3);
  assert.ok(rows.every((a) => a.statusCode === null && /ECONNREFUSED/.test(a.error ?? '')), JSON.stringify(rows));
  await removeHook(h.id);
});

test('private addresses are refused at delivery unless allowed, also when DNS points a public name at them', async () => {
  const h = await hook('/private');
  const build = (await buildsOf(app, projectId)).find((b) => b.success)!;
  await notifyBuildEnded(app.database.db, build.id, { ...fast, allowPrivateAddresses: false });
  assert.equal(received.length, 0);
  const rows = await attempts(h.id);
  assert.equal(rows.length, 1, 'a refused address is not retried');
  assert.match(rows[0]!.error ?? '', /refused/);
  await removeHook(h.id);

  // A name that looks public but resolves to loopback (DNS rebinding).
  const hostile = (_host: string, _opts: object, cb: (err: null, a: Array<{ address: string; family: number }>) => void) => cb(null, [{ address: '127.0.0.1', family: 4 }]);
  const url = `http://hooks.example.com:${port}/rebound`;
  const refused = await postJson(url, '{}', {}, { allowPrivate: false, timeoutMs: 2000, resolve: hostile });
  assert.equal(refused.statusCode, null);
  assert.match(refused.error ?? '', /refused: hooks\.example\.com resolves to the private address 127\.0\.0\.1/);
  assert.equal(received.length, 0);
  // The same lookup, allowed: the request really goes where DNS said.
  const allowed = await postJson(url, '{}', {}, { allowPrivate: true, timeoutMs: 2000, resolve: hostile });
  assert.equal(allowed.statusCode, 200);
  assert.equal(received.length, 1);
});

test('a receiver that never answers is given up on at the deadline', async () => {
  const silent = net.createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const started = Date.now();
    const result = await postJson(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, '{}', {}, { allowPrivate: true, timeoutMs: 300 });
    assert.deepEqual(result, { statusCode: null, error: 'no response within 300 ms' });
    assert.ok(Date.now() - started < 2000);
  } finally {
    silent.close();
  }
});

test('cancelled builds are not announced', async () => {
  const h = await hook('/cancelled');
  const latest = (await buildsOf(app, projectId)).find((b) => b.versionSlug === 'latest')!;
  const [cancelled] = await app.database.db
    .insert(builds)
    .values({ projectId, versionId: latest.versionId, state: 'cancelled', success: false, errorCode: 'superseded', error: 'A newer build of this version was triggered.', trigger: 'api', finishedAt: new Date() })
    .returning();
  await notifyBuildEnded(app.database.db, cancelled!.id, fast);
  assert.equal(received.length, 0);
  assert.equal((await attempts(h.id)).length, 0);
  // The same hook does hear about a build that ended.
  await notifyBuildEnded(app.database.db, latest.id, fast);
  assert.equal(received.length, 1);
  await removeHook(h.id);
});
