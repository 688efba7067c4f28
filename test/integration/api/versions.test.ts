// API v3 versions as Read the Docs has them: the fields (identifier, ref, aliases, urls.vcs),
// its filters and order, who may read (public versions of public projects, anonymously too)
// and who may change, the update rules (the default version stays active, activating builds,
// deactivating takes the docs down), sync-versions' answer, and the `downloads` of a live build.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { apiClient, assertFieldError, importProject, type ApiClient } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { assertRtdShape, rtdFixture } from '../../helpers/rtd-shape.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { projects } from '../../../src/db/schema.ts';
import { findProjectBySlug } from '../../../src/db/projects.ts';
import { upsertExternalVersion } from '../../../src/db/external-versions.ts';
import { requestVersionSync } from '../../../src/domain/versions.ts';
import { SyncQueue } from '../../../src/queue/sync-queue.ts';
import { syncsDone } from '../../helpers/webhooks.ts';

let app: TestApp;
let repo: GitRepo;
let client: ApiClient;
let anonymous: ApiClient;
let slug: string;

const CONFIG = 'version: 2\nbuild:\n  os: ubuntu-24.04\n  tools:\n    python: "3.12"\nformats:\n  - htmlzip\n';

before(async () => {
  app = await testApp();
  repo = makeGitRepo({
    files: { '.readthedocs.yaml': CONFIG, 'docs/index.md': '# Home\n' },
    branches: { dev: { 'docs/index.md': '# Dev\n' } },
    tags: { 'v1.0': { 'docs/index.md': '# One\n' }, 'v0.9': { 'docs/index.md': '# Old\n' } },
  });
  client = apiClient(app);
  anonymous = apiClient(app, {});
  slug = await importProject(client, 'Versioned', repo.url);
});
after(async () => {
  await app.runner.idle();
  await app.close();
  repo.remove();
});

const url = (version = '') => `/api/v3/projects/${slug}/versions/${version ? `${version}/` : ''}`;
const buildsOf = async (version: string) => (await client.get(`${url(version)}builds/`)).json();
const get = async (version: string) => (await client.get(url(version))).json();
const slugs = (page: { results: Array<{ slug: string }> }) => page.results.map((v) => v.slug);

test("a live build's formats are the version's downloads, at the docs server's download URLs", async () => {
  const [first] = (await buildsOf('latest')).results;
  const build = await app.waitForBuild(first.id);
  assert.equal(build.state, 'finished', build.error ?? '');
  assert.deepEqual(build.formats, ['htmlzip']);
  const latest = await get('latest');
  const download = `http://${slug}.docs.localhost:8000/_/downloads/en/latest/htmlzip/`;
  assert.deepEqual(latest.downloads, { htmlzip: download });
  const listed = (await client.get(url())).json().results;
  assert.deepEqual(listed.find((v: { slug: string }) => v.slug === 'latest').downloads, { htmlzip: download });
  assert.deepEqual(listed.find((v: { slug: string }) => v.slug === 'dev').downloads, {}, 'never built: nothing to download');
  const served = await app.docs.inject({ url: new URL(download).pathname, headers: { host: new URL(download).host } });
  assert.equal(served.statusCode, 200, 'the docs server hands out the linked file');
});

test("Read the Docs' fields: identifier (a branch's name, a tag's commit), ref for stable only, aliases, urls", async () => {
  const tagCommit = repo.git('rev-parse', 'v1.0^{commit}');
  const one = await get('v1.0');
  assertRtdShape(one, rtdFixture('projects-versions-detail'));
  assert.equal(one.identifier, tagCommit, "a tag's identifier is its commit");
  assert.equal(one.ref, null);
  assert.equal((await get('dev')).identifier, 'dev', "a branch's identifier is its name");
  assert.equal((await get('main')).identifier, 'main');
  assert.equal(one.urls.vcs, repo.url, 'a repository on no known host: its own URL');
  assert.equal(one.urls.dashboard.edit, `${app.publicUrl}/dashboard/${slug}/version/v1.0/edit/`);

  const latest = await get('latest');
  assert.deepEqual([latest.identifier, latest.ref, latest.type], ['main', null, 'branch'], 'latest: the default branch, no ref');
  const stable = await get('stable');
  assert.deepEqual([stable.identifier, stable.ref, stable.type], [tagCommit, 'v1.0', 'tag'], 'stable: the highest release tag');
  assert.deepEqual(stable.aliases, [], 'the version stable stands for is not active: no alias');
  assert.deepEqual(latest.aliases, [], 'main is not active');

  assert.equal((await client.patch(url('v1.0'), { active: true })).statusCode, 204);
  const aliased = await get('stable');
  assertRtdShape(aliased, rtdFixture('projects-versions-detail-stable'));
  assert.equal(aliased.aliases.length, 1);
  assert.equal(aliased.aliases[0].slug, 'v1.0');
  assert.deepEqual(aliased.aliases[0].aliases, []);
  const listedStable = (await client.get(`${url()}?slug=stable`)).json().results[0];
  assert.equal(listedStable.aliases[0]?.slug, 'v1.0', 'the list has the aliases too');
});

