// GitHub webhooks through HTTP against a real repository, database, queue and builder:
// ping, push to a branch (built at the pushed commit), a release tag (stable follows),
// create/delete (sync), pull requests (external preview versions), and the signature.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { eq } from 'drizzle-orm';
import { integrations } from '../../../src/db/schema.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { ZERO, activate, buildsOf, githubHeaders, githubPayload, hookedProject, newBuilds, settle, sign, versionOf, type HookedProject } from '../../helpers/webhooks.ts';

let app: TestApp;
let repo: GitRepo;
let hp: HookedProject;

before(async () => {
  app = await testApp();
  repo = makeGitRepo({
    files: { 'docs/index.md': '# Widget\n\nmain\n' },
    tags: { 'v1.0.0': { 'docs/index.md': '# Widget\n\none\n' } },
    branches: { feature: { 'docs/index.md': '# Widget\n\nfeature\n' } },
  });
  hp = await hookedProject(app, repo, 'Widget', 'github');
});
after(async () => {
  // Closing while the builder is claiming a build leaves that build running after the close.
  await settle(app, hp.projectId);
  await app.close();
  repo.remove();
});

function send(event: string, payload: object, opts: { secret?: string; delivery?: string; path?: string; headers?: Record<string, string> } = {}) {
  const body = JSON.stringify(payload);
  const headers = { ...githubHeaders(event, body, opts.secret ?? hp.secret, opts.delivery), ...opts.headers };
  return app.web.inject({ method: 'POST', url: opts.path ?? hp.path, headers, payload: body });
}

const pushMain = (after: string, before = ZERO.replace(/0/g, 'a')) => githubPayload.push(hp.slug, { ref: 'refs/heads/main', before, after });

test('ping answers 200 and builds nothing', async () => {
  const count = (await buildsOf(app, hp.projectId)).length;
  const res = await send('ping', githubPayload.ping(hp.slug));
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { build_triggered: false, project: hp.slug, versions: [], detail: 'Webhook configured correctly' });
  assert.equal((await buildsOf(app, hp.projectId)).length, count);
});

test('a push to the default branch syncs and builds latest at the pushed commit, even when the branch has moved on', async () => {
  const count = (await buildsOf(app, hp.projectId)).length;
  const pushed = repo.commit('main', { 'docs/index.md': '# Widget\n\npushed\n' });
  const tip = repo.commit('main', { 'docs/index.md': '# Widget\n\nlater\n' });
  const res = await send('push', pushMain(pushed));
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { build_triggered: true, project: hp.slug, versions: ['latest'], versions_synced: true });
  const queued = await newBuilds(app, hp.projectId, count);
  assert.deepEqual(queued.map((b) => [b.versionSlug, b.commit, b.trigger]), [['latest', pushed, 'webhook']]);
  // The versions were synced: latest now records the branch's tip.
  assert.equal((await versionOf(app, hp.projectId, 'latest'))!.commit, tip);
  const done = await app.waitForBuild(queued[0]!.id);
  assert.equal(done.state, 'finished', done.error ?? '');
  assert.equal(done.commit, pushed, 'the builder checked out the pushed commit, not the tip');
});

test('pushing a new release tag moves stable to it and rebuilds stable at the tagged commit', async () => {
  await settle(app, hp.projectId);
  const count = (await buildsOf(app, hp.projectId)).length;
  const tagged = repo.commit('release', { 'docs/index.md': '# Widget\n\ntwo\n' });
  repo.git('tag', '-a', 'v2.0.0', '-m', 'release 2.0.0', tagged);
  const tagObject = repo.git('rev-parse', 'v2.0.0');
  assert.notEqual(tagObject, tagged);
  const payload = githubPayload.push(hp.slug, { ref: 'refs/tags/v2.0.0', before: ZERO, after: tagObject, created: true, headCommit: tagged });
  const res = await send('push', payload);
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().versions, ['stable']);
  const stable = (await versionOf(app, hp.projectId, 'stable'))!;
  assert.equal(stable.identifier, 'v2.0.0');
  const queued = await newBuilds(app, hp.projectId, count);
  assert.deepEqual(queued.map((b) => [b.versionSlug, b.commit]), [['stable', tagged]], 'the new tag version itself is inactive: not built');
  const done = await app.waitForBuild(queued[0]!.id);
  assert.equal(done.state, 'finished', done.error ?? '');
  assert.equal(done.commit, tagged);
  assert.equal((await versionOf(app, hp.projectId, 'v2.0.0'))!.active, false);
});

