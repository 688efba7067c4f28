// API v3 automation rules: CRUD with Read the Docs' fields, pattern validation, priority order;
// and the rules at work when a sync finds new branches and tags (new versions only), including
// a catastrophic pattern that must not hang the sync, and delete-version for vanished refs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { finishBuild } from '../../../src/db/builds.ts';
import { apiClient, assertFieldError, importProject, type ApiClient } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { syncsDone } from '../../helpers/webhooks.ts';

let app: TestApp;
let repo: GitRepo;
let client: ApiClient;

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' }, tags: { 'v1.0.0': { 'docs/index.md': '# One\n' } }, branches: { old: { 'docs/index.md': '# Old\n' }, kept: { 'docs/index.md': '# Kept\n' }, spare: { 'docs/index.md': '# Spare\n' } } });
  client = apiClient(app);
});
after(async () => {
  await app.close();
  repo.remove();
});

const rule = (slug: string, body: Record<string, unknown>) => client.post(`/api/v3/projects/${slug}/automation-rules/`, body);

test('create, read, list in priority order, update, delete; patterns are validated', async () => {
  const slug = await importProject(client, 'Rules CRUD', repo.url);
  const base = `/api/v3/projects/${slug}/automation-rules/`;
  const first = await rule(slug, { description: 'tags', predefined_match_arg: 'semver-versions', version_type: 'tag', action: 'activate-version' });
  assert.equal(first.statusCode, 201, first.body);
  const a = first.json();
  assert.equal(a.priority, 0);
  assert.equal(a.predefined_match_arg, 'semver-versions');
  assert.match(a.match_arg, /^\^v\?/, 'the predefined pattern is shown');
  assert.equal(a.project, slug);
  const b = (await rule(slug, { description: 'b', match_arg: '^release/', version_type: 'branch', action: 'hide-version' })).json();
  const c = (await rule(slug, { description: 'c', match_arg: '.*', version_type: 'branch', action: 'make-version-private', priority: 0 })).json();
  const order = async () => (await client.get(base)).json().results.map((r: { description: string; priority: number }) => `${r.description}:${r.priority}`);
  assert.deepEqual(await order(), ['c:0', 'tags:1', 'b:2'], 'new rules go last unless placed');
  assert.equal((await client.patch(`${base}${c.pk}/`, { priority: 2 })).statusCode, 200);
  assert.deepEqual(await order(), ['tags:0', 'b:1', 'c:2']);
  const switched = await client.patch(`${base}${b.pk}/`, { predefined_match_arg: 'all-versions' });
  assert.equal(switched.json().predefined_match_arg, 'all-versions', 'a predefined match replaces the pattern');
  const back = await client.patch(`${base}${b.pk}/`, { match_arg: '^v(?P<major>\\d+)' });
  assert.equal(back.statusCode, 200, back.body);
  assert.equal(back.json().predefined_match_arg, null);
  assert.equal(back.json().match_arg, '^v(?P<major>\\d+)', "Python's named groups are accepted");
  assert.deepEqual((await client.get(`${base}${a.pk}/`)).json(), { ...a, priority: 0 });

  const cases: Array<[Record<string, unknown>, string]> = [
    [{ version_type: 'tag', action: 'activate-version' }, 'match_arg'],
    [{ match_arg: '(unclosed', version_type: 'tag', action: 'activate-version' }, 'match_arg'],
    [{ match_arg: 'x', predefined_match_arg: 'all-versions', version_type: 'tag', action: 'activate-version' }, 'match_arg'],
    [{ predefined_match_arg: 'some-versions', version_type: 'tag', action: 'activate-version' }, 'predefined_match_arg'],
    [{ match_arg: '.*', version_type: 'external', action: 'activate-version' }, 'version_type'],
    [{ match_arg: '.*', version_type: 'tag', action: 'rm -rf' }, 'action'],
    [{ match_arg: '.*', action: 'activate-version' }, 'version_type'],
    [{ match_arg: 'x'.repeat(256), version_type: 'tag', action: 'activate-version' }, 'match_arg'],
  ];
  for (const [payload, field] of cases) assertFieldError(await rule(slug, payload), field, JSON.stringify(payload));

  assert.equal((await client.delete(`${base}${a.pk}/`)).statusCode, 204);
  assert.deepEqual(await order(), ['b:0', 'c:1'], 'the others move up');
  assert.equal((await client.get(`${base}${a.pk}/`)).statusCode, 404);
  // The conventions of Read the Docs' project endpoints: maintainers only, 403 for other users who can see the project.
  const bob = apiClient(app, (await app.newUser('bob-rules')).auth);
  assert.equal((await bob.get(base)).statusCode, 403);
  assert.equal((await bob.patch(`${base}${b.pk}/`, { action: 'delete-version' })).statusCode, 403);
  assert.equal((await bob.delete(`${base}${b.pk}/`)).statusCode, 403);
  assert.equal((await apiClient(app, {}).get(base)).statusCode, 401);
});

