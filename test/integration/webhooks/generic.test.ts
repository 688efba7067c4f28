// The generic webhook (Read the Docs' "API webhook") through HTTP: `token` in a JSON or
// form body, `branches` as a name or a list (default: the default branch), the optional
// `default_branch`; identical requests are not replays here, each one builds.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { activate, buildsAfterSync, buildsOf, hookedProject, newBuilds, settle, versionOf, type HookedProject } from '../../helpers/webhooks.ts';

let app: TestApp;
let repo: GitRepo;
let hp: HookedProject;

before(async () => {
  app = await testApp();
  repo = makeGitRepo({
    files: { 'docs/index.md': '# Thing\n\nmain\n' },
    tags: { 'v1.0.0': { 'docs/index.md': '# Thing\n\none\n' } },
    branches: { next: { 'docs/index.md': '# Thing\n\nnext\n' } },
  });
  hp = await hookedProject(app, repo, 'Thing', 'generic');
});
after(async () => {
  // Closing while the builder is claiming a build leaves that build running after the close.
  await settle(app, hp.projectId);
  await app.close();
  repo.remove();
});

const json = (body: object) => app.web.inject({ method: 'POST', url: hp.path, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
const form = (body: string) => app.web.inject({ method: 'POST', url: hp.path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body });

test('no branches: the default branch is built (latest), at its current commit', async () => {
  const count = (await buildsOf(app, hp.projectId)).length;
  const sha = repo.commit('main', { 'docs/index.md': '# Thing\n\nnew\n' });
  const res = await json({ token: hp.secret });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { build_triggered: true, project: hp.slug, versions: ['latest'] });
  const queued = await newBuilds(app, hp.projectId, count);
  assert.deepEqual(queued.map((b) => b.versionSlug), ['latest']);
  assert.equal((await app.waitForBuild(queued[0]!.id)).commit, sha);
});

test('branches as a name or a list, as JSON or form fields; names of tags build the tag versions', async () => {
  await settle(app, hp.projectId);
  await activate(app, hp.projectId, 'next');
  let count = (await buildsOf(app, hp.projectId)).length;
  const one = await form(`token=${hp.secret}&branches=next`);
  assert.deepEqual(one.json().versions, ['next'], one.body);
  assert.deepEqual((await newBuilds(app, hp.projectId, count)).map((b) => b.versionSlug), ['next']);
  await settle(app, hp.projectId);

  count = (await buildsOf(app, hp.projectId)).length;
  const list = await json({ token: hp.secret, branches: ['main', 'v1.0.0'] });
  assert.deepEqual(list.json().versions, ['latest', 'stable'], 'stable follows the tag v1.0.0');
  await settle(app, hp.projectId);

  count = (await buildsOf(app, hp.projectId)).length;
  const repeated = await form(`token=${encodeURIComponent(hp.secret)}&branches=next&branches=main`);
  assert.deepEqual(repeated.json().versions, ['latest', 'next']);
  assert.equal((await newBuilds(app, hp.projectId, count)).length, 2);
  await settle(app, hp.projectId);
});

test('the same request twice builds twice: generic calls carry no delivery id', async () => {
  await settle(app, hp.projectId);
  const count = (await buildsOf(app, hp.projectId)).length;
  for (let i = 0; i < 2; i++) {
    const res = await json({ token: hp.secret, branches: 'main' });
    assert.equal(res.json().build_triggered, true, res.body);
    await settle(app, hp.projectId);
  }
  assert.equal((await buildsOf(app, hp.projectId)).length, count + 2);
});

test('default_branch moves latest when the project has not chosen a default branch', async () => {
  await settle(app, hp.projectId);
  const count = (await buildsOf(app, hp.projectId)).length;
  const res = await json({ token: hp.secret, default_branch: 'next', branches: 'next' });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal((await versionOf(app, hp.projectId, 'latest'))!.identifier, 'next');
  assert.deepEqual(res.json().versions, ['latest', 'next']);
  assert.deepEqual((await newBuilds(app, hp.projectId, count)).map((b) => b.versionSlug).sort(), ['latest', 'next']);
  await settle(app, hp.projectId);
});

test('as on Read the Docs: token missing → 403, wrong → 404 "Project not found", bad branches or body → 400; nothing built', async () => {
  await settle(app, hp.projectId);
  const count = (await buildsOf(app, hp.projectId)).length;
  const answer = async (res: Promise<{ statusCode: number; json(): unknown }>) => {
    const r = await res;
    return [r.statusCode, r.json()];
  };
  const anonymous = [403, { detail: 'Authentication credentials were not provided.' }];
  assert.deepEqual(await answer(json({ branches: 'main' })), anonymous);
  assert.deepEqual(await answer(form('branches=main')), anonymous);
  const notFound = [404, { detail: 'Project not found' }];
  assert.deepEqual(await answer(json({ token: 'nope', branches: 'main' })), notFound);
  assert.deepEqual(await answer(form(`token=${hp.secret}0&branches=main`)), notFound);
  const invalid = [400, { detail: 'Invalid request' }];
  assert.deepEqual(await answer(json({ token: hp.secret, branches: [1, 2] })), invalid);
  assert.deepEqual(await answer(json({ token: hp.secret, branches: [] })), invalid);
  const notJson = await app.web.inject({ method: 'POST', url: hp.path, headers: { 'content-type': 'application/json' }, payload: '{"token": ' });
  assert.equal(notJson.statusCode, 400);
  assert.equal((await buildsAfterSync(app, hp.projectId, count)).length, 0);
});
