// SSRF through repository and outgoing-webhook URLs: a user who is not an instance admin
// aims Bindery at this machine or its private network — by path, file://, IP literals in
// odd notations, local names, a name whose DNS answers loopback (from a hostile DNS server
// on 127.0.0.1), ssh and scp-like URLs — through import, PATCH, the dashboard, syncs,
// webhook syncs and builds. Every attempt is refused with 400 naming the field, or with
// the one "could not read" message, and nothing connects to the listener standing in for
// an internal service. An admin may; errors never tell a closed port from an open one.
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { count, eq } from 'drizzle-orm';
import { testApp, type TestApp } from '../helpers/test-app.ts';
import { apiClient, type ApiClient } from '../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../helpers/git-repo.ts';
import { startDnsServer, type DnsServer } from '../helpers/dns-server.ts';
import { FormClient } from '../helpers/browserless.ts';
import { syncsDone } from '../helpers/webhooks.ts';
import { SYNC_QUEUE, type SyncJob } from '../../src/queue/sync-queue.ts';
import { createUser } from '../../src/db/users.ts';
import { createToken } from '../../src/db/api-tokens.ts';
import { createProject, findProjectBySlug } from '../../src/db/projects.ts';
import { listVersions, syncVersions } from '../../src/db/versions.ts';
import { getBuild } from '../../src/db/builds.ts';
import { builds, projects } from '../../src/db/schema.ts';
import { dnsServerResolver } from '../../src/domain/host-resolution.ts';
import { BUILDER_API, type ClaimResponse } from '../../src/builder/protocol.ts';

let app: TestApp;
let dns: DnsServer;
let repo: GitRepo;
let user: ApiClient;
let admin: ApiClient;
/** Stands in for an internal service (a database port): it must never see a connection. */
let internal: net.Server;
let internalPort: number;
let connections = 0;

before(async () => {
  dns = await startDnsServer();
  dns.addresses.set('rebind.example.test', ['127.0.0.1']);
  dns.addresses.set('inside6.example.test', ['::1']);
  dns.addresses.set('mixed.example.test', ['10.0.0.7']);
  internal = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  internalPort = (internal.address() as AddressInfo).port;
  repo = makeGitRepo({ files: { 'docs/index.md': '# Local\n' } });
  // No ALLOW_LOCAL_REPOSITORIES: only instance admins may reach inside. Names resolve through the hostile DNS server only.
  app = await testApp({ allowLocalRepositories: false, builder: false, web: { resolveHost: dnsServerResolver([dns.address]) } });
  user = apiClient(app);
  const root = await createUser(app.database.db, { username: 'root', isAdmin: true });
  admin = apiClient(app, { authorization: `Token ${(await createToken(app.database.db, root.id, 'test', null)).token}` });
});

after(async () => {
  await app?.close();
  await dns?.close();
  internal?.close();
  repo?.remove();
});

const buildCount = async () => (await app.database.db.select({ n: count() }).from(builds))[0]!.n;
const projectCount = async () => (await app.database.db.select({ n: count() }).from(projects))[0]!.n;

function insideUrls(): string[] {
  const p = internalPort;
  return [
    `file://${repo.dir}`,
    repo.dir,
    `https://127.0.0.1:${p}/x`,
    `https://[::1]:${p}/x`,
    `https://0x7f.1:${p}/x`,
    `https://2130706433:${p}/x`,
    `https://127.1:${p}/x`,
    `https://[::ffff:127.0.0.1]:${p}/x`,
    `https://localhost.:${p}/x`,
    `https://app.localhost:${p}/x`,
    `https://rebind.example.test:${p}/x`,
    `https://inside6.example.test:${p}/x`,
    `https://mixed.example.test:${p}/x`,
    'https://169.254.169.254/latest/meta-data/',
    `ssh://git@127.0.0.1:${p}/x`,
    `ssh://git@0x7f.1:${p}/x`,
    'git@10.0.0.1:x',
    'git@localhost:x',
  ];
}

