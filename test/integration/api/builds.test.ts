// API v3 builds as Read the Docs has them: the trigger's 202 with the whole project and version,
// the build's fields (compared with a Read the Docs-shaped fixture), `?expand=config`, the
// `running` (django-filter boolean) and `commit` filters on both build lists, cancel, a failed
// build finished with success false, and who may read and write.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { setBuildState } from '../../../src/db/builds.ts';
import { builds, projects, versions } from '../../../src/db/schema.ts';
import { apiClient, importProject, type ApiClient } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { assertRtdShape, rtdFixture } from '../../helpers/rtd-shape.ts';

let app: TestApp;
let repo: GitRepo;
let client: ApiClient;
let bob: ApiClient;
let anonymous: ApiClient;
let slug: string;
const COMMIT = 'abcdef0123456789abcdef0123456789abcdef01';

before(async () => {
  // No builder: builds stay waiting until the test moves them.
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' }, branches: { dev: { 'docs/index.md': '# Dev\n' }, next: { 'docs/index.md': '# Next\n' } } });
  client = apiClient(app);
  bob = apiClient(app, (await app.newUser('bob-builds')).auth);
  anonymous = apiClient(app, {});
  slug = await importProject(client, 'Builds', repo.url);
});
after(async () => {
  await app.close();
  repo.remove();
});

const ids = (page: { results: Array<{ id: number }> }) => page.results.map((b) => b.id);
const list = async (c: ApiClient, url: string) => {
  const res = await c.get(url);
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
};

test('a trigger answers 202 with the build, the whole project and version objects, and triggered: true', async () => {
  const res = await client.post(`/api/v3/projects/${slug}/versions/dev/builds/`);
  assert.equal(res.statusCode, 202, res.body);
  const body = res.json();
  assertRtdShape(body, rtdFixture('projects-versions-builds-list_POST'));
  assert.equal(body.triggered, true);
  assert.equal(body.project.slug, slug);
  assert.equal(body.project.id > 0, true);
  // Read the Docs shows the project as its detail does without ?expand (no active_versions, no permissions).
  const { active_versions: _a, permissions: _p, ...projectShape } = rtdFixture('projects-detail') as Record<string, unknown>;
  assertRtdShape(body.project, projectShape);
  assert.equal(body.version.slug, 'dev');
  assertRtdShape(body.version, rtdFixture('projects-versions-detail'));
  assert.equal(body.build.state.code, 'triggered');
  assert.equal(body.build.success, null, 'success is null until the build ends');
  assert.equal(body.build.version, 'dev');
  assert.equal(body.build._links.notifications, `${app.publicUrl}/api/v3/projects/${slug}/builds/${body.build.id}/notifications/`);
  assert.equal('config' in body.build, false);
});

test('a pull-request version is rebuilt at the commit of its last build (Read the Docs)', async () => {
  const db = app.database.db;
  const [project] = await db.select().from(projects).where(eq(projects.slug, slug));
  const [pr] = await db.insert(versions).values({ projectId: project!.id, slug: '42', verboseName: '42', type: 'external', identifier: COMMIT, active: true }).returning();
  await db.insert(builds).values({ projectId: project!.id, versionId: pr!.id, trigger: 'webhook', state: 'finished', success: true, commit: COMMIT, finishedAt: new Date() });
  const res = await client.post(`/api/v3/projects/${slug}/versions/42/builds/`);
  assert.equal(res.statusCode, 202, res.body);
  assert.equal(res.json().build.commit, COMMIT);
  assert.equal(res.json().version.type, 'external');
});

