// Repository URLs with credentials (https://user:token@host/repo): the credentials are kept
// as a secret apart from the URL, and never come back — not in API v3, the dashboard's
// pages, error messages or the build environment. Only the builder's claimed job carries
// them, marked as secrets to mask. Editing the URL keeps them on the same host and drops
// them when the host changes, so they are never sent to another server. Repository hosts
// resolve through a DNS server on 127.0.0.1 that knows none of them: git is never run.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testApp, type TestApp } from '../helpers/test-app.ts';
import { apiClient, type ApiClient } from '../helpers/api-client.ts';
import { startDnsServer, type DnsServer } from '../helpers/dns-server.ts';
import { FormClient } from '../helpers/browserless.ts';
import { findProjectBySlug } from '../../src/db/projects.ts';
import { listVersions, syncVersions } from '../../src/db/versions.ts';
import { syncsDone } from '../helpers/webhooks.ts';
import { SYNC_QUEUE, type SyncJob } from '../../src/queue/sync-queue.ts';
import { dnsServerResolver } from '../../src/domain/host-resolution.ts';
import { buildEnvironment } from '../../src/builder/environment.ts';
import { BUILDER_API, type ClaimResponse } from '../../src/builder/protocol.ts';

const USER = 'deploy-bot';
const TOKEN = 'glpat-S3cr3tT0kenValue';
const URL_WITH = `https://${USER}:${TOKEN}@git.example.test/team/private-docs.git`;
const URL_WITHOUT = 'https://git.example.test/team/private-docs.git';

let app: TestApp;
let dns: DnsServer;
let api: ApiClient;
let form: FormClient;

before(async () => {
  dns = await startDnsServer();
  app = await testApp({ allowLocalRepositories: false, builder: false, web: { resolveHost: dnsServerResolver([dns.address]) } });
  api = apiClient(app);
  form = new FormClient(app.web);
  const signup = await form.submit('/accounts/signup/', '/accounts/signup/', { username: 'carol', email: 'carol@example.com', password: 'correct horse battery' });
  assert.equal(signup.statusCode, 303);
});

after(async () => {
  await app?.close();
  await dns?.close();
});

function assertNoSecret(text: string, where: string): void {
  assert.ok(!text.includes(TOKEN), `${where} shows the token`);
  assert.ok(!text.includes(encodeURIComponent(TOKEN)), `${where} shows the token (encoded)`);
  assert.ok(!text.includes(`${USER}:`), `${where} shows the credentials`);
}

const stored = async (slug: string) => {
  const p = (await findProjectBySlug(app.database.db, slug))!;
  return { url: p.repoUrl, credentials: p.repoCredentials };
};

test('on import the credentials are split out; API v3 never shows them, nor does the failed sync', async () => {
  const res = await api.post('/api/v3/projects/', { name: 'Private Docs', repository: { url: URL_WITH } });
  assert.equal(res.statusCode, 201, res.body);
  assertNoSecret(res.body, 'the import answer');
  assert.equal(res.json().repository.url, URL_WITHOUT);
  assert.deepEqual(await stored('private-docs'), { url: URL_WITHOUT, credentials: `${USER}:${TOKEN}` });
  const project = (await findProjectBySlug(app.database.db, 'private-docs'))!;
  await syncVersions(app.database.db, project.id, [{ slug: 'latest', verboseName: 'latest', type: 'branch', identifier: 'main', commit: 'c'.repeat(40), machine: true }], () => true);
  for (const url of ['/api/v3/projects/', '/api/v3/projects/private-docs/', '/api/v3/projects/private-docs/?expand=active_versions', '/api/v3/projects/private-docs/versions/', '/api/v3/projects/private-docs/versions/latest/']) {
    const page = await api.get(url);
    assert.equal(page.statusCode, 200, `${url}: ${page.body}`);
    assertNoSecret(page.body, url);
  }
  const sync = await api.post('/api/v3/projects/private-docs/sync-versions/');
  assert.equal(sync.statusCode, 202, sync.body);
  assert.deepEqual(sync.json(), { triggered: true });
  await syncsDone(app);
  // The sync failed in the queue (the repository does not exist); what it recorded has no secret either.
  const jobs = await app.queue.boss.findJobs<SyncJob>(SYNC_QUEUE);
  const mine = jobs.filter((j) => j.data.slug === 'private-docs');
  assert.ok(mine.length >= 1, 'the sync was queued');
  for (const job of mine) assertNoSecret(JSON.stringify(job), 'the queued sync');
  assert.deepEqual((await listVersions(app.database.db, project.id)).map((v) => v.slug), ['latest'], 'the versions stay as they were');
});

test('the dashboard never shows them: project list, project page, settings form, import errors', async () => {
  const created = await form.submit('/dashboard/import/', '/dashboard/import/', { name: 'Dash Docs', repository: URL_WITH.replace('private-docs', 'dash-docs') });
  assert.equal(created.statusCode, 303, created.body);
  assert.equal((await stored('dash-docs')).credentials, `${USER}:${TOKEN}`);
  for (const url of ['/dashboard/', '/projects/dash-docs/', '/dashboard/dash-docs/edit/']) {
    const page = await form.get(url);
    assert.equal(page.statusCode, 200, url);
    assertNoSecret(page.body, url);
  }
  assert.match((await form.get('/dashboard/dash-docs/edit/')).body, /Forget the stored credentials/);
  // A refused URL with credentials is not echoed back either.
  const refused = await form.submit('/dashboard/import/', '/dashboard/import/', { name: 'Bad', repository: `https://${USER}:${TOKEN}@127.0.0.1/x.git` });
  assert.equal(refused.statusCode, 400);
  assertNoSecret(refused.body, 'the refused import form');
});