test('a push to a branch no active version follows builds nothing', async () => {
  await settle(app, hp.projectId);
  const count = (await buildsOf(app, hp.projectId)).length;
  const sha = repo.commit('feature', { 'docs/more.md': '# More\n' });
  const res = await send('push', githubPayload.push(hp.slug, { ref: 'refs/heads/feature', before: ZERO.replace(/0/g, 'b'), after: sha }));
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().build_triggered, false);
  assert.match(res.json().detail, /No active version follows feature/);
  assert.equal((await buildsOf(app, hp.projectId)).length, count);
});

test('create and delete events sync versions; a deleted branch that was built is deactivated with its docs kept', async () => {
  await settle(app, hp.projectId);
  await activate(app, hp.projectId, 'feature');
  const sha = repo.commit('feature', { 'docs/index.md': '# Widget\n\nfeature 2\n' });
  const pushed = await send('push', githubPayload.push(hp.slug, { ref: 'refs/heads/feature', before: ZERO.replace(/0/g, 'c'), after: sha }));
  assert.deepEqual(pushed.json().versions, ['feature']);
  await settle(app, hp.projectId);
  const built = (await versionOf(app, hp.projectId, 'feature'))!;
  assert.ok(built.liveBuildId, 'feature has live docs');
  const count = (await buildsOf(app, hp.projectId)).length;

  repo.commit('topic', { 'docs/topic.md': '# Topic\n' });
  const created = await send('create', { ref: 'topic', ref_type: 'branch', master_branch: 'main', pusher_type: 'user', repository: githubPayload.ping(hp.slug).repository });
  assert.equal(created.statusCode, 200, created.body);
  assert.equal(created.json().versions_synced, true);
  assert.equal((await versionOf(app, hp.projectId, 'topic'))?.active, false, 'a new branch appears, inactive');

  repo.git('branch', '-D', 'feature');
  const deleted = await send('push', githubPayload.push(hp.slug, { ref: 'refs/heads/feature', before: sha, after: ZERO, deleted: true }));
  assert.equal(deleted.statusCode, 200, deleted.body);
  assert.equal(deleted.json().build_triggered, false);
  const gone = (await versionOf(app, hp.projectId, 'feature'))!;
  assert.equal(gone.active, false, 'deactivated');
  assert.equal(gone.liveBuildId, built.liveBuildId, 'its docs are kept');

  repo.git('branch', '-D', 'topic');
  const deleteEvent = await send('delete', { ref: 'topic', ref_type: 'branch', pusher_type: 'user', repository: githubPayload.ping(hp.slug).repository });
  assert.equal(deleteEvent.statusCode, 200, deleteEvent.body);
  assert.equal(await versionOf(app, hp.projectId, 'topic'), null, 'an unbuilt deleted branch is removed');
  assert.equal((await buildsOf(app, hp.projectId)).length, count, 'syncing built nothing');
});

test('a pull request gets an external version built at its head; synchronize rebuilds; closed deactivates', async () => {
  await settle(app, hp.projectId);
  // Previews are off unless the project turns them on (test/security/pr-previews.test.ts).
  const enabled = await app.web.inject({ method: 'PATCH', url: `/api/v3/projects/${hp.slug}/`, headers: app.auth, payload: { external_builds_enabled: true } });
  assert.equal(enabled.statusCode, 204, enabled.body);
  // A fork's commit: reachable only through refs/pull/<n>/head, as on GitHub.
  const head1 = repo.commit('fork-work', { 'docs/index.md': '# Widget\n\nPR one\n' });
  repo.git('update-ref', 'refs/pull/7/head', head1);
  repo.git('branch', '-D', 'fork-work');
  const count = (await buildsOf(app, hp.projectId)).length;

  const opened = await send('pull_request', githubPayload.pullRequest(hp.slug, { action: 'opened', number: 7, head: head1, headRef: 'fork-work' }));
  assert.equal(opened.statusCode, 200, opened.body);
  assert.deepEqual(opened.json(), { build_triggered: true, project: hp.slug, versions: ['7'], preview_url: `http://${hp.slug}--7.previews.localhost:8000/en/7/` });
  const api = (await app.web.inject({ url: `/api/v3/projects/${hp.slug}/versions/7/`, headers: app.auth })).json();
  assert.deepEqual([api.type, api.verbose_name, api.identifier, api.active], ['external', '7', head1, true]);
  let queued = await newBuilds(app, hp.projectId, count);
  assert.deepEqual(queued.map((b) => [b.versionSlug, b.commit]), [['7', head1]]);
  const first = await app.waitForBuild(queued[0]!.id);
  assert.equal(first.state, 'finished', first.error ?? '');
  assert.equal(first.commit, head1);

  const edited = await send('pull_request', githubPayload.pullRequest(hp.slug, { action: 'edited', number: 7, head: head1, headRef: 'fork-work' }));
  assert.equal(edited.json().build_triggered, false);

  repo.git('checkout', '--quiet', '-b', 'fork-work', head1);
  const head2 = repo.commit('fork-work', { 'docs/index.md': '# Widget\n\nPR two\n' });
  repo.git('checkout', '--quiet', 'main');
  repo.git('update-ref', 'refs/pull/7/head', head2);
  const synced = await send('pull_request', githubPayload.pullRequest(hp.slug, { action: 'synchronize', number: 7, head: head2, headRef: 'fork-work' }));
  assert.deepEqual(synced.json().versions, ['7']);
  queued = await newBuilds(app, hp.projectId, count);
  assert.deepEqual(queued.map((b) => [b.versionSlug, b.commit]), [['7', head1], ['7', head2]]);
  const second = await app.waitForBuild(queued[1]!.id);
  assert.equal(second.state, 'finished', second.error ?? '');
  assert.equal(second.commit, head2);

  const closed = await send('pull_request', githubPayload.pullRequest(hp.slug, { action: 'closed', number: 7, head: head2, headRef: 'fork-work', merged: true }));
  assert.deepEqual(closed.json(), { build_triggered: false, project: hp.slug, versions: ['7'], version_deactivated: true });
  const version = (await versionOf(app, hp.projectId, '7'))!;
  assert.equal(version.active, false);
  assert.equal(version.type, 'external');
  assert.equal((await buildsOf(app, hp.projectId)).length, count + 2, 'edits and closing build nothing');
});

