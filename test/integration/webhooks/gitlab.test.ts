// GitLab webhooks through HTTP against a real repository, database, queue and builder:
// push and tag_push (40 zeros mark a created or deleted ref), merge requests as
// external versions, X-Gitlab-Token, and the same delivery twice (GitLab's "Test" button).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { ZERO, activate, buildsAfterSync, buildsOf, gitlabHeaders, gitlabPayload, hookedProject, newBuilds, settle, syncsDone, versionOf, type HookedProject } from '../../helpers/webhooks.ts';

let app: TestApp;
let repo: GitRepo;
let hp: HookedProject;

before(async () => {
  app = await testApp();
  repo = makeGitRepo({
    files: { 'docs/index.md': '# Gadget\n\nmain\n' },
    tags: { 'v1.0.0': { 'docs/index.md': '# Gadget\n\none\n' } },
    branches: { develop: { 'docs/index.md': '# Gadget\n\ndevelop\n' } },
  });
  hp = await hookedProject(app, repo, 'Gadget', 'gitlab');
});
after(async () => {
  // Closing while the builder is claiming a build leaves that build running after the close.
  await settle(app, hp.projectId);
  await app.close();
  repo.remove();
});

function send(kind: string, payload: object, opts: { token?: string | null; uuid?: string } = {}) {
  const headers = gitlabHeaders(kind, opts.token === undefined ? hp.secret : opts.token, opts.uuid);
  return app.web.inject({ method: 'POST', url: hp.path, headers, payload: JSON.stringify(payload) });
}

const push = (ref: string, before: string, after: string, checkoutSha: string | null, kind: 'push' | 'tag_push' = 'push') =>
  gitlabPayload.push(hp.slug, { kind, ref, before, after, checkoutSha });

test('a push to the default branch builds latest at checkout_sha', async () => {
  const count = (await buildsOf(app, hp.projectId)).length;
  const sha = repo.commit('main', { 'docs/index.md': '# Gadget\n\npushed\n' });
  const tip = repo.commit('main', { 'docs/index.md': '# Gadget\n\nlater\n' });
  const res = await send('push', push('refs/heads/main', 'e'.repeat(40), sha, sha));
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { build_triggered: true, project: hp.slug, versions: ['latest'] });
  const queued = await newBuilds(app, hp.projectId, count);
  assert.deepEqual(queued.map((b) => [b.versionSlug, b.commit, b.trigger]), [['latest', sha, 'webhook']]);
  await syncsDone(app);
  assert.equal((await versionOf(app, hp.projectId, 'latest'))!.commit, tip, 'versions were synced');
  const done = await app.waitForBuild(queued[0]!.id);
  assert.equal(done.state, 'finished', done.error ?? '');
  assert.equal(done.commit, sha);
});

test('tag_push of a new release tag syncs (40-zero before) and rebuilds stable; a later push of the tag builds it again', async () => {
  await settle(app, hp.projectId);
  const count = (await buildsOf(app, hp.projectId)).length;
  const tagged = repo.commit('release', { 'docs/index.md': '# Gadget\n\ntwo\n' });
  repo.git('tag', '-a', 'v2.0.0', '-m', 'release', tagged);
  const tagObject = repo.git('rev-parse', 'v2.0.0');
  const created = await send('tag_push', push('refs/tags/v2.0.0', ZERO, tagObject, tagged, 'tag_push'));
  assert.equal(created.statusCode, 200, created.body);
  assert.deepEqual(created.json(), { build_triggered: false, project: hp.slug, versions: ['latest'], versions_synced: true });
  let queued = await buildsAfterSync(app, hp.projectId, count);
  assert.equal((await versionOf(app, hp.projectId, 'stable'))!.identifier, 'v2.0.0');
  assert.deepEqual(queued.map((b) => [b.versionSlug, b.commit]), [['stable', tagged]]);
  assert.equal((await app.waitForBuild(queued[0]!.id)).commit, tagged);

  // Moving the tag (force-push) is a push with both shas set: stable follows the tag, so it is rebuilt at checkout_sha.
  const moved = repo.commit('release', { 'docs/index.md': '# Gadget\n\ntwo, fixed\n' });
  repo.git('tag', '-f', '-a', 'v2.0.0', '-m', 'release', moved);
  const again = await send('tag_push', push('refs/tags/v2.0.0', tagObject, repo.git('rev-parse', 'v2.0.0'), moved, 'tag_push'));
  assert.deepEqual(again.json().versions, ['stable']);
  queued = await buildsAfterSync(app, hp.projectId, count);
  assert.deepEqual(queued.map((b) => [b.versionSlug, b.commit]), [['stable', tagged], ['stable', moved]]);
  await settle(app, hp.projectId);
});