test("filters as Read the Docs' VersionFilter; newest verbose name first; pull request previews never listed", async () => {
  // Every queued build (latest, stable, v1.0) has finished: waited for one by one, since an
  // idle runner may not have claimed the last one yet on a busy machine.
  for (const b of (await client.get(`/api/v3/projects/${slug}/builds/?limit=100`)).json().results) await app.waitForBuild(b.id);
  const project = (await findProjectBySlug(app.database.db, slug))!;
  const preview = await upsertExternalVersion(app.database.db, project.id, 7, 'a'.repeat(40));
  assert.ok(preview.ok);

  const all = (await client.get(url())).json();
  assertRtdShape(all, rtdFixture('projects-versions-list'));
  assert.deepEqual(slugs(all), ['v1.0', 'v0.9', 'stable', 'main', 'latest', 'dev'], 'ordered by verbose name, descending; no preview');
  assert.equal((await client.get(url('7'))).statusCode, 404, 'a preview is not a version here');
  assert.equal((await client.patch(url('7'), { active: false })).statusCode, 404);

  const q = async (query: string) => slugs((await client.get(`${url()}?${query}`)).json());
  assert.deepEqual(await q('slug=V0'), ['v0.9'], 'slug: a part, any case');
  assert.deepEqual(await q('verbose_name=EV'), ['dev']);
  assert.deepEqual(await q('type=tag'), ['v1.0', 'v0.9', 'stable']);
  assert.deepEqual(await q('type=external'), []);
  assert.deepEqual(await q('active=True'), ['v1.0', 'stable', 'latest'], 'True as Python sends it');
  assert.deepEqual(await q('active=0&type=branch'), ['main', 'dev']);
  assert.deepEqual(await q('built=true'), ['v1.0', 'stable', 'latest']);
  assert.deepEqual(await q('built=false&type=tag'), ['v0.9']);
  assert.deepEqual(await q('uploaded=true'), []);
  assert.deepEqual(await q('privacy_level=private'), []);
  assert.deepEqual(await q('active=maybe&type=branch'), ['main', 'latest', 'dev'], 'a boolean django-filter cannot read is not applied');
  assert.deepEqual(await q('unknown=1&type=branch'), ['main', 'latest', 'dev'], 'unknown filters are ignored');
  assertFieldError(await client.get(`${url()}?type=bogus`), 'type');
  assertFieldError(await client.get(`${url()}?privacy_level=secret`), 'privacy_level');

  const paged = (await client.get(`${url()}?type=tag&limit=2`)).json();
  assert.equal(paged.count, 3);
  assert.match(paged.next, /limit=2&offset=2&type=tag/, 'the filter travels with the next page');
});

test('activating a version builds it; deactivating takes its docs down; answers 204', async () => {
  assert.equal((await buildsOf('dev')).count, 0);
  const res = await client.patch(url('dev'), { active: true });
  assert.equal(res.statusCode, 204, res.body);
  assert.equal(res.body, '');
  assert.equal((await get('dev')).active, true);
  const builds = await buildsOf('dev');
  assert.equal(builds.count, 1, 'one build queued');
  assert.equal(builds.results[0].trigger, 'api');
  assert.equal((await app.waitForBuild(builds.results[0].id)).state, 'finished');
  assert.equal((await get('dev')).built, true);

  // As on Read the Docs: deactivated, the version is no longer built; activated again, it is built again.
  assert.equal((await client.patch(url('dev'), { active: false })).statusCode, 204);
  assert.deepEqual([(await get('dev')).active, (await get('dev')).built], [false, false]);
  assert.equal((await client.patch(url('dev'), { active: 'True' })).statusCode, 204, "DRF's boolean words");
  assert.equal((await buildsOf('dev')).count, 2);
  // Activating a version that is already active builds nothing.
  assert.equal((await client.patch(url('dev'), { active: true })).statusCode, 204);
  assert.equal((await buildsOf('dev')).count, 2);
});