test('editing the URL keeps them on the same host, drops them for another host (API and dashboard)', async () => {
  // API: same host, another path → kept.
  assert.equal((await api.patch('/api/v3/projects/private-docs/', { repository: { url: 'https://git.example.test/team/renamed.git' } })).statusCode, 204);
  assert.deepEqual(await stored('private-docs'), { url: 'https://git.example.test/team/renamed.git', credentials: `${USER}:${TOKEN}` });
  // Sending the URL back as shown changes nothing.
  assert.equal((await api.patch('/api/v3/projects/private-docs/', { repository: { url: 'https://git.example.test/team/renamed.git' }, name: 'Private Docs' })).statusCode, 204);
  assert.equal((await stored('private-docs')).credentials, `${USER}:${TOKEN}`);
  // Another host → dropped, never sent there.
  assert.equal((await api.patch('/api/v3/projects/private-docs/', { repository: { url: 'https://other.example.test/team/renamed.git' } })).statusCode, 204);
  assert.deepEqual(await stored('private-docs'), { url: 'https://other.example.test/team/renamed.git', credentials: null });
  // New credentials in the URL replace the old.
  assert.equal((await api.patch('/api/v3/projects/private-docs/', { repository: { url: URL_WITH } })).statusCode, 204);
  assert.deepEqual(await stored('private-docs'), { url: URL_WITHOUT, credentials: `${USER}:${TOKEN}` });

  // Dashboard: saving the form as shown keeps them; a URL on another port drops them; "forget" drops them.
  const fields = { name: 'Dash Docs', language: 'en', default_version: 'latest' };
  const dashUrl = 'https://git.example.test/team/dash-docs.git';
  assert.equal((await form.submit('/dashboard/dash-docs/edit/', '/dashboard/dash-docs/edit/', { ...fields, repository: dashUrl })).statusCode, 303);
  assert.deepEqual(await stored('dash-docs'), { url: dashUrl, credentials: `${USER}:${TOKEN}` });
  assert.equal((await form.submit('/dashboard/dash-docs/edit/', '/dashboard/dash-docs/edit/', { ...fields, repository: 'https://git.example.test/team/moved.git' })).statusCode, 303);
  assert.equal((await stored('dash-docs')).credentials, `${USER}:${TOKEN}`);
  assert.equal((await form.submit('/dashboard/dash-docs/edit/', '/dashboard/dash-docs/edit/', { ...fields, repository: 'https://git.example.test/team/moved.git', forget_credentials: 'on' })).statusCode, 303);
  assert.equal((await stored('dash-docs')).credentials, null);
  assert.equal((await form.submit('/dashboard/dash-docs/edit/', '/dashboard/dash-docs/edit/', { ...fields, repository: URL_WITH })).statusCode, 303);
  assert.equal((await form.submit('/dashboard/dash-docs/edit/', '/dashboard/dash-docs/edit/', { ...fields, repository: 'https://git.example.test:8443/team/private-docs.git' })).statusCode, 303);
  assert.deepEqual(await stored('dash-docs'), { url: 'https://git.example.test:8443/team/private-docs.git', credentials: null });
});

test('only the claimed job carries them, as secrets to mask; the build environment does not', async () => {
  // The claim checks the host again: it must resolve outside (a public address; nothing connects, no builder runs).
  dns.addresses.set('git.example.test', ['93.184.215.14']);
  const project = (await findProjectBySlug(app.database.db, 'private-docs'))!;
  const [version] = await syncVersions(app.database.db, project.id, [{ slug: 'latest', verboseName: 'latest', type: 'branch', identifier: 'main', commit: 'c'.repeat(40), machine: true }], () => true);
  const build = await app.queue.trigger({ projectId: project.id, versionId: version!.id, commit: null, trigger: 'test' });
  let job: ClaimResponse['job'] | null = null;
  for (let i = 0; i < 20 && !job; i++) {
    const claim = await app.web.inject({ method: 'POST', url: `${BUILDER_API}/claim`, headers: { authorization: `Bearer ${app.builderSecret}` }, payload: { builder: 'test' } });
    if (claim.statusCode === 200 && (claim.json() as ClaimResponse).job.buildId === build.id) job = (claim.json() as ClaimResponse).job;
    else await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(job, 'the build was claimed');
  assert.equal(job.repoUrl, URL_WITH);
  assert.ok(job.secrets.includes(TOKEN), JSON.stringify(job.secrets));
  assert.ok(job.secrets.includes(`${USER}:${TOKEN}`));
  assert.equal(job.allowLocal, false);
  const env = buildEnvironment(job, 'c'.repeat(40), { checkout: '/tmp/c', output: '/tmp/o', home: '/tmp/h' });
  assert.equal(env.READTHEDOCS_GIT_CLONE_URL, URL_WITHOUT);
  assertNoSecret(JSON.stringify(env), 'the build environment');
  // The build as the API shows it (and its log, empty so far) has no credentials either.
  const shown = await api.get(`/api/v3/projects/private-docs/builds/${build.id}/`);
  assertNoSecret(shown.body, 'the build');
});
