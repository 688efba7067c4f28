// API v3 notifications as Read the Docs has them: on projects, builds and users; list (with
// `state`/`state__in`), detail, PATCH/PUT of the state (204); a failed build's notification;
// who may read and change which.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { notifications, projects } from '../../../src/db/schema.ts';
import { apiClient, assertFieldError, importProject, type ApiClient } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { assertRtdShape, rtdFixture } from '../../helpers/rtd-shape.ts';

let app: TestApp;
let repo: GitRepo;
let alice: ApiClient;
let bob: ApiClient;
let anonymous: ApiClient;
let slug: string;
let buildId: number;
let noteUrl: string;

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' } });
  alice = apiClient(app);
  bob = apiClient(app, (await app.newUser('bob')).auth);
  anonymous = apiClient(app, {});
  slug = await importProject(alice, 'Notes', repo.url);
  // The import's build fails on a builder: its notification is the one the tests read.
  const claim = await app.queue.claim('test');
  assert.ok(claim);
  buildId = claim.build.id;
  await app.queue.finish(claim.build, { success: false, errorCode: 'build-timeout', error: 'The build ran out of time (15 minutes).' });
  const [note] = await app.database.db.select().from(notifications).where(eq(notifications.buildId, buildId));
  noteUrl = `/api/v3/projects/${slug}/builds/${buildId}/notifications/${note!.id}/`;
});
after(async () => {
  await app.close();
  repo.remove();
});

test("a build's notifications: Read the Docs' shape, the failure's message, readable by anyone on a public project", async () => {
  const res = await alice.get(`/api/v3/projects/${slug}/builds/${buildId}/notifications/`);
  assert.equal(res.statusCode, 200, res.body);
  assertRtdShape(res.json(), rtdFixture('projects-builds-notifications-list'));
  const [note] = res.json().results;
  assert.equal(note.message.id, 'build:user:time-out');
  assert.equal(note.message.type, 'error');
  assert.equal(note.message.body, 'The build ran out of time (15 minutes).');
  assert.equal(note._links._self, `${app.publicUrl}${noteUrl}`);
  const detail = await alice.get(noteUrl);
  assert.equal(detail.statusCode, 200);
  assertRtdShape(detail.json(), rtdFixture('projects-builds-notifications-detail'));
  for (const reader of [bob, anonymous]) assert.equal((await reader.get(`/api/v3/projects/${slug}/builds/${buildId}/notifications/`)).statusCode, 200);
  assert.equal((await alice.get(`/api/v3/projects/${slug}/builds/999999/notifications/`)).statusCode, 404);
  assert.equal((await alice.get(`/api/v3/projects/${slug}/builds/${buildId}/notifications/999999/`)).statusCode, 404);
});

test('PATCH and PUT change the state (204); a bad state names the field; only maintainers may', async () => {
  assert.equal((await alice.patch(noteUrl, { state: 'read' })).statusCode, 204);
  assert.equal((await alice.get(noteUrl)).json().state, 'read');
  assert.equal((await alice.put(noteUrl, { state: 'dismissed', news: true })).statusCode, 204);
  assert.equal((await alice.get(noteUrl)).json().state, 'dismissed');
  assert.equal((await alice.get(noteUrl)).json().news, false, 'news is read-only');
  assertFieldError(await alice.patch(noteUrl, { state: 'gone' }), 'state');
  assert.equal((await bob.patch(noteUrl, { state: 'unread' })).statusCode, 403);
  assert.equal((await anonymous.patch(noteUrl, { state: 'unread' })).statusCode, 401);
  assert.equal((await alice.get(noteUrl)).json().state, 'dismissed', 'refused changes changed nothing');
});

test('?state= and ?state__in= filter the list; other filters are ignored', async () => {
  const base = `/api/v3/projects/${slug}/builds/${buildId}/notifications/`;
  assert.equal((await alice.get(`${base}?state=dismissed`)).json().count, 1);
  assert.equal((await alice.get(`${base}?state=unread`)).json().count, 0);
  assert.equal((await alice.get(`${base}?state__in=read,dismissed`)).json().count, 1);
  assert.equal((await alice.get(`${base}?state__in=read,unread`)).json().count, 0);
  assert.equal((await alice.get(`${base}?colour=blue`)).json().count, 1);
});

test("a project's notifications are its maintainers'; its builds' are listed on the builds", async () => {
  const db = app.database.db;
  const [project] = await db.select().from(projects).where(eq(projects.slug, slug));
  const [own] = await db.insert(notifications).values({ messageId: 'project:invalid-yaml', projectId: project!.id }).returning();
  const res = await alice.get(`/api/v3/projects/${slug}/notifications/`);
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().results.map((n: { id: number }) => n.id), [own!.id]);
  assert.equal(res.json().results[0].attached_to_content_type, 'project');
  assert.equal((await alice.patch(`/api/v3/projects/${slug}/notifications/${own!.id}/`, { state: 'read' })).statusCode, 204);
  assert.equal((await bob.get(`/api/v3/projects/${slug}/notifications/`)).statusCode, 403);
  assert.equal((await anonymous.get(`/api/v3/projects/${slug}/notifications/`)).statusCode, 401);
});

test("a user's notifications are that user's only", async () => {
  const [own] = await app.database.db.insert(notifications).values({ messageId: 'core:email:validation-pending', userId: app.user.id }).returning();
  const res = await alice.get('/api/v3/users/alice/notifications/');
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().results.map((n: { id: number }) => n.id), [own!.id]);
  const detail = await alice.get(`/api/v3/users/alice/notifications/${own!.id}/`);
  assertRtdShape(detail.json(), rtdFixture('users-notifications-detail'));
  assert.equal(detail.json().attached_to_content_type, 'user');
  assert.equal((await alice.patch(`/api/v3/users/alice/notifications/${own!.id}/`, { state: 'read' })).statusCode, 204);
  assert.equal((await bob.get('/api/v3/users/alice/notifications/')).statusCode, 403);
  assert.equal((await bob.get(`/api/v3/users/bob/notifications/${own!.id}/`)).statusCode, 404);
  assert.equal((await anonymous.get('/api/v3/users/alice/notifications/')).statusCode, 401);
});
