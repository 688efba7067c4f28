// API v3 versions: update (active, hidden, privacy_level) with Read the Docs' rules —
// activating a never-built version builds it, the default version stays active — and the
// `downloads` of a version's live build, linked where the docs server serves them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, assertFieldError, importProject, type ApiClient } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
let repo: GitRepo;
let client: ApiClient;
let slug: string;

const CONFIG = 'version: 2\nbuild:\n  os: ubuntu-24.04\n  tools:\n    python: "3.12"\nformats:\n  - htmlzip\n';

before(async () => {
  app = await testApp();
  repo = makeGitRepo({ files: { '.readthedocs.yaml': CONFIG, 'docs/index.md': '# Home\n' }, branches: { dev: { 'docs/index.md': '# Dev\n' } } });
  client = apiClient(app);
  slug = await importProject(client, 'Versioned', repo.url);
});
after(async () => {
  await app.close();
  repo.remove();
});

const buildsOf = async (version: string) => (await client.get(`/api/v3/projects/${slug}/versions/${version}/builds/`)).json();

test("a live build's formats are the version's downloads, at the docs server's download URLs", async () => {
  const [first] = (await buildsOf('latest')).results;
  const build = await app.waitForBuild(first.id);
  assert.equal(build.state, 'finished', build.error ?? '');
  assert.deepEqual(build.formats, ['htmlzip']);
  const latest = (await client.get(`/api/v3/projects/${slug}/versions/latest/`)).json();
  const url = `http://${slug}.docs.localhost:8000/_/downloads/en/latest/htmlzip/`;
  assert.deepEqual(latest.downloads, { htmlzip: url });
  const listed = (await client.get(`/api/v3/projects/${slug}/versions/`)).json().results;
  assert.deepEqual(listed.find((v: { slug: string }) => v.slug === 'latest').downloads, { htmlzip: url });
  assert.deepEqual(listed.find((v: { slug: string }) => v.slug === 'dev').downloads, {}, 'never built: nothing to download');
  const served = await app.docs.inject({ url: new URL(url).pathname, headers: { host: new URL(url).host } });
  assert.equal(served.statusCode, 200, 'the docs server hands out the linked file');
});

test('activating a version that was never built builds it; answers 204', async () => {
  assert.equal((await buildsOf('dev')).count, 0);
  const res = await client.patch(`/api/v3/projects/${slug}/versions/dev/`, { active: true });
  assert.equal(res.statusCode, 204, res.body);
  const dev = (await client.get(`/api/v3/projects/${slug}/versions/dev/`)).json();
  assert.equal(dev.active, true);
  const builds = await buildsOf('dev');
  assert.equal(builds.count, 1, 'one build queued');
  assert.equal(builds.results[0].trigger, 'api');
  assert.equal((await app.waitForBuild(builds.results[0].id)).state, 'finished');

  // Built once: deactivating and activating again builds nothing new.
  assert.equal((await client.patch(`/api/v3/projects/${slug}/versions/dev/`, { active: false })).statusCode, 204);
  assert.equal((await client.patch(`/api/v3/projects/${slug}/versions/dev/`, { active: true })).statusCode, 204);
  assert.equal((await buildsOf('dev')).count, 1);
});

test('hidden and privacy_level change; the default version stays active; bad input names the field', async () => {
  assert.equal((await client.patch(`/api/v3/projects/${slug}/versions/dev/`, { hidden: true, privacy_level: 'private' })).statusCode, 204);
  const dev = (await client.get(`/api/v3/projects/${slug}/versions/dev/`)).json();
  assert.equal(dev.hidden, true);
  assert.equal(dev.privacy_level, 'private');
  assert.equal(dev.active, true, 'untouched fields stay');

  assertFieldError(await client.patch(`/api/v3/projects/${slug}/versions/latest/`, { active: false }), 'active', 'default version');
  assert.equal((await client.get(`/api/v3/projects/${slug}/versions/latest/`)).json().active, true);
  assertFieldError(await client.patch(`/api/v3/projects/${slug}/versions/dev/`, { privacy_level: 'secret' }), 'privacy_level');
  assertFieldError(await client.patch(`/api/v3/projects/${slug}/versions/dev/`, { hidden: 'sometimes' }), 'hidden');
  assert.equal((await client.patch(`/api/v3/projects/${slug}/versions/nope/`, { active: true })).statusCode, 404);

  const bob = apiClient(app, (await app.newUser('bob-versions')).auth);
  assert.equal((await bob.patch(`/api/v3/projects/${slug}/versions/dev/`, { hidden: false })).statusCode, 404);
  assert.equal((await client.get(`/api/v3/projects/${slug}/versions/dev/`)).json().hidden, true);
  await app.runner.idle();
});