test('signatures: wrong secret, missing header, body changed after signing, SHA-1 only → refused, nothing built', async () => {
  await settle(app, hp.projectId);
  const count = (await buildsOf(app, hp.projectId)).length;
  const sha = repo.commit('main', { 'docs/index.md': '# Widget\n\nsigned\n' });
  const body = JSON.stringify(pushMain(sha));

  const wrong = await send('push', pushMain(sha), { secret: 'not-the-secret' });
  assert.equal(wrong.statusCode, 403, wrong.body);

  const headers = githubHeaders('push', body, hp.secret);
  const { 'x-hub-signature-256': _, ...unsigned } = headers;
  const missing = await app.web.inject({ method: 'POST', url: hp.path, headers: unsigned, payload: body });
  assert.equal(missing.statusCode, 401, 'X-Hub-Signature (SHA-1) alone is not accepted');

  const tampered = body.replace(sha, repo.git('rev-parse', 'main~1'));
  assert.notEqual(tampered, body);
  const changed = await app.web.inject({ method: 'POST', url: hp.path, headers, payload: tampered });
  assert.equal(changed.statusCode, 403);
  // A signature over re-serialised JSON is not a signature over the bytes sent.
  const reformatted = await app.web.inject({ method: 'POST', url: hp.path, headers: { ...headers, 'x-hub-signature-256': sign(hp.secret, JSON.stringify(JSON.parse(body), null, 2)) }, payload: body });
  assert.equal(reformatted.statusCode, 403);

  assert.equal((await buildsOf(app, hp.projectId)).length, count, 'nothing was built');
  const good = await app.web.inject({ method: 'POST', url: hp.path, headers, payload: body });
  assert.equal(good.statusCode, 200, good.body);
  assert.equal((await buildsOf(app, hp.projectId)).length, count + 1, 'the same delivery, correctly signed, builds');
});

test('a replayed delivery is ignored, under its own id or a fresh one', async () => {
  await settle(app, hp.projectId);
  const sha = repo.commit('main', { 'docs/index.md': '# Widget\n\nreplay\n' });
  const delivery = randomUUID();
  const first = await send('push', pushMain(sha), { delivery });
  assert.equal(first.json().build_triggered, true, first.body);
  const count = (await buildsOf(app, hp.projectId)).length;
  const again = await send('push', pushMain(sha), { delivery });
  assert.equal(again.statusCode, 200);
  assert.deepEqual(again.json(), { build_triggered: false, project: hp.slug, versions: [], detail: 'replay ignored' });
  const freshId = await send('push', pushMain(sha), { delivery: randomUUID() });
  assert.equal(freshId.json().detail, 'replay ignored');
  assert.equal((await buildsOf(app, hp.projectId)).length, count);
});