test('hidden and privacy_level change; the default version stays active; bad input names the field; others may not change', async () => {
  assert.equal((await client.patch(url('dev'), { hidden: true, privacy_level: 'private', verbose_name: 'ignored' })).statusCode, 204);
  const dev = await get('dev');
  assert.deepEqual([dev.hidden, dev.privacy_level, dev.active, dev.verbose_name], [true, 'private', true, 'dev'], 'untouched and unknown fields stay');
  assert.equal((await client.put(url('dev'), { hidden: false })).statusCode, 204, 'PUT as Read the Docs has it');
  assert.equal((await get('dev')).hidden, false);

  const refused = await client.patch(url('latest'), { active: false });
  assertFieldError(refused, 'active', 'default version');
  assert.deepEqual(refused.json(), { active: ['latest is the default version of the project, it should be active.'] });
  assert.equal((await get('latest')).active, true);
  assertFieldError(await client.patch(url('dev'), { privacy_level: 'publicprivate' }), 'privacy_level');
  assertFieldError(await client.patch(url('dev'), { hidden: 'sometimes' }), 'hidden');
  assert.equal((await client.patch(url('nope'), { active: true })).statusCode, 404);

  const bob = apiClient(app, (await app.newUser('bob-versions')).auth);
  assert.equal((await bob.patch(url('main'), { active: true })).statusCode, 403, 'a reader of a public project: 403');
  assert.equal((await anonymous.patch(url('main'), { active: true })).statusCode, 401);
  assert.equal((await get('main')).active, false);
});

test('public versions of a public project are readable by anyone; private ones and private projects are not', async () => {
  // dev was made private above.
  const listed = (await anonymous.get(url())).json();
  assert.ok(!slugs(listed).includes('dev'), 'a private version is not listed to readers');
  assert.ok(slugs(listed).includes('v1.0'));
  assert.equal((await anonymous.get(url('v1.0'))).statusCode, 200);
  assert.equal((await anonymous.get(url('dev'))).statusCode, 404);
  const bob = apiClient(app, (await app.newUser('carol-versions')).auth);
  assert.equal((await bob.get(url('dev'))).statusCode, 404);
  assert.equal((await bob.get(url('main'))).statusCode, 200);
  assert.equal((await apiClient(app, { authorization: 'Token wrong' }).get(url())).statusCode, 401, 'a bad token is not read as anonymous');

  await app.database.db.update(projects).set({ privacyLevel: 'private' }).where(eq(projects.slug, slug));
  try {
    assert.equal((await anonymous.get(url())).statusCode, 404);
    assert.equal((await bob.get(url('main'))).statusCode, 404);
    assert.equal((await client.get(url('dev'))).statusCode, 200, 'maintainers see everything');
  } finally {
    await app.database.db.update(projects).set({ privacyLevel: 'public' }).where(eq(projects.slug, slug));
  }
});

test('sync-versions answers 202 {"triggered": true}, maintainers only, and the queued sync reads the branches', async () => {
  repo.git('branch', 'feature', 'main');
  repo.git('tag', 'v2.0', 'main');
  const stableBuilds = async () => (await client.get(url('stable') + 'builds/')).json().results as Array<{ trigger: string }>;
  const before = (await stableBuilds()).length;
  const res = await client.post(`/api/v3/projects/${slug}/sync-versions/`);
  assert.equal(res.statusCode, 202, res.body);
  assert.deepEqual(res.json(), { triggered: true });
  assertRtdShape(res.json(), rtdFixture('projects-sync-versions'));
  await syncsDone(app);
  assert.equal((await client.get(url('feature'))).statusCode, 200, 'the queued sync found the branch');
  const built = await stableBuilds();
  assert.equal(built.length, before + 1, 'stable moved to the new release tag: built once');
  assert.equal(built[0]!.trigger, 'api');
  assert.equal((await apiClient(app, (await app.newUser('dave-versions')).auth).post(`/api/v3/projects/${slug}/sync-versions/`)).statusCode, 403);
  assert.equal((await anonymous.post(`/api/v3/projects/${slug}/sync-versions/`)).statusCode, 401);

  // The domain function only queues: nothing is read before the web tier's worker runs the job.
  repo.git('branch', 'later', 'main');
  const ctx = { db: app.database.db, queue: app.queue, syncs: new SyncQueue(app.queue.boss), allowLocalRepositories: true, allowPrivateWebhookUrls: false };
  assert.equal(await requestVersionSync(ctx, app.user, slug, 'api'), undefined);
  await syncsDone(app);
  assert.equal((await client.get(url('later'))).statusCode, 200, 'synced after the answer');
});
