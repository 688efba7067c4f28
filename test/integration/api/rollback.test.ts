// POST /api/v3/projects/<p>/versions/<v>/rollback/ {build}: maintainers roll a version back
// to a recent successful build; refused builds are a 400 naming the field; other users get 403.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { finishBuild } from '../../../src/db/builds.ts';
import { createProject } from '../../../src/db/projects.ts';
import { builds, versions } from '../../../src/db/schema.ts';
import { rollbackRoutes } from '../../../src/web/api/rollback.ts';
import { SyncQueue } from '../../../src/queue/sync-queue.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
const ids: number[] = [];
const URL = '/api/v3/projects/guide/versions/latest/rollback/';

before(async () => {
  app = await testApp({ builder: false });
  // Until src/web/app.ts registers the route, the test does.
  if (!app.web.hasRoute({ method: 'POST', url: '/api/v3/projects/:project/versions/:version/rollback/' })) {
    rollbackRoutes(app.web, { db: app.database.db, publicUrl: app.publicUrl, docsDomain: app.docsDomain, previewDomain: app.previewDomain, allowLocalRepositories: true, allowPrivateWebhookUrls: true, queue: app.queue, syncs: new SyncQueue(app.queue.boss) });
  }
  const db = app.database.db;
  const project = await createProject(db, { slug: 'guide', name: 'Guide', repoUrl: 'https://example.com/guide.git', defaultBranch: 'main' }, app.user.id);
  const [version] = await db.insert(versions).values({ projectId: project.id, slug: 'latest', verboseName: 'latest', type: 'branch', identifier: 'main', active: true }).returning();
  for (let k = 0; k < 3; k++) {
    const [build] = await db.insert(builds).values({ projectId: project.id, versionId: version!.id, trigger: 'api', state: 'uploading' }).returning();
    await finishBuild(db, build!.id, k === 2 ? { success: false, errorCode: 'x', error: 'broken' } : { success: true });
    ids.push(build!.id);
  }
});
after(() => app.close());

test('a maintainer rolls back; the version answers with its new state', async () => {
  const res = await app.web.inject({ method: 'POST', url: URL, headers: app.auth, payload: { build: ids[0] } });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().slug, 'latest');
  const [row] = await app.database.db.select().from(versions);
  assert.equal(row!.liveBuildId, ids[0]);
});

test('refused builds are a 400 on the build field; bad bodies a 400; readers of the public project a 403; no token a 401', async () => {
  const failed = await app.web.inject({ method: 'POST', url: URL, headers: app.auth, payload: { build: ids[2] } });
  assert.equal(failed.statusCode, 400);
  assert.match(failed.json().build[0], /did not finish successfully/);
  assert.equal((await app.web.inject({ method: 'POST', url: URL, headers: app.auth, payload: {} })).statusCode, 400);
  assert.equal((await app.web.inject({ method: 'POST', url: URL, headers: app.auth, payload: { build: 'x' } })).statusCode, 400);
  const bob = await app.newUser('bob');
  // The project is public: another user may read it, so a write is forbidden rather than not found (Read the Docs).
  assert.equal((await app.web.inject({ method: 'POST', url: URL, headers: bob.auth, payload: { build: ids[1] } })).statusCode, 403);
  assert.equal((await app.web.inject({ method: 'POST', url: URL.replace('latest', 'nope'), headers: app.auth, payload: { build: ids[1] } })).statusCode, 404);
  assert.equal((await app.web.inject({ method: 'POST', url: URL, payload: { build: ids[1] } })).statusCode, 401);
  const [row] = await app.database.db.select().from(versions);
  assert.equal(row!.liveBuildId, ids[0], 'nothing refused changed the pointer');
});
