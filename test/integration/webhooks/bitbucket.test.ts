// Bitbucket Cloud webhooks through HTTP against a real repository, database, queue and
// builder: repo:push with several changes per delivery (old/new null → only a sync),
// X-Hub-Signature over the raw body, the same delivery twice handled twice; pull requests
// are not built.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { activate, bitbucketHeaders, bitbucketPayload, buildsAfterSync, buildsOf, hookedProject, newBuilds, settle, sign, syncsDone, versionOf, type HookedProject } from '../../helpers/webhooks.ts';

let app: TestApp;
let repo: GitRepo;
let hp: HookedProject;

before(async () => {
  app = await testApp();
  repo = makeGitRepo({
    files: { 'docs/index.md': '# Gizmo\n\nmain\n' },
    tags: { 'v1.0.0': { 'docs/index.md': '# Gizmo\n\none\n' } },
    branches: { stage: { 'docs/index.md': '# Gizmo\n\nstage\n' } },
  });
  hp = await hookedProject(app, repo, 'Gizmo', 'bitbucket');
});
after(async () => {
  // Closing while the builder is claiming a build leaves that build running after the close.
  await settle(app, hp.projectId);
  await app.close();
  repo.remove();
});

function send(event: string, payload: object, opts: { secret?: string | null; uuid?: string } = {}) {
  const body = JSON.stringify(payload);
  return app.web.inject({ method: 'POST', url: hp.path, headers: bitbucketHeaders(event, body, opts.secret === undefined ? hp.secret : opts.secret, opts.uuid), payload: body });
}

const branch = (name: string, hash: string) => ({ type: 'branch' as const, name, hash });

test('diagnostics:ping and other events are unhandled (200), as on Read the Docs, and build nothing', async () => {
  const count = (await buildsOf(app, hp.projectId)).length;
  const res = await send('diagnostics:ping', { test: true });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { detail: 'Unhandled webhook event' });
  assert.equal((await buildsOf(app, hp.projectId)).length, count);
});

test('repo:push: each updated branch builds its active versions at new.target.hash', async () => {
  await activate(app, hp.projectId, 'stage');
  const count = (await buildsOf(app, hp.projectId)).length;
  const oldMain = repo.git('rev-parse', 'main');
  const oldStage = repo.git('rev-parse', 'stage');
  const main = repo.commit('main', { 'docs/index.md': '# Gizmo\n\npushed\n' });
  const stage = repo.commit('stage', { 'docs/index.md': '# Gizmo\n\nstage 2\n' });
  const res = await send('repo:push', bitbucketPayload.push(hp.slug, [
    { old: branch('main', oldMain), new: branch('main', main) },
    { old: branch('stage', oldStage), new: branch('stage', stage) },
  ]));
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { build_triggered: true, project: hp.slug, versions: ['latest', 'stage'] });
  const queued = await newBuilds(app, hp.projectId, count);
  assert.deepEqual(queued.map((b) => [b.versionSlug, b.commit]).sort(), [['latest', main], ['stage', stage]]);
  for (const b of queued) {
    const done = await app.waitForBuild(b.id);
    assert.equal(done.state, 'finished', done.error ?? '');
    assert.equal(done.commit, b.commit);
  }
});

test('a new tag (old: null) only syncs; stable moves to it and is rebuilt', async () => {
  await settle(app, hp.projectId);
  const count = (await buildsOf(app, hp.projectId)).length;
  const tagged = repo.commit('release', { 'docs/index.md': '# Gizmo\n\ntwo\n' });
  repo.git('tag', 'v2.0.0', tagged);
  const res = await send('repo:push', bitbucketPayload.push(hp.slug, [{ old: null, new: { type: 'tag', name: 'v2.0.0', hash: tagged } }]));
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { build_triggered: false, project: hp.slug, versions: ['latest'], versions_synced: true });
  const queued = await buildsAfterSync(app, hp.projectId, count);
  assert.equal((await versionOf(app, hp.projectId, 'stable'))!.identifier, 'v2.0.0');
  assert.deepEqual(queued.map((b) => [b.versionSlug, b.commit]), [['stable', tagged]]);
  assert.equal((await app.waitForBuild(queued[0]!.id)).commit, tagged);
});

