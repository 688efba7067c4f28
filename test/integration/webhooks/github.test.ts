// GitHub webhooks through HTTP against a real repository, database, queue and builder:
// ping, push to a branch (built at the pushed commit), a release tag (stable follows),
// create/delete (sync), pull requests (external preview versions), and the signature.
// Version syncs run in a queued job after the answer: tests wait for them (syncsDone).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { eq } from 'drizzle-orm';
import { integrations } from '../../../src/db/schema.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { ZERO, activate, buildsAfterSync, buildsOf, githubHeaders, githubPayload, hookedProject, newBuilds, settle, sign, syncsDone, versionOf, type HookedProject } from '../../helpers/webhooks.ts';

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
  assert.deepEqual(res.json(), { detail: 'Webhook configured correctly' });
  assert.equal((await buildsOf(app, hp.projectId)).length, count);
});

test('a push to the default branch builds latest at the pushed commit, even when the branch has moved on, and syncs afterwards', async () => {
  const count = (await buildsOf(app, hp.projectId)).length;
  const pushed = repo.commit('main', { 'docs/index.md': '# Widget\n\npushed\n' });
  const tip = repo.commit('main', { 'docs/index.md': '# Widget\n\nlater\n' });
  const res = await send('push', pushMain(pushed));
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { build_triggered: true, project: hp.slug, versions: ['latest'] });
  // The build is queued before the answer; the sync comes after it.
  const queued = await newBuilds(app, hp.projectId, count);
  assert.deepEqual(queued.map((b) => [b.versionSlug, b.commit, b.trigger]), [['latest', pushed, 'webhook']]);
  await syncsDone(app);
  // The versions were synced: latest now records the branch's tip.
  assert.equal((await versionOf(app, hp.projectId, 'latest'))!.commit, tip);
  assert.equal((await buildsOf(app, hp.projectId)).length, count + 1, 'the sync did not build latest again');
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
  // A push that created its ref is a sync, as on Read the Docs; the sync moves stable and builds it.
  assert.deepEqual(res.json(), { build_triggered: false, project: hp.slug, versions: ['latest'], versions_synced: true });
  const queued = await buildsAfterSync(app, hp.projectId, count);
  const stable = (await versionOf(app, hp.projectId, 'stable'))!;
  assert.equal(stable.identifier, 'v2.0.0');
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
  assert.deepEqual(res.json(), { build_triggered: false, project: hp.slug, versions: [] });
  assert.equal((await buildsAfterSync(app, hp.projectId, count)).length, 0);
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
  assert.deepEqual(created.json(), { build_triggered: false, project: hp.slug, versions: ['latest'], versions_synced: true });
  await syncsDone(app);
  assert.equal((await versionOf(app, hp.projectId, 'topic'))?.active, false, 'a new branch appears, inactive');

  repo.git('branch', '-D', 'feature');
  const deleted = await send('push', githubPayload.push(hp.slug, { ref: 'refs/heads/feature', before: sha, after: ZERO, deleted: true }));
  assert.equal(deleted.statusCode, 200, deleted.body);
  assert.equal(deleted.json().build_triggered, false);
  await syncsDone(app);
  const gone = (await versionOf(app, hp.projectId, 'feature'))!;
  assert.equal(gone.active, false, 'deactivated');
  assert.equal(gone.liveBuildId, built.liveBuildId, 'its docs are kept');

  repo.git('branch', '-D', 'topic');
  const deleteEvent = await send('delete', { ref: 'topic', ref_type: 'branch', pusher_type: 'user', repository: githubPayload.ping(hp.slug).repository });
  assert.equal(deleteEvent.statusCode, 200, deleteEvent.body);
  await syncsDone(app);
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
  // Pull request versions are not in API v3's versions (as on Read the Docs): look at the row.
  const preview = (await versionOf(app, hp.projectId, '7'))!;
  assert.deepEqual([preview.type, preview.verboseName, preview.identifier, preview.active], ['external', '7', head1, true]);
  let queued = await newBuilds(app, hp.projectId, count);
  assert.deepEqual(queued.map((b) => [b.versionSlug, b.commit]), [['7', head1]]);
  const first = await app.waitForBuild(queued[0]!.id);
  assert.equal(first.state, 'finished', first.error ?? '');
  assert.equal(first.commit, head1);

  const edited = await send('pull_request', githubPayload.pullRequest(hp.slug, { action: 'edited', number: 7, head: head1, headRef: 'fork-work' }));
  assert.deepEqual(edited.json(), { detail: 'Unhandled webhook event' });

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
  assert.deepEqual(closed.json(), { closed: true, project: hp.slug, versions: ['7'] });
  const version = (await versionOf(app, hp.projectId, '7'))!;
  assert.equal(version.active, false);
  assert.equal(version.type, 'external');
  assert.equal((await buildsOf(app, hp.projectId)).length, count + 2, 'edits and closing build nothing');
});