test('an unreadable repository: a sync-only event answers 502 and its redelivery is processed later; a push still builds', async () => {
  await settle(app, hp.projectId);
  const sha = repo.commit('main', { 'docs/index.md': '# Widget\n\noutage\n' });
  const deleteEvent = { ref: 'gone', ref_type: 'branch', pusher_type: 'user', repository: githubPayload.ping(hp.slug).repository };
  const delivery = randomUUID();
  const count = (await buildsOf(app, hp.projectId)).length;
  fs.renameSync(repo.dir, `${repo.dir}.away`);
  try {
    const failed = await send('delete', deleteEvent, { delivery });
    assert.equal(failed.statusCode, 502, failed.body);
    const push = await send('push', pushMain(sha));
    assert.equal(push.statusCode, 200, push.body);
    assert.equal(push.json().versions_synced, false);
    assert.match(push.json().detail, /not synced/);
    assert.deepEqual(push.json().versions, ['latest'], 'the known versions still say what the push builds');
  } finally {
    fs.renameSync(`${repo.dir}.away`, repo.dir);
  }
  const redelivered = await send('delete', deleteEvent, { delivery });
  assert.equal(redelivered.statusCode, 200, redelivered.body);
  assert.equal(redelivered.json().versions_synced, true, 'a failed delivery is not remembered as seen');
  const queued = await newBuilds(app, hp.projectId, count);
  assert.deepEqual(queued.map((b) => [b.versionSlug, b.commit]), [['latest', sha]]);
  await settle(app, hp.projectId);
});

test('form-encoded deliveries (payload=…) are verified over the raw form body', async () => {
  await settle(app, hp.projectId);
  const count = (await buildsOf(app, hp.projectId)).length;
  const sha = repo.commit('main', { 'docs/index.md': '# Widget\n\nform\n' });
  const form = `payload=${encodeURIComponent(JSON.stringify(pushMain(sha)))}`;
  const headers = { ...githubHeaders('push', form, hp.secret), 'content-type': 'application/x-www-form-urlencoded' };
  const res = await app.web.inject({ method: 'POST', url: hp.path, headers, payload: form });
  assert.equal(res.statusCode, 200, res.body);
  const queued = await newBuilds(app, hp.projectId, count);
  assert.deepEqual(queued.map((b) => [b.versionSlug, b.commit]), [['latest', sha]]);
});

test('receiver paths: by provider, by provider and id; several integrations of one provider; wrong provider, unknown project or integration → 404; no secret → refused', async () => {
  await settle(app, hp.projectId);
  for (const path of [`/api/v2/webhook/github/${hp.slug}/`, `/api/v2/webhook/github/${hp.slug}/${hp.integrationId}/`]) {
    const res = await send('ping', githubPayload.ping(hp.slug), { path });
    assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
  }
  for (const path of [`/api/v2/webhook/gitlab/${hp.slug}/`, `/api/v2/webhook/gitlab/${hp.slug}/${hp.integrationId}/`, `/api/v2/webhook/nope/${hp.integrationId}/`, `/api/v2/webhook/${hp.slug}/${hp.integrationId + 100}/`]) {
    const res = await send('ping', githubPayload.ping(hp.slug), { path });
    assert.equal(res.statusCode, 404, `${path}: ${res.body}`);
  }
  // Two GitHub integrations: /webhook/github/<project>/ accepts either one's signature, and only those.
  const second = (await app.web.inject({ method: 'POST', url: `/api/v3/projects/${hp.slug}/integrations/`, headers: app.auth, payload: { type: 'github' } })).json();
  const viaSecond = await send('ping', githubPayload.ping(hp.slug), { path: `/api/v2/webhook/github/${hp.slug}/`, secret: second.secret });
  assert.equal(viaSecond.statusCode, 200, viaSecond.body);
  const neither = await send('ping', githubPayload.ping(hp.slug), { path: `/api/v2/webhook/github/${hp.slug}/`, secret: 'neither' });
  assert.equal(neither.statusCode, 403);
  const crossed = await send('ping', githubPayload.ping(hp.slug), { path: `/api/v2/webhook/${hp.slug}/${hp.integrationId}/`, secret: second.secret });
  assert.equal(crossed.statusCode, 403, "an integration's URL takes only its own secret");
  await app.web.inject({ method: 'DELETE', url: `/api/v3/projects/${hp.slug}/integrations/${second.id}/`, headers: app.auth });

  await app.database.db.update(integrations).set({ secret: '' }).where(eq(integrations.id, hp.integrationId));
  try {
    const res = await send('ping', githubPayload.ping(hp.slug), { secret: '' });
    assert.equal(res.statusCode, 403);
    assert.match(res.json().detail, /no secret/);
  } finally {
    await app.database.db.update(integrations).set({ secret: hp.secret }).where(eq(integrations.id, hp.integrationId));
  }
});