test('a deleted branch (40-zero after) only syncs: the built version is deactivated, its docs kept', async () => {
  await settle(app, hp.projectId);
  await activate(app, hp.projectId, 'develop');
  const sha = repo.commit('develop', { 'docs/index.md': '# Gadget\n\ndevelop 2\n' });
  const pushed = await send('push', push('refs/heads/develop', 'd'.repeat(40), sha, sha));
  assert.deepEqual(pushed.json().versions, ['develop']);
  await settle(app, hp.projectId);
  const live = (await versionOf(app, hp.projectId, 'develop'))!.liveBuildId;
  assert.ok(live);
  const count = (await buildsOf(app, hp.projectId)).length;
  repo.git('branch', '-D', 'develop');
  const res = await send('push', push('refs/heads/develop', sha, ZERO, null));
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { build_triggered: false, project: hp.slug, versions: ['latest'], versions_synced: true });
  await syncsDone(app);
  const version = (await versionOf(app, hp.projectId, 'develop'))!;
  assert.deepEqual([version.active, version.liveBuildId], [false, live]);
  assert.equal((await buildsOf(app, hp.projectId)).length, count);
});

test('merge requests: open builds an external version at last_commit; update with new commits rebuilds, without does not; merge deactivates', async () => {
  await settle(app, hp.projectId);
  // Previews are off unless the project turns them on (test/security/pr-previews.test.ts).
  const enabled = await app.web.inject({ method: 'PATCH', url: `/api/v3/projects/${hp.slug}/`, headers: app.auth, payload: { external_builds_enabled: true } });
  assert.equal(enabled.statusCode, 204, enabled.body);
  const head1 = repo.commit('mr-source', { 'docs/index.md': '# Gadget\n\nMR one\n' });
  repo.git('update-ref', 'refs/merge-requests/3/head', head1);
  const count = (await buildsOf(app, hp.projectId)).length;
  const mr = (action: string, head: string, oldrev?: string) => gitlabPayload.mergeRequest(hp.slug, { action, iid: 3, head, sourceBranch: 'mr-source', oldrev });

  const opened = await send('merge_request', mr('open', head1));
  assert.equal(opened.statusCode, 200, opened.body);
  assert.deepEqual(opened.json(), { build_triggered: true, project: hp.slug, versions: ['3'], preview_url: `http://${hp.slug}--3.previews.localhost:8000/en/3/` });
  const version = (await versionOf(app, hp.projectId, '3'))!;
  assert.deepEqual([version.type, version.verboseName, version.identifier, version.active], ['external', '3', head1, true]);
  let queued = await newBuilds(app, hp.projectId, count);
  assert.deepEqual(queued.map((b) => [b.versionSlug, b.commit]), [['3', head1]]);
  const first = await app.waitForBuild(queued[0]!.id);
  assert.equal(first.state, 'finished', first.error ?? '');
  assert.equal(first.commit, head1);

  // A title edit is an `update` without new commits: nothing to build.
  const retitled = await send('merge_request', mr('update', head1));
  assert.deepEqual(retitled.json(), { build_triggered: false, project: hp.slug, versions: [] });

  const head2 = repo.commit('mr-source', { 'docs/index.md': '# Gadget\n\nMR two\n' });
  const updated = await send('merge_request', mr('update', head2, head1));
  assert.deepEqual(updated.json().versions, ['3']);
  queued = await newBuilds(app, hp.projectId, count);
  assert.deepEqual(queued.map((b) => [b.versionSlug, b.commit]), [['3', head1], ['3', head2]]);
  assert.equal((await app.waitForBuild(queued[1]!.id)).commit, head2);

  const merged = await send('merge_request', mr('merge', head2));
  assert.deepEqual(merged.json(), { closed: true, project: hp.slug, versions: ['3'] });
  assert.equal((await versionOf(app, hp.projectId, '3'))!.active, false);
  const reopened = await send('merge_request', mr('reopen', head2));
  assert.equal(reopened.json().build_triggered, true, 'reopening reactivates and builds');
  assert.equal((await versionOf(app, hp.projectId, '3'))!.active, true);
  const closed = await send('merge_request', mr('close', head2));
  assert.deepEqual(closed.json(), { closed: true, project: hp.slug, versions: ['3'] });
  assert.equal((await buildsOf(app, hp.projectId)).length, count + 3);
  await settle(app, hp.projectId);
});

test('X-Gitlab-Token: missing or wrong → 400 as on Read the Docs, nothing built; the same event twice is answered and built twice', async () => {
  await settle(app, hp.projectId);
  const count = (await buildsOf(app, hp.projectId)).length;
  const sha = repo.commit('main', { 'docs/index.md': '# Gadget\n\ntoken\n' });
  const payload = push('refs/heads/main', 'f'.repeat(40), sha, sha);
  for (const token of [null, `${hp.secret}x`, hp.secret.slice(0, -1)]) {
    const res = await send('push', payload, { token });
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual(res.json(), { detail: 'Payload not valid, invalid or missing token' });
  }
  assert.equal((await buildsAfterSync(app, hp.projectId, count)).length, 0);

  // GitLab's "Test" button sends the same body (and event UUID) again and shows each answer.
  const uuid = crypto.randomUUID();
  const first = await send('push', payload, { uuid });
  const second = await send('push', payload, { uuid });
  for (const res of [first, second]) assert.deepEqual(res.json(), { build_triggered: true, project: hp.slug, versions: ['latest'] }, res.body);
  assert.equal((await buildsOf(app, hp.projectId)).length, count + 2);
});