test('a sync applies every matching rule, in order, to new versions only, and builds what it activates', async () => {
  const slug = await importProject(client, 'Rules at work', repo.url);
  for (const body of [
    { predefined_match_arg: 'semver-versions', version_type: 'tag', action: 'activate-version' },
    { predefined_match_arg: 'all-versions', version_type: 'tag', action: 'make-version-private' },
    { match_arg: '^release/', version_type: 'branch', action: 'hide-version' },
    { match_arg: '^(a+)+$', version_type: 'branch', action: 'activate-version' },
    { match_arg: '-final$', version_type: 'tag', action: 'set-default-version' },
    // After the make-private rule: for nightly, the later rule has the last word.
    { match_arg: '^nightly$', version_type: 'tag', action: 'make-version-public' },
  ]) assert.equal((await rule(slug, body)).statusCode, 201);

  repo.git('tag', 'v2.0.0', 'main');
  repo.git('tag', 'v3.0-final', 'main');
  repo.git('tag', 'nightly', 'main');
  repo.git('branch', 'release/1.x', 'main');
  repo.git('branch', `${'a'.repeat(32)}!`, 'main');
  const started = Date.now();
  const sync = await client.post(`/api/v3/projects/${slug}/sync-versions/`);
  assert.equal(sync.statusCode, 202, sync.body);
  await syncsDone(app);
  assert.ok(Date.now() - started < 5000, 'a catastrophic pattern does not hang the sync');

  const v = async (name: string) => (await client.get(`/api/v3/projects/${slug}/versions/${name}/`)).json();
  const builds = async (name: string) => (await client.get(`/api/v3/projects/${slug}/versions/${name}/builds/`)).json();
  const two = await v('v2.0.0');
  assert.deepEqual([two.active, two.privacy_level, two.hidden], [true, 'private', false], 'semver tag: activated and made private');
  assert.equal((await builds('v2.0.0')).results[0]?.trigger, 'automation-rule');
  const final = await v('v3.0-final');
  assert.deepEqual([final.active, final.privacy_level], [true, 'private'], 'not semver, but set as default (which activates)');
  assert.equal((await client.get(`/api/v3/projects/${slug}/`)).json().default_version, 'v3.0-final');
  assert.equal((await builds('v3.0-final')).count, 1);
  const nightly = await v('nightly');
  assert.deepEqual([nightly.active, nightly.privacy_level], [false, 'public'], 'made private, then public: rules run in order');
  assert.equal((await builds('nightly')).count, 0);
  const release = await v('release-1.x');
  assert.deepEqual([release.active, release.hidden, release.privacy_level], [true, true, 'public'], 'hide-version also activates');
  assert.equal((await builds('release-1.x')).count, 1);
  const redos = await v('a'.repeat(32));
  assert.equal(redos.active, false, 'a pattern that runs too long does not match');

  const one = await v('v1.0.0');
  assert.deepEqual([one.active, one.privacy_level], [false, 'public'], 'an existing version is left alone');
  assert.equal((await v('old')).active, false);

  // A second sync finds nothing new: nothing changes, nothing is built again.
  await client.patch(`/api/v3/projects/${slug}/versions/v2.0.0/`, { privacy_level: 'public' });
  await client.post(`/api/v3/projects/${slug}/sync-versions/`);
  await syncsDone(app);
  assert.equal((await v('v2.0.0')).privacy_level, 'public');
  assert.equal((await builds('v2.0.0')).count, 1);
});

test('delete-version removes an active version whose ref vanished, never the default one', async () => {
  const slug = await importProject(client, 'Rules delete', repo.url);
  for (const branch of ['old', 'kept', 'spare']) {
    assert.equal((await client.patch(`/api/v3/projects/${slug}/versions/${branch}/`, { active: true })).statusCode, 204);
    const [build] = (await client.get(`/api/v3/projects/${slug}/versions/${branch}/builds/`)).json().results;
    await finishBuild(app.database.db, build.id, { success: true });
  }
  assert.equal((await client.patch(`/api/v3/projects/${slug}/`, { default_version: 'kept' })).statusCode, 204);
  assert.equal((await rule(slug, { match_arg: '^(old|kept)$', version_type: 'branch', action: 'delete-version' })).statusCode, 201);
  for (const branch of ['old', 'kept', 'spare']) repo.git('branch', '-D', branch);
  assert.equal((await client.post(`/api/v3/projects/${slug}/sync-versions/`)).statusCode, 202);
  await syncsDone(app);
  assert.equal((await client.get(`/api/v3/projects/${slug}/versions/old/`)).statusCode, 404, 'deleted by the rule');
  assert.equal((await client.get(`/api/v3/projects/${slug}/versions/kept/`)).statusCode, 200, 'the default version is never deleted');
  const spare = (await client.get(`/api/v3/projects/${slug}/versions/spare/`)).json();
  assert.equal(spare.active, false, 'no rule: kept (it has a live build) but inactive');
});