const INVALID = { detail: 'Payload not valid, invalid or missing signature' };

test('signatures: wrong secret, missing header, body changed after signing, SHA-1 only → 400 as on Read the Docs, nothing built', async () => {
  await settle(app, hp.projectId);
  const count = (await buildsOf(app, hp.projectId)).length;
  const sha = repo.commit('main', { 'docs/index.md': '# Widget\n\nsigned\n' });
  const body = JSON.stringify(pushMain(sha));

  const wrong = await send('push', pushMain(sha), { secret: 'not-the-secret' });
  assert.equal(wrong.statusCode, 400, wrong.body);
  assert.deepEqual(wrong.json(), INVALID);

  const headers = githubHeaders('push', body, hp.secret);
  const { 'x-hub-signature-256': _, ...unsigned } = headers;
  const missing = await app.web.inject({ method: 'POST', url: hp.path, headers: unsigned, payload: body });
  assert.equal(missing.statusCode, 400, 'X-Hub-Signature (SHA-1) alone is not accepted');
  assert.deepEqual(missing.json(), INVALID);

  const tampered = body.replace(sha, repo.git('rev-parse', 'main~1'));
  assert.notEqual(tampered, body);
  const changed = await app.web.inject({ method: 'POST', url: hp.path, headers, payload: tampered });
  assert.equal(changed.statusCode, 400);
  // A signature over re-serialised JSON is not a signature over the bytes sent.
  const reformatted = await app.web.inject({ method: 'POST', url: hp.path, headers: { ...headers, 'x-hub-signature-256': sign(hp.secret, JSON.stringify(JSON.parse(body), null, 2)) }, payload: body });
  assert.equal(reformatted.statusCode, 400);

  assert.equal((await buildsAfterSync(app, hp.projectId, count)).length, 0, 'nothing was built');
  const good = await app.web.inject({ method: 'POST', url: hp.path, headers, payload: body });
  assert.equal(good.statusCode, 200, good.body);
  assert.equal((await buildsOf(app, hp.projectId)).length, count + 1, 'the same delivery, correctly signed, builds');
});

test('the same delivery twice is handled twice (no silent dedupe, as on Read the Docs)', async () => {
  await settle(app, hp.projectId);
  const sha = repo.commit('main', { 'docs/index.md': '# Widget\n\nagain\n' });
  const body = JSON.stringify(pushMain(sha));
  const headers = githubHeaders('push', body, hp.secret);
  const count = (await buildsOf(app, hp.projectId)).length;
  const first = await app.web.inject({ method: 'POST', url: hp.path, headers, payload: body });
  const again = await app.web.inject({ method: 'POST', url: hp.path, headers, payload: body });
  for (const res of [first, again]) assert.deepEqual(res.json(), { build_triggered: true, project: hp.slug, versions: ['latest'] }, res.body);
  const queued = await newBuilds(app, hp.projectId, count);
  assert.deepEqual(queued.map((b) => [b.versionSlug, b.commit]), [['latest', sha], ['latest', sha]]);
});

test('a missing X-GitHub-Event reads as a push, as on Read the Docs; a push without "ref" is a 400', async () => {
  await settle(app, hp.projectId);
  const count = (await buildsOf(app, hp.projectId)).length;
  const sha = repo.commit('main', { 'docs/index.md': '# Widget\n\nno event\n' });
  const body = JSON.stringify(pushMain(sha));
  const { 'x-github-event': _, ...headers } = githubHeaders('push', body, hp.secret);
  const res = await app.web.inject({ method: 'POST', url: hp.path, headers, payload: body });
  assert.deepEqual(res.json(), { build_triggered: true, project: hp.slug, versions: ['latest'] }, res.body);
  assert.equal((await newBuilds(app, hp.projectId, count)).length, 1);

  const pingBody = JSON.stringify(githubPayload.ping(hp.slug));
  const { 'x-github-event': __, ...pingHeaders } = githubHeaders('ping', pingBody, hp.secret);
  const noRef = await app.web.inject({ method: 'POST', url: hp.path, headers: pingHeaders, payload: pingBody });
  assert.equal(noRef.statusCode, 400, noRef.body);
  assert.deepEqual(noRef.json(), { detail: 'Parameter "ref" is required' });
  const unknown = await send('issues', { action: 'opened', repository: githubPayload.ping(hp.slug).repository });
  assert.deepEqual([unknown.statusCode, unknown.json()], [200, { detail: 'Unhandled webhook event' }]);
});

