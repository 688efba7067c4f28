// The build state rules where builds are written: a move the rules refuse changes nothing
// (two writers cannot race past them), a build ends once with its first outcome, and the
// builder API cannot take a build back to an earlier state or end it through a report.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { finishBuild, getBuild, moveBuild } from '../../../src/db/builds.ts';
import { createProject } from '../../../src/db/projects.ts';
import { builds, notifications, versions, type Build } from '../../../src/db/schema.ts';
import { BUILDER_API } from '../../../src/builder/protocol.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
let versionId: number;
let projectId: number;

before(async () => {
  app = await testApp({ builder: false });
  const db = app.database.db;
  const project = await createProject(db, { slug: 'states', name: 'States', repoUrl: 'https://example.com/states.git', defaultBranch: 'main' }, app.user.id);
  projectId = project.id;
  const [version] = await db.insert(versions).values({ projectId, slug: 'latest', verboseName: 'latest', type: 'branch', identifier: 'main', active: true }).returning();
  versionId = version!.id;
});
after(() => app.close());

const newBuild = async (state: string): Promise<Build> =>
  (await app.database.db.insert(builds).values({ projectId, versionId, trigger: 'api', state }).returning())[0]!;

test('moves the rules allow are written; others change nothing', async () => {
  const db = app.database.db;
  const b = await newBuild('triggered');
  assert.equal(await moveBuild(db, b.id, 'building'), null, 'triggered → building skips the claim');
  assert.equal((await moveBuild(db, b.id, 'cloning'))?.state, 'cloning');
  assert.equal((await moveBuild(db, b.id, 'building'))?.state, 'building');
  assert.equal(await moveBuild(db, b.id, 'installing'), null, 'no going back');
  assert.equal((await getBuild(db, b.id))!.state, 'building');
  assert.equal((await moveBuild(db, b.id, 'triggered'))?.state, 'triggered', 'a lapsed lease sends it back to wait');
});

test('a build ends once: the first outcome stays, and only it gets a notification', async () => {
  const db = app.database.db;
  const b = await newBuild('uploading');
  const ended = await finishBuild(db, b.id, { success: false, errorCode: 'sphinx-failed', error: 'x' }, { messageId: 'build:user:generic', formatValues: { error: 'x' } });
  assert.deepEqual([ended?.state, ended?.success], ['finished', false]);
  assert.equal(await finishBuild(db, b.id, { success: true }), null);
  assert.equal(await finishBuild(db, b.id, { success: false, cancelled: true, errorCode: 'cancelled', error: 'y' }, { messageId: 'build:user:cancelled', formatValues: {} }), null);
  assert.equal(await moveBuild(db, b.id, 'cloning'), null, 'a finished build never runs again');
  const row = (await getBuild(db, b.id))!;
  assert.deepEqual([row.state, row.success, row.errorCode], ['finished', false, 'sphinx-failed']);
  const notes = await db.select().from(notifications).where(eq(notifications.buildId, b.id));
  assert.deepEqual(notes.map((n) => n.messageId), ['build:user:generic']);
  const [version] = await db.select().from(versions).where(eq(versions.id, versionId));
  assert.notEqual(version!.liveBuildId, b.id, 'a failed build is never served');
});

test('the builder API moves a build forward only, and ends it only through /finish', async () => {
  const b = await app.queue.trigger({ projectId, versionId, commit: null, trigger: 'api' });
  const claim = await app.queue.claim('test-builder');
  assert.equal(claim?.build.id, b.id);
  const headers = { authorization: `Bearer ${app.builderSecret}`, 'x-build-token': claim!.token };
  const report = (ops: unknown[]) => app.web.inject({ method: 'POST', url: `${BUILDER_API}/builds/${b.id}/report`, headers, payload: { ops } });
  assert.equal((await report([{ op: 'state', state: 'building' }])).statusCode, 200);
  assert.equal((await report([{ op: 'state', state: 'installing' }])).statusCode, 200, 'a late report is accepted…');
  assert.equal((await getBuild(app.database.db, b.id))!.state, 'building', '…and changes nothing');
  for (const state of ['finished', 'cancelled', 'triggered', 'failed']) {
    assert.equal((await report([{ op: 'state', state }])).statusCode, 400, state);
  }
  const finish = await app.web.inject({ method: 'POST', url: `${BUILDER_API}/builds/${b.id}/finish`, headers, payload: { success: false, errorCode: 'command-failed', error: 'exit 1' } });
  assert.equal(finish.statusCode, 200, finish.body);
  const row = (await getBuild(app.database.db, b.id))!;
  assert.deepEqual([row.state, row.success, row.errorCode], ['finished', false, 'command-failed']);
});
