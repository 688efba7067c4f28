// API v3 builds list filters: `running` (not finished yet, as Read the Docs) and `commit`;
// both travel with the page links.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setBuildState } from '../../../src/db/builds.ts';
import { apiClient, assertFieldError, importProject, type ApiClient } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
let repo: GitRepo;
let client: ApiClient;
let slug: string;

before(async () => {
  // No builder: builds stay waiting until the test moves them.
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' }, branches: { dev: { 'docs/index.md': '# Dev\n' }, next: { 'docs/index.md': '# Next\n' } } });
  client = apiClient(app);
  slug = await importProject(client, 'Builds', repo.url);
});
after(async () => {
  await app.close();
  repo.remove();
});

const ids = (page: { results: Array<{ id: number }> }) => page.results.map((b) => b.id);

test('?running=true lists builds not finished yet; ?running=false the finished ones', async () => {
  const latest = (await client.get(`/api/v3/projects/${slug}/builds/`)).json().results[0];
  const dev = (await client.post(`/api/v3/projects/${slug}/versions/dev/builds/`)).json().build;
  const next = (await client.post(`/api/v3/projects/${slug}/versions/next/builds/`)).json().build;
  await setBuildState(app.database.db, next.id, 'building', { commit: 'abcdef0123456789abcdef0123456789abcdef01' });
  assert.equal((await client.post(`/api/v3/projects/${slug}/builds/${dev.id}/cancel/`)).statusCode, 202);

  const running = (await client.get(`/api/v3/projects/${slug}/builds/?running=true`)).json();
  assert.deepEqual(ids(running), [next.id, latest.id], 'newest first: building and triggered, not the cancelled one');
  assert.equal(running.count, 2);
  const done = (await client.get(`/api/v3/projects/${slug}/builds/?running=false`)).json();
  assert.deepEqual(ids(done), [dev.id]);
  assert.equal((await client.get(`/api/v3/projects/${slug}/builds/`)).json().count, 3);

  const first = (await client.get(`/api/v3/projects/${slug}/builds/?running=true&limit=1`)).json();
  assert.match(first.next, /limit=1&offset=1&running=true$/, 'the filter travels with the next page');
  assert.deepEqual(ids((await client.get(new URL(first.next).pathname + new URL(first.next).search)).json()), [latest.id]);
});

test('?commit= lists the builds of one commit; a bad value names the field', async () => {
  const byCommit = (await client.get(`/api/v3/projects/${slug}/builds/?commit=abcdef0123456789abcdef0123456789abcdef01`)).json();
  assert.equal(byCommit.count, 1);
  assert.equal(byCommit.results[0].commit, 'abcdef0123456789abcdef0123456789abcdef01');
  assert.equal((await client.get(`/api/v3/projects/${slug}/builds/?commit=0000000`)).json().count, 0);
  assertFieldError(await client.get(`/api/v3/projects/${slug}/builds/?commit=' OR 1=1 --`), 'commit');
  assertFieldError(await client.get(`/api/v3/projects/${slug}/builds/?running=perhaps`), 'running');
  const bob = apiClient(app, (await app.newUser('bob-builds')).auth);
  assert.equal((await bob.get(`/api/v3/projects/${slug}/builds/?running=true`)).statusCode, 404);
});