test('a deleted branch (new: null) only syncs: its built version is deactivated, docs kept', async () => {
  await settle(app, hp.projectId);
  const live = (await versionOf(app, hp.projectId, 'stage'))!.liveBuildId;
  assert.ok(live);
  const count = (await buildsOf(app, hp.projectId)).length;
  const old = repo.git('rev-parse', 'stage');
  repo.git('branch', '-D', 'stage');
  const res = await send('repo:push', bitbucketPayload.push(hp.slug, [{ old: branch('stage', old), new: null }]));
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().build_triggered, false);
  await syncsDone(app);
  const version = (await versionOf(app, hp.projectId, 'stage'))!;
  assert.deepEqual([version.active, version.liveBuildId], [false, live]);
  assert.equal((await buildsOf(app, hp.projectId)).length, count);
});

test('pull request events are acknowledged but not built', async () => {
  await settle(app, hp.projectId);
  const count = (await buildsOf(app, hp.projectId)).length;
  const head = repo.commit('pr', { 'docs/index.md': '# Gizmo\n\nPR\n' });
  const payload = { pullrequest: { id: 4, title: 'Docs', state: 'OPEN', source: { branch: { name: 'pr' }, commit: { hash: head.slice(0, 12) } }, destination: { branch: { name: 'main' } } } };
  const res = await send('pullrequest:created', payload);
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { detail: 'Unhandled webhook event' });
  assert.equal(await versionOf(app, hp.projectId, '4'), null);
  assert.equal((await buildsOf(app, hp.projectId)).length, count);
});

test('X-Hub-Signature: missing, wrong secret or changed body → 400 as on Read the Docs; the same delivery twice builds twice', async () => {
  await settle(app, hp.projectId);
  const count = (await buildsOf(app, hp.projectId)).length;
  const old = repo.git('rev-parse', 'main');
  const sha = repo.commit('main', { 'docs/index.md': '# Gizmo\n\nsigned\n' });
  const payload = bitbucketPayload.push(hp.slug, [{ old: branch('main', old), new: branch('main', sha) }]);
  const body = JSON.stringify(payload);
  const invalid = { detail: 'Payload not valid' };
  for (const secret of [null, 'wrong']) {
    const res = await send('repo:push', payload, { secret });
    assert.deepEqual([res.statusCode, res.json()], [400, invalid]);
  }
  const headers = bitbucketHeaders('repo:push', body, hp.secret);
  const changed = await app.web.inject({ method: 'POST', url: hp.path, headers, payload: body.replace(sha, old) });
  assert.equal(changed.statusCode, 400);
  const githubStyle = await app.web.inject({ method: 'POST', url: hp.path, headers: { ...bitbucketHeaders('repo:push', body, null), 'x-hub-signature-256': sign(hp.secret, body) }, payload: body });
  assert.equal(githubStyle.statusCode, 400, 'Bitbucket signs in X-Hub-Signature');
  assert.equal((await buildsAfterSync(app, hp.projectId, count)).length, 0);

  const first = await app.web.inject({ method: 'POST', url: hp.path, headers, payload: body });
  const again = await app.web.inject({ method: 'POST', url: hp.path, headers, payload: body });
  for (const res of [first, again]) assert.deepEqual(res.json().versions, ['latest'], res.body);
  assert.equal((await buildsOf(app, hp.projectId)).length, count + 2);
});

test('a delivery without X-Event-Key reads as repo:push; a push without changes is a 400', async () => {
  await settle(app, hp.projectId);
  const count = (await buildsOf(app, hp.projectId)).length;
  const old = repo.git('rev-parse', 'main');
  const sha = repo.commit('main', { 'docs/index.md': '# Gizmo\n\nno key\n' });
  const body = JSON.stringify(bitbucketPayload.push(hp.slug, [{ old: branch('main', old), new: branch('main', sha) }]));
  const { 'x-event-key': _, ...headers } = bitbucketHeaders('repo:push', body, hp.secret);
  const res = await app.web.inject({ method: 'POST', url: hp.path, headers, payload: body });
  assert.deepEqual(res.json(), { build_triggered: true, project: hp.slug, versions: ['latest'] }, res.body);
  assert.equal((await newBuilds(app, hp.projectId, count)).length, 1);
  const bad = JSON.stringify({ push: {} });
  const invalid = await app.web.inject({ method: 'POST', url: hp.path, headers: bitbucketHeaders('repo:push', bad, hp.secret), payload: bad });
  assert.deepEqual([invalid.statusCode, invalid.json()], [400, { detail: 'Invalid request' }]);
});