test('a user who is not an admin cannot import a repository on this machine or its network: 400 naming the field, no project, no build, no connection', async () => {
  for (const url of insideUrls()) {
    const res = await user.post('/api/v3/projects/', { name: 'Inside', repository: { url } });
    assert.equal(res.statusCode, 400, `${url} → ${res.statusCode} ${res.body}`);
    assert.match(res.json().repository.url[0], /instance administrators only/, url);
  }
  assert.equal(await projectCount(), 0);
  assert.equal(await buildCount(), 0);
  assert.equal(connections, 0, 'nothing connected to the internal port');
});

test('nor through the dashboard import form, nor by changing a URL (API PATCH, dashboard settings)', async () => {
  const form = new FormClient(app.web);
  const signup = await form.submit('/accounts/signup/', '/accounts/signup/', { username: 'mallory', email: 'mallory@example.com', password: 'correct horse battery' });
  assert.equal(signup.statusCode, 303, signup.body);
  for (const url of [`file://${repo.dir}`, `https://0x7f.1:${internalPort}/x`, `https://rebind.example.test:${internalPort}/x`]) {
    const res = await form.submit('/dashboard/import/', '/dashboard/import/', { name: 'Inside', repository: url });
    assert.equal(res.statusCode, 400, url);
    assert.match(res.body, /instance administrators only/);
  }
  // A project on a public-looking name (it does not resolve: the repository cannot be read yet, nothing is run).
  const created = await form.submit('/dashboard/import/', '/dashboard/import/', { name: 'Outside', repository: 'https://git.example.test/outside.git' });
  assert.equal(created.statusCode, 303, created.body);
  for (const url of insideUrls()) {
    const res = await form.submit('/dashboard/outside/edit/', '/dashboard/outside/edit/', { name: 'Outside', repository: url, language: 'en', default_version: 'latest' });
    assert.equal(res.statusCode, 400, `${url} → ${res.statusCode}`);
    assert.match(res.body, /instance administrators only/, url);
  }
  const own = await user.post('/api/v3/projects/', { name: 'Mine', repository: { url: 'https://git.example.test/mine.git' } });
  assert.equal(own.statusCode, 201, own.body);
  for (const url of insideUrls()) {
    const res = await user.patch('/api/v3/projects/mine/', { repository: { url } });
    assert.equal(res.statusCode, 400, `${url} → ${res.statusCode} ${res.body}`);
    assert.ok(res.json().repository.url, res.body);
  }
  assert.equal((await findProjectBySlug(app.database.db, 'mine'))!.repoUrl, 'https://git.example.test/mine.git');
  assert.equal((await findProjectBySlug(app.database.db, 'outside'))!.repoUrl, 'https://git.example.test/outside.git');
  assert.equal(await buildCount(), 0);
  assert.equal(connections, 0);
});

