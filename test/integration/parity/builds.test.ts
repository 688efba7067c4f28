// Builds through the API and the dashboard: triggering and cancelling go through one domain
// (domain/builds.ts) and one state machine (core/build-state.ts), so both adapters end a build
// alike — cancelled with success false and a notification — and refuse alike; a failed build
// is `finished` with success false on both, which the dashboard shows as "Failed".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { getBuild, listBuilds } from '../../../src/db/builds.ts';
import { findProjectBySlug } from '../../../src/db/projects.ts';
import { notifications } from '../../../src/db/schema.ts';
import { importProject } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { assertSameRefusal, postForm, twin, type Twin } from '../../helpers/parity.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
let repo: GitRepo;
let alice: Twin;
let slug: string;

before(async () => {
  // No builder: builds wait until the test moves them.
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' }, branches: { dev: { 'docs/index.md': '# Dev\n' } } });
  alice = await twin(app, 'bea');
  slug = await importProject(alice.api, 'Parity Builds', repo.url);
});
after(async () => {
  await app.close();
  repo.remove();
});

const messagesOf = async (buildId: number) => (await app.database.db.select().from(notifications).where(eq(notifications.buildId, buildId))).map((n) => n.messageId);
/** The page whose form gives the CSRF token: the project's own. */
const page = () => `/projects/${slug}/`;

test('a trigger from either adapter queues the same kind of build of the version', async () => {
  const viaApi = (await alice.api.post(`/api/v3/projects/${slug}/versions/dev/builds/`)).json().build;
  const res = await postForm(alice.form, page(), `/projects/${slug}/versions/dev/build/`, {});
  assert.equal(res.statusCode, 303, res.body);
  const viaPage = Number(/builds\/(\d+)\//.exec(res.headers.location as string)?.[1]);
  const [a, b] = [await getBuild(app.database.db, viaApi.id), await getBuild(app.database.db, viaPage)];
  assert.equal(b!.versionId, a!.versionId);
  assert.equal(b!.state, 'triggered');
  assert.deepEqual([a!.trigger, b!.trigger], ['api', 'user']);
  // The second superseded the first, whichever adapter sent it.
  assert.equal(a!.state, 'cancelled');
  assert.deepEqual(await messagesOf(a!.id), ['build:user:cancelled']);
});

test('a cancel from either adapter ends the build alike; a cancel of an ended build is refused alike', async () => {
  const project = (await findProjectBySlug(app.database.db, slug))!;
  const waiting = (await listBuilds(app.database.db, { projectId: project.id, running: true }, 10, 0)).rows;
  assert.ok(waiting.length >= 2, 'the import build and the dashboard build are waiting');
  const [first, second] = waiting;
  assert.equal((await alice.api.post(`/api/v3/projects/${slug}/builds/${first!.id}/cancel/`)).statusCode, 202);
  const res = await postForm(alice.form, page(), `/projects/${slug}/builds/${second!.id}/cancel/`, {});
  assert.equal(res.statusCode, 303, res.body);
  for (const id of [first!.id, second!.id]) {
    const b = (await getBuild(app.database.db, id))!;
    assert.deepEqual([b.state, b.success, b.errorCode], ['cancelled', false, 'cancelled']);
    assert.deepEqual(await messagesOf(id), ['build:user:cancelled']);
  }
  const apiRes = await alice.api.post(`/api/v3/projects/${slug}/builds/${first!.id}/cancel/`);
  const pageRes = await postForm(alice.form, page(), `/projects/${slug}/builds/${first!.id}/cancel/`, {});
  assertSameRefusal(apiRes, pageRes, 'build', 409);
});

test('a failed build is finished with success false on both; the dashboard says "Failed"', async () => {
  const build = (await alice.api.post(`/api/v3/projects/${slug}/versions/latest/builds/`)).json().build;
  const claim = await app.queue.claim('test');
  assert.equal(claim?.build.id, build.id);
  await app.queue.finish(claim!.build, { success: false, errorCode: 'command-failed', error: 'make html exited with code 2.' });
  const shown = (await alice.api.get(`/api/v3/projects/${slug}/builds/${build.id}/`)).json();
  assert.deepEqual([shown.state.code, shown.success], ['finished', false]);
  const html = (await alice.form.get(`/projects/${slug}/builds/${build.id}/`)).body;
  assert.match(html, /data-build-state="finished"/);
  assert.match(html, /This build failed/);
  assert.match(html, /make html exited with code 2\./);
  assert.match(html, />Failed</);
  assert.doesNotMatch(html, /This build was cancelled/);
});
