// Bitbucket Cloud webhooks through HTTP against a real repository, database, queue and
// builder: repo:push with several changes per delivery (old/new null → only a sync),
// X-Hub-Signature over the raw body, replays by X-Request-UUID; pull requests are not built.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { activate, bitbucketHeaders, bitbucketPayload, buildsOf, hookedProject, newBuilds, settle, sign, versionOf, type HookedProject } from '../../helpers/webhooks.ts';

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

test('diagnostics:ping answers 200 and builds nothing', async () => {
  const count = (await buildsOf(app, hp.projectId)).length;
  const res = await send('diagnostics:ping', { test: true });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().detail, 'Webhook configured correctly');
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
  assert.deepEqual(res.json(), { build_triggered: true, project: hp.slug, versions: ['latest', 'stage'], versions_synced: true });
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
  assert.deepEqual(res.json().versions, ['stable']);
  assert.equal((await versionOf(app, hp.projectId, 'stable'))!.identifier, 'v2.0.0');
  const queued = await newBuilds(app, hp.projectId, count);
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
  assert.equal(res.json().build_triggered, false);
  assert.equal(await versionOf(app, hp.projectId, '4'), null);
  assert.equal((await buildsOf(app, hp.projectId)).length, count);
});

test('X-Hub-Signature: missing → 401, wrong secret or changed body → 403; replays by X-Request-UUID are ignored', async () => {
  await settle(app, hp.projectId);
  const count = (await buildsOf(app, hp.projectId)).length;
  const old = repo.git('rev-parse', 'main');
  const sha = repo.commit('main', { 'docs/index.md': '# Gizmo\n\nsigned\n' });
  const payload = bitbucketPayload.push(hp.slug, [{ old: branch('main', old), new: branch('main', sha) }]);
  const body = JSON.stringify(payload);
  assert.equal((await send('repo:push', payload, { secret: null })).statusCode, 401);
  assert.equal((await send('repo:push', payload, { secret: 'wrong' })).statusCode, 403);
  const headers = bitbucketHeaders('repo:push', body, hp.secret);
  const changed = await app.web.inject({ method: 'POST', url: hp.path, headers, payload: body.replace(sha, old) });
  assert.equal(changed.statusCode, 403);
  const githubStyle = await app.web.inject({ method: 'POST', url: hp.path, headers: { ...bitbucketHeaders('repo:push', body, null), 'x-hub-signature-256': sign(hp.secret, body) }, payload: body });
  assert.equal(githubStyle.statusCode, 401, 'Bitbucket signs in X-Hub-Signature');
  assert.equal((await buildsOf(app, hp.projectId)).length, count);

  const uuid = randomUUID();
  const first = await send('repo:push', payload, { uuid });
  assert.deepEqual(first.json().versions, ['latest']);
  const replay = await send('repo:push', payload, { uuid });
  assert.equal(replay.json().detail, 'replay ignored');
  assert.equal((await buildsOf(app, hp.projectId)).length, count + 1);
});