test('?running= and ?commit= on both build lists, booleans as django-filter reads them', async () => {
  const dev = (await client.post(`/api/v3/projects/${slug}/versions/dev/builds/`)).json().build;
  const next = (await client.post(`/api/v3/projects/${slug}/versions/next/builds/`)).json().build;
  await setBuildState(app.database.db, next.id, 'cloning');
  await setBuildState(app.database.db, next.id, 'building', { commit: COMMIT });
  assert.equal((await client.post(`/api/v3/projects/${slug}/builds/${dev.id}/cancel/`)).statusCode, 202);

  const all = await list(client, `/api/v3/projects/${slug}/builds/?limit=100`);
  const running = all.results.filter((b: { state: { code: string } }) => !['finished', 'cancelled'].includes(b.state.code)).map((b: { id: number }) => b.id);
  const ended = all.results.filter((b: { state: { code: string } }) => ['finished', 'cancelled'].includes(b.state.code)).map((b: { id: number }) => b.id);
  assert.ok(running.includes(next.id) && ended.includes(dev.id));
  for (const value of ['true', 'True', 'TRUE', '1']) {
    assert.deepEqual(ids(await list(client, `/api/v3/projects/${slug}/builds/?running=${value}&limit=100`)), running, `running=${value}`);
  }
  for (const value of ['false', 'False', '0']) {
    assert.deepEqual(ids(await list(client, `/api/v3/projects/${slug}/builds/?running=${value}&limit=100`)), ended, `running=${value}`);
  }
  // A value django-filter cannot read, and a filter Read the Docs does not have, are ignored.
  assert.equal((await list(client, `/api/v3/projects/${slug}/builds/?running=perhaps`)).count, all.count);
  assert.equal((await list(client, `/api/v3/projects/${slug}/builds/?colour=blue`)).count, all.count);

  const first = await list(client, `/api/v3/projects/${slug}/builds/?running=true&limit=1`);
  assert.match(first.next, /limit=1&offset=1&running=true$/, 'the filter travels with the next page');

  // The version list takes the same filters.
  assert.deepEqual(ids(await list(client, `/api/v3/projects/${slug}/versions/next/builds/?running=True`)), [next.id]);
  assert.deepEqual(ids(await list(client, `/api/v3/projects/${slug}/versions/next/builds/?running=False`)), []);
  assert.deepEqual(ids(await list(client, `/api/v3/projects/${slug}/versions/dev/builds/?running=0`)).includes(dev.id), true);

  const byCommit = await list(client, `/api/v3/projects/${slug}/builds/?commit=${COMMIT}`);
  assert.ok(byCommit.count >= 1);
  assert.ok(byCommit.results.every((b: { commit: string }) => b.commit === COMMIT));
  assert.deepEqual(ids(await list(client, `/api/v3/projects/${slug}/versions/next/builds/?commit=${COMMIT}`)), [next.id]);
  // Any string is a commit to compare with (no 400), it just matches nothing.
  assert.equal((await list(client, `/api/v3/projects/${slug}/builds/?commit=' OR 1=1 --`)).count, 0);
  assert.equal((await list(client, `/api/v3/projects/${slug}/versions/dev/builds/?commit=0000000`)).count, 0);
});

test('the build detail and list have Read the Docs\' fields; config only with ?expand=config', async () => {
  const [build] = (await list(client, `/api/v3/projects/${slug}/versions/next/builds/`)).results;
  await app.database.db.update(builds).set({ config: { version: 2, sphinx: { configuration: 'docs/conf.py' } } }).where(eq(builds.id, build.id));
  const detail = await list(client, `/api/v3/projects/${slug}/builds/${build.id}/`);
  assert.equal(detail.finished, null, 'a running build has not finished');
  assert.equal(detail.success, null, 'nor succeeded or failed');
  assert.equal('config' in detail, false);
  const expanded = await list(client, `/api/v3/projects/${slug}/builds/${build.id}/?expand=config`);
  assert.deepEqual(expanded.config, { version: 2, sphinx: { configuration: 'docs/conf.py' } });
  assert.equal(expanded.state.code, 'building');
  assert.equal(expanded.state.name, 'Building');
  // The same build under its version (Read the Docs' …/versions/<slug>/builds/<id>/), and not under another.
  assert.deepEqual((await list(client, `/api/v3/projects/${slug}/versions/next/builds/${build.id}/?expand=config`)), expanded);
  assert.equal((await client.get(`/api/v3/projects/${slug}/versions/dev/builds/${build.id}/`)).statusCode, 404);
  const page = await list(client, `/api/v3/projects/${slug}/builds/?expand=config&limit=1`);
  assert.ok('config' in page.results[0]);
  assert.ok(Array.isArray(page.results[0].commands));
});

test('a failed build is finished with success false and its error, and gets a notification', async () => {
  const db = app.database.db;
  const triggered = (await client.post(`/api/v3/projects/${slug}/versions/latest/builds/`)).json().build;
  // Claim every waiting build; fail the one just triggered, cancel the rest.
  for (let claim = await app.queue.claim('test'); claim; claim = await app.queue.claim('test')) {
    if (claim.build.id === triggered.id) await app.queue.finish(claim.build, { success: false, errorCode: 'sphinx-failed', error: 'Sphinx exited with status 2.' });
    else await app.queue.finish(claim.build, { success: false, cancelled: true, errorCode: 'cancelled', error: 'The build was cancelled.' });
  }
  const detail = await list(client, `/api/v3/projects/${slug}/builds/${triggered.id}/`);
  assertRtdShape({ ...detail, commands: [] }, { ...(rtdFixture('projects-builds-detail') as object), commands: [] });
  assertRtdShape(await list(client, `/api/v3/projects/${slug}/builds/${triggered.id}/?expand=config`), { ...(rtdFixture('projects-builds-detail-expand-config') as object), commands: [] });
  assert.equal(detail.state.code, 'finished');
  assert.equal(detail.state.name, 'Finished');
  assert.equal(detail.success, false);
  assert.equal(detail.error, 'Sphinx exited with status 2.');
  const [row] = await db.select().from(builds).where(eq(builds.id, triggered.id));
  assert.equal(row!.state, 'finished');
  assert.deepEqual(ids(await list(client, `/api/v3/projects/${slug}/builds/?running=false&limit=100`)).includes(triggered.id), true, 'a failed build is not running');
  assertRtdShape(await list(client, `/api/v3/projects/${slug}/builds/?running=false&limit=1`), rtdFixture('projects-builds-list'));

  const notes = await list(client, `/api/v3/projects/${slug}/builds/${triggered.id}/notifications/`);
  assertRtdShape(notes, rtdFixture('projects-builds-notifications-list'));
  assert.equal(notes.count, 1);
  const [note] = notes.results;
  assert.equal(note.message.id, 'build:user:generic');
  assert.equal(note.message.body, 'Sphinx exited with status 2.');
  assert.equal(note.attached_to_content_type, 'build');
  assert.equal(note.attached_to_id, triggered.id);
  assert.equal(note.state, 'unread');

  // A finished build cannot be cancelled, and stays as it ended.
  const again = await client.post(`/api/v3/projects/${slug}/builds/${triggered.id}/cancel/`);
  assert.equal(again.statusCode, 409, again.body);
  assert.equal((await list(client, `/api/v3/projects/${slug}/builds/${triggered.id}/`)).state.code, 'finished');
});