test('a name that starts resolving inside after it was saved: syncs (API, webhook) and builds refuse it, with the one message', async () => {
  const res = await user.post('/api/v3/projects/', { name: 'Rebound', repository: { url: `https://later.example.test:${internalPort}/x.git` } });
  assert.equal(res.statusCode, 201, res.body);
  dns.addresses.set('later.example.test', ['127.0.0.1']);
  const sync = await user.post('/api/v3/projects/rebound/sync-versions/');
  assert.equal(sync.statusCode, 202, sync.body);
  assert.deepEqual(sync.json(), { triggered: true }, 'queued, as on Read the Docs: the refusal is the job\'s, in the server log');
  await syncsDone(app);
  const rebound = (await findProjectBySlug(app.database.db, 'rebound'))!;
  assert.deepEqual(await listVersions(app.database.db, rebound.id), [], 'the queued sync read nothing');
  assert.equal((await app.database.db.select().from(builds).where(eq(builds.projectId, rebound.id))).length, 0, 'nothing built');
  assert.equal(connections, 0);

  // A webhook push (generic integration) queues a sync too: refused the same way, in the queue.
  const integration = await user.post('/api/v3/projects/rebound/integrations/', { type: 'generic' });
  assert.equal(integration.statusCode, 201, integration.body);
  const { secret, id } = integration.json() as { secret: string; id: number };
  const hook = await app.web.inject({ method: 'POST', url: `/api/v2/webhook/rebound/${id}/`, payload: { token: secret, branches: 'main' } });
  assert.equal(hook.statusCode, 200, hook.body);
  assert.deepEqual(hook.json(), { build_triggered: false, project: 'rebound', versions: [] });
  await syncsDone(app);
  assert.deepEqual(await listVersions(app.database.db, (await findProjectBySlug(app.database.db, 'rebound'))!.id), [], 'the queued sync read nothing');

  // A build queued anyway (a version the project already had) is failed at claim, never handed to a builder.
  const project = (await findProjectBySlug(app.database.db, 'rebound'))!;
  const [version] = await syncVersions(app.database.db, project.id, [{ slug: 'latest', verboseName: 'latest', type: 'branch', identifier: 'main', commit: 'a'.repeat(40), machine: true }], () => true);
  const build = await app.queue.trigger({ projectId: project.id, versionId: version!.id, commit: null, trigger: 'test' });
  const claim = await app.web.inject({ method: 'POST', url: `${BUILDER_API}/claim`, headers: { authorization: `Bearer ${app.builderSecret}` }, payload: { builder: 'test' } });
  assert.equal(claim.statusCode, 204, claim.body);
  const failed = await getBuild(app.database.db, build.id);
  assert.equal(failed!.state, 'finished');
  assert.equal(failed!.success, false);
  assert.equal(failed!.errorCode, 'repository-unreachable');
  assert.doesNotMatch(failed!.error ?? '', /127\.0\.0\.1|loopback/);
  assert.equal(connections, 0);
});

