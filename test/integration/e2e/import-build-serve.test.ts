// The foundation's vertical slice: import a repository through the API, build `latest`
// and `stable`, read both over a real socket from the docs server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { get } from '../../helpers/http.ts';

let app: TestApp;
let repo: GitRepo;
let port: number;

before(async () => {
  app = await testApp();
  repo = makeGitRepo({
    defaultBranch: 'main',
    files: { 'docs/index.md': '# Widget\n\nThe development version.\n', 'docs/guide/install.md': '# Installing\n\nRun it.\n' },
    tags: {
      'v1.9.0': { 'docs/index.md': '# Widget\n\nRelease one point nine.\n' },
      'v1.10.0': { 'docs/index.md': '# Widget\n\nRelease one point ten.\n' },
    },
    branches: { 'feature/next': { 'docs/index.md': '# Widget\n\nNext things.\n' } },
  });
  await app.docs.listen({ port: 0, host: '127.0.0.1' });
  port = (app.docs.server.address() as AddressInfo).port;
});

after(async () => {
  await app.close();
  repo.remove();
});

test('a repository imported through the API is built and served, latest and stable', async () => {
  const created = await app.web.inject({
    method: 'POST', url: '/api/v3/projects/', headers: app.auth,
    payload: { name: 'Widget', repository: { url: repo.url, type: 'git' } },
  });
  assert.equal(created.statusCode, 201, created.body);
  assert.equal(created.json().slug, 'widget');

  const versions = (await app.web.inject({ url: '/api/v3/projects/widget/versions/?limit=100', headers: app.auth })).json();
  const bySlug = new Map<string, { active: boolean; ref: string | null; type: string; identifier: string }>(versions.results.map((v: { slug: string }) => [v.slug, v]));
  assert.deepEqual([...bySlug.keys()].sort(), ['feature-next', 'latest', 'main', 'stable', 'v1.10.0', 'v1.9.0']);
  assert.equal(bySlug.get('stable')!.ref, 'v1.10.0', 'stable follows the highest tag, not the lexically last');
  assert.deepEqual([bySlug.get('latest')!.ref, bySlug.get('latest')!.identifier], [null, 'main'], 'as on Read the Docs: ref is for stable only, latest names its branch in identifier');
  assert.equal(bySlug.get('latest')!.active, true);
  assert.equal(bySlug.get('feature-next')!.active, false);

  // The import queued builds of the active versions (latest, stable); wait for all of them.
  const builds = (await app.web.inject({ url: '/api/v3/projects/widget/builds/', headers: app.auth })).json();
  assert.equal(builds.count, 2);
  for (const b of builds.results) {
    const done = await app.waitForBuild(b.id);
    assert.equal(done.state, 'finished', `build ${b.id}: ${done.error}`);
  }
  const detail = (await app.web.inject({ url: `/api/v3/projects/widget/builds/${builds.results[0].id}/`, headers: app.auth })).json();
  assert.equal(detail.success, true);
  assert.deepEqual(detail.state, { code: 'finished', name: 'Finished' });
  assert.match(detail.commit, /^[0-9a-f]{40}$/);
  assert.ok(detail.steps.some((s: { command: string }) => /^git .*fetch --depth 1/.test(s.command)), `the build log records its commands: ${JSON.stringify(detail.steps)}`);
  assert.ok(detail.log.some((l: { line: string }) => /uploaded \d+ files/.test(l.line)));

  const host = `widget.${app.docsDomain}:${port}`;
  const latest = await get(port, host, '/en/latest/');
  assert.equal(latest.status, 200);
  assert.match(latest.headers['content-type'] ?? '', /^text\/html/);
  assert.match(latest.body, /The development version\./);

  const stable = await get(port, host, '/en/stable/');
  assert.equal(stable.status, 200);
  assert.match(stable.body, /Release one point ten\./);

  const nested = await get(port, host, '/en/latest/guide/install/');
  assert.equal(nested.status, 200);
  assert.match(nested.body, /Run it\./);

  const root = await get(port, host, '/');
  assert.equal(root.status, 302);
  assert.equal(root.headers.location, '/en/latest/');

  // Other versions build on demand through the API.
  const trigger = await app.web.inject({ method: 'POST', url: '/api/v3/projects/widget/versions/v1.9.0/builds/', headers: app.auth });
  assert.equal(trigger.statusCode, 202, trigger.body);
  const old = await app.waitForBuild(trigger.json().build.id);
  assert.equal(old.state, 'finished', old.error ?? '');
  // Inactive versions are not served even when built: activation is a maintainer's choice.
  assert.equal((await get(port, host, '/en/v1.9.0/')).status, 404);
});