test('cancel: 202 with the build, cancelled, success false, a build:user:cancelled notification', async () => {
  const build = (await client.post(`/api/v3/projects/${slug}/versions/dev/builds/`)).json().build;
  const res = await client.post(`/api/v3/projects/${slug}/builds/${build.id}/cancel/`);
  assert.equal(res.statusCode, 202, res.body);
  assert.equal(res.json().state.code, 'cancelled');
  assert.equal(res.json().success, false);
  const notes = await list(client, `/api/v3/projects/${slug}/builds/${build.id}/notifications/`);
  assert.deepEqual(notes.results.map((n: { message: { id: string } }) => n.message.id), ['build:user:cancelled']);
  assert.equal((await client.post(`/api/v3/projects/${slug}/builds/${build.id}/cancel/`)).statusCode, 409);
  assert.equal((await client.post(`/api/v3/projects/${slug}/builds/999999/cancel/`)).statusCode, 404);
});

test('a newer build supersedes a waiting one: cancelled, with a notification', async () => {
  const older = (await client.post(`/api/v3/projects/${slug}/versions/dev/builds/`)).json().build;
  await client.post(`/api/v3/projects/${slug}/versions/dev/builds/`);
  const shown = await list(client, `/api/v3/projects/${slug}/builds/${older.id}/`);
  assert.equal(shown.state.code, 'cancelled');
  assert.equal(shown.success, false);
  assert.equal((await list(client, `/api/v3/projects/${slug}/builds/${older.id}/notifications/`)).count, 1);
});

test('public builds are readable by anyone; triggering and cancelling are for maintainers', async () => {
  const [build] = (await list(client, `/api/v3/projects/${slug}/builds/`)).results;
  for (const reader of [bob, anonymous]) {
    assert.equal((await reader.get(`/api/v3/projects/${slug}/builds/`)).statusCode, 200);
    assert.equal((await reader.get(`/api/v3/projects/${slug}/builds/${build.id}/`)).statusCode, 200);
    assert.equal((await reader.get(`/api/v3/projects/${slug}/versions/dev/builds/?running=1`)).statusCode, 200);
  }
  assert.equal((await bob.post(`/api/v3/projects/${slug}/versions/dev/builds/`)).statusCode, 403);
  assert.equal((await bob.post(`/api/v3/projects/${slug}/builds/${build.id}/cancel/`)).statusCode, 403);
  assert.equal((await anonymous.post(`/api/v3/projects/${slug}/versions/dev/builds/`)).statusCode, 401);

  // A private version's builds are the maintainers' only.
  await app.database.db.update(versions).set({ privacyLevel: 'private' }).where(eq(versions.slug, 'next'));
  const nextBuilds = await list(client, `/api/v3/projects/${slug}/versions/next/builds/`);
  assert.ok(nextBuilds.count > 0);
  assert.equal((await bob.get(`/api/v3/projects/${slug}/versions/next/builds/`)).statusCode, 404);
  assert.equal((await bob.get(`/api/v3/projects/${slug}/builds/${nextBuilds.results[0].id}/`)).statusCode, 404);
  assert.ok(!ids(await list(bob, `/api/v3/projects/${slug}/builds/?limit=100`)).includes(nextBuilds.results[0].id));

  // A private project is not found for others.
  await app.database.db.update(projects).set({ privacyLevel: 'private' }).where(eq(projects.slug, slug));
  assert.equal((await bob.get(`/api/v3/projects/${slug}/builds/`)).statusCode, 404);
  assert.equal((await anonymous.get(`/api/v3/projects/${slug}/builds/${build.id}/`)).statusCode, 404);
  await app.database.db.update(projects).set({ privacyLevel: 'public' }).where(eq(projects.slug, slug));
  await app.database.db.update(versions).set({ privacyLevel: 'public' }).where(eq(versions.slug, 'next'));
});