test('an instance admin may import a local repository; its build job says so (allowLocal), a public one does not', async () => {
  const res = await admin.post('/api/v3/projects/', { name: 'Admin Local', repository: { url: `file://${repo.dir}` } });
  assert.equal(res.statusCode, 201, res.body);
  const versions = (await admin.get('/api/v3/projects/admin-local/versions/')).json();
  assert.ok(versions.count >= 1, JSON.stringify(versions));
  const project = (await findProjectBySlug(app.database.db, 'admin-local'))!;
  const queued = await app.database.db.select().from(builds).where(eq(builds.projectId, project.id));
  assert.ok(queued.length >= 1, 'the admin\'s import queued its builds');
  // Claim until the admin project's job comes (other tests' builds are failed at claim).
  let job: ClaimResponse['job'] | null = null;
  for (let i = 0; i < 10 && !job; i++) {
    const claim = await app.web.inject({ method: 'POST', url: `${BUILDER_API}/claim`, headers: { authorization: `Bearer ${app.builderSecret}` }, payload: { builder: 'test' } });
    if (claim.statusCode === 200 && (claim.json() as ClaimResponse).job.projectSlug === 'admin-local') job = (claim.json() as ClaimResponse).job;
    else if (claim.statusCode === 204) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(job, 'the admin project was claimed');
  assert.equal(job.allowLocal, true);
  assert.equal(job.repoUrl, `file://${repo.dir}`);

  // A user's project on a name that resolves outside: built, without the file transport.
  dns.addresses.set('public.example.test', ['93.184.215.14']);
  const theirs = await createProject(app.database.db, { slug: 'public-one', name: 'Public', repoUrl: 'https://public.example.test/docs.git', defaultBranch: 'main' }, app.user.id);
  const [version] = await syncVersions(app.database.db, theirs.id, [{ slug: 'latest', verboseName: 'latest', type: 'branch', identifier: 'main', commit: 'b'.repeat(40), machine: true }], () => true);
  await app.queue.trigger({ projectId: theirs.id, versionId: version!.id, commit: null, trigger: 'test' });
  let publicJob: ClaimResponse['job'] | null = null;
  for (let i = 0; i < 10 && !publicJob; i++) {
    const claim = await app.web.inject({ method: 'POST', url: `${BUILDER_API}/claim`, headers: { authorization: `Bearer ${app.builderSecret}` }, payload: { builder: 'test' } });
    if (claim.statusCode === 200 && (claim.json() as ClaimResponse).job.projectSlug === 'public-one') publicJob = (claim.json() as ClaimResponse).job;
    else await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(publicJob, 'the public project was claimed');
  assert.equal(publicJob.allowLocal, false);
});

test('outgoing webhooks to this machine or its network: refused for users, allowed for instance admins', async () => {
  const urls = [`http://127.0.0.1:${internalPort}/x`, 'http://[::1]/x', 'http://0x7f.1/x', 'http://2130706433/x', 'http://localhost./x', 'http://hooks.localhost/x', 'http://169.254.169.254/x', 'http://[::ffff:10.0.0.1]/x', 'http://[fd00::1]/x'];
  for (const url of urls) {
    const res = await user.post('/api/v3/projects/mine/webhooks/', { url });
    assert.equal(res.statusCode, 400, `${url} → ${res.body}`);
    assert.match(res.json().url[0], /instance administrators only/, url);
  }
  const form = new FormClient(app.web);
  await form.submit('/accounts/login/', '/accounts/login/', { username: 'mallory', password: 'correct horse battery' });
  const page = await form.submit('/dashboard/outside/webhooks/', '/dashboard/outside/webhooks/create/', { url: `http://127.0.0.1:${internalPort}/x`, events: 'build:passed' });
  assert.equal(page.statusCode, 400, page.body.slice(0, 200));
  assert.match(page.body, /instance administrators only/);
  const allowed = await admin.post('/api/v3/projects/admin-local/webhooks/', { url: `http://127.0.0.1:${internalPort}/x` });
  assert.equal(allowed.statusCode, 201, allowed.body);
  assert.equal(connections, 0);
});

test('a closed port, a port that is not a git server and a missing repository all read the same', async () => {
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const plain = http.createServer((_req, res) => res.end('not git'));
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  const plainPort = (plain.address() as AddressInfo).port;
  try {
    const targets = {
      closed: `https://127.0.0.1:${closedPort}/repo.git`,
      garbage: `https://127.0.0.1:${internalPort}/repo.git`,
      'plain http': `https://127.0.0.1:${plainPort}/repo.git`,
      missing: 'file:///nonexistent/repo.git',
    };
    const answers = new Set<string>();
    const probes: Array<{ what: string; slug: string; url: string }> = [];
    let i = 0;
    for (const [what, url] of Object.entries(targets)) {
      const slug = `probe-${i++}`;
      assert.equal((await admin.post('/api/v3/projects/', { name: slug, repository: { url } })).statusCode, 201, what);
      const sync = await admin.post(`/api/v3/projects/${slug}/sync-versions/`);
      assert.equal(sync.statusCode, 202, `${what}: ${sync.body}`);
      answers.add(sync.body);
      probes.push({ what, slug, url });
    }
    assert.deepEqual([...answers], ['{"triggered":true}'], 'every answer is the same: the sync is queued');
    await syncsDone(app);
    // What the queued syncs recorded of their failures reads the same too.
    const messages = new Set<string>();
    const jobs = await app.queue.boss.findJobs<SyncJob>(SYNC_QUEUE);
    for (const { what, slug, url } of probes) {
      const project = (await findProjectBySlug(app.database.db, slug))!;
      assert.deepEqual(await listVersions(app.database.db, project.id), [], `${what}: nothing read`);
      assert.equal((await app.database.db.select().from(builds).where(eq(builds.projectId, project.id))).length, 0, `${what}: nothing built`);
      const failed = jobs.filter((j) => j.data.slug === slug);
      assert.ok(failed.length >= 1, `${what}: its sync was queued`);
      for (const job of failed) messages.add(String((job.output as { message?: string } | null)?.message).replace(url, '<url>'));
    }
    assert.equal(messages.size, 1, [...messages].join('\n'));
    assert.match([...messages][0]!, /could not read the repository <url>: check that it exists/);
  } finally {
    plain.close();
  }
});