test('an unreadable repository: a sync-only event is still answered at once (the sync fails in the queue); a push still builds', async () => {
  await settle(app, hp.projectId);
  const sha = repo.commit('main', { 'docs/index.md': '# Widget\n\noutage\n' });
  const deleteEvent = { ref: 'gone', ref_type: 'branch', pusher_type: 'user', repository: githubPayload.ping(hp.slug).repository };
  const count = (await buildsOf(app, hp.projectId)).length;
  fs.renameSync(repo.dir, `${repo.dir}.away`);
  try {
    const deleted = await send('delete', deleteEvent);
    assert.equal(deleted.statusCode, 200, deleted.body);
    assert.deepEqual(deleted.json(), { build_triggered: false, project: hp.slug, versions: ['latest'], versions_synced: true });
    const push = await send('push', pushMain(sha));
    assert.equal(push.statusCode, 200, push.body);
    assert.deepEqual(push.json(), { build_triggered: true, project: hp.slug, versions: ['latest'] }, 'the known versions say what the push builds');
    await syncsDone(app);
  } finally {
    fs.renameSync(`${repo.dir}.away`, repo.dir);
  }
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

test('receiver paths: by provider, by provider and id; several integrations of one provider; misses → 404 in Read the Docs\' words; no secret → 400', async () => {
  await settle(app, hp.projectId);
  for (const path of [`/api/v2/webhook/github/${hp.slug}/`, `/api/v2/webhook/github/${hp.slug}/${hp.integrationId}/`]) {
    const res = await send('ping', githubPayload.ping(hp.slug), { path });
    assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
  }
  const noIntegration = { detail: 'No Integration matches the given query.' };
  for (const [path, body] of [
    [`/api/v2/webhook/gitlab/${hp.slug}/`, noIntegration],
    [`/api/v2/webhook/gitlab/${hp.slug}/${hp.integrationId}/`, noIntegration],
    [`/api/v2/webhook/nope/${hp.integrationId}/`, noIntegration],
    [`/api/v2/webhook/${hp.slug}/${hp.integrationId + 100}/`, noIntegration],
    ['/api/v2/webhook/github/no-such-project/', { detail: 'Project not found' }],
  ] as const) {
    const res = await send('ping', githubPayload.ping(hp.slug), { path });
    assert.equal(res.statusCode, 404, `${path}: ${res.body}`);
    assert.deepEqual(res.json(), body, path);
  }
  // Two GitHub integrations: /webhook/github/<project>/ accepts either one's signature, and only those.
  const second = (await app.web.inject({ method: 'POST', url: `/api/v3/projects/${hp.slug}/integrations/`, headers: app.auth, payload: { type: 'github' } })).json();
  const viaSecond = await send('ping', githubPayload.ping(hp.slug), { path: `/api/v2/webhook/github/${hp.slug}/`, secret: second.secret });
  assert.equal(viaSecond.statusCode, 200, viaSecond.body);
  const neither = await send('ping', githubPayload.ping(hp.slug), { path: `/api/v2/webhook/github/${hp.slug}/`, secret: 'neither' });
  assert.deepEqual([neither.statusCode, neither.json()], [400, INVALID]);
  const crossed = await send('ping', githubPayload.ping(hp.slug), { path: `/api/v2/webhook/${hp.slug}/${hp.integrationId}/`, secret: second.secret });
  assert.equal(crossed.statusCode, 400, "an integration's URL takes only its own secret");
  await app.web.inject({ method: 'DELETE', url: `/api/v3/projects/${hp.slug}/integrations/${second.id}/`, headers: app.auth });

  await app.database.db.update(integrations).set({ secret: '' }).where(eq(integrations.id, hp.integrationId));
  try {
    const res = await send('ping', githubPayload.ping(hp.slug), { secret: '' });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().detail, /doesn't have a secret configured/);
  } finally {
    await app.database.db.update(integrations).set({ secret: hp.secret }).where(eq(integrations.id, hp.integrationId));
  }
});
