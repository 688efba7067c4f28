// Rollback (flip a version back to one of its recent successful builds, refuse anything
// else) and collection of old builds' files (keep the N newest and the live one, never a
// running build), against a real database and storage folder.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { artifactPrefix } from '../../../src/core/build-state.ts';
import { finishBuild } from '../../../src/db/builds.ts';
import { collectOldBuilds, KEEP_BUILDS, RollbackRefusedError, rollbackVersion } from '../../../src/db/deploys.ts';
import { builds, versions, type Project, type Version } from '../../../src/db/schema.ts';
import { docsFixture, type DocsFixture } from '../../helpers/docs-fixture.ts';
import { get } from '../../helpers/http.ts';

let f: DocsFixture;
let project: Project;
let version: Version;
let other: Version;
const ids: number[] = [];
let failed: number;
let running: number;
let otherBuild: number;

const live = async (v: Version) => (await f.database.db.select().from(versions).where(eq(versions.id, v.id)))[0]!.liveBuildId;
const body = async () => (await get(f.port, 'guide.docs.localhost', '/en/latest/')).body;

before(async () => {
  f = await docsFixture();
  project = await f.project('guide');
  version = await f.version(project, 'latest');
  other = await f.version(project, 'v1');
  for (let k = 1; k <= 5; k++) ids.push(await f.deploy(project, version, { 'index.html': `build ${k}` }, { htmlzip: `zip ${k}` }));
  otherBuild = await f.deploy(project, other, { 'index.html': 'v1' });
  const insert = async (state: string) => (await f.database.db.insert(builds).values({ projectId: project.id, versionId: version.id, trigger: 'api', state }).returning())[0]!.id;
  failed = await insert('uploading');
  await f.storage.put(`${artifactPrefix('guide', 'latest', failed)}/index.html`, 'half-uploaded');
  await finishBuild(f.database.db, failed, { success: false, errorCode: 'x', error: 'failed' });
  running = await insert('building');
  await f.storage.put(`${artifactPrefix('guide', 'latest', running)}/index.html`, 'uploading now');
  await f.listen();
});
after(() => f.close());

test('rollback points the version at an earlier successful build, and readers get it', async () => {
  assert.equal(await live(version), ids[4]);
  assert.equal(await body(), 'build 5');
  const updated = await rollbackVersion(f.database.db, version.id, ids[3]!);
  assert.equal(updated.liveBuildId, ids[3]);
  assert.equal(await body(), 'build 4');
  // And forward again to a newer successful one.
  await rollbackVersion(f.database.db, version.id, ids[4]!);
  assert.equal(await body(), 'build 5');
});

test('rollback refuses builds of another version, unsuccessful, unfinished, too old or unknown builds', async () => {
  const refused: Array<[string, number, RegExp]> = [
    ['other version', otherBuild, /not a build of this version/],
    ['failed', failed, /did not finish successfully/],
    ['running', running, /did not finish successfully/],
    ['older than the kept builds', ids[0]!, new RegExp(`older than the ${KEEP_BUILDS} most recent`)],
    ['unknown', 999_999, /not a build of this version/],
  ];
  for (const [what, id, message] of refused) {
    await assert.rejects(rollbackVersion(f.database.db, version.id, id), (err: Error) => err instanceof RollbackRefusedError && message.test(err.message), what);
  }
  await assert.rejects(rollbackVersion(f.database.db, 999_999, ids[4]!), RollbackRefusedError);
  assert.equal(await live(version), ids[4], 'a refused rollback changes nothing');
});

test('collecting keeps the newest successful builds and the live one, never a running build', async () => {
  await rollbackVersion(f.database.db, version.id, ids[2]!);
  const deleted = await collectOldBuilds(f.database.db, f.storage, version.id, 2);
  assert.deepEqual(deleted.sort((a, b) => a - b), [ids[0]!, ids[1]!, failed].sort((a, b) => a - b));
  const has = async (id: number, format = 'html') => (await f.storage.list(artifactPrefix('guide', 'latest', id, format))).length > 0;
  for (const id of [ids[0]!, ids[1]!, failed]) {
    assert.equal(await has(id), false, `build ${id} collected`);
    assert.equal(await has(id, 'htmlzip'), false, `build ${id}'s other formats collected`);
  }
  for (const id of [ids[2]!, ids[3]!, ids[4]!, running]) assert.equal(await has(id), true, `build ${id} kept`);
  assert.equal(await has(ids[4]!, 'htmlzip'), true);
  assert.equal(await body(), 'build 3', 'the live build is kept even though it is not among the newest');
  assert.equal((await get(f.port, 'guide.docs.localhost', '/en/v1/')).body, 'v1', 'other versions untouched');
  assert.deepEqual(await collectOldBuilds(f.database.db, f.storage, 999_999), []);
});
