// At most N builds of one project run at once, however many builders are free; other
// projects are not held up by it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { inArray } from 'drizzle-orm';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { builds } from '../../../src/db/schema.ts';

let app: TestApp;
const repos: GitRepo[] = [];
const slow = 'version: 2\nbuild:\n  os: ubuntu-24.04\n  commands:\n    - sleep 2\n    - mkdir -p $READTHEDOCS_OUTPUT/html && echo ok > $READTHEDOCS_OUTPUT/html/index.html\n';

before(async () => {
  app = await testApp({ builder: false, builderConcurrency: 4, perProject: 1 });
});
after(async () => {
  await app.close();
  for (const r of repos) r.remove();
});

test('builds per project are limited; another project runs beside them', async () => {
  const ids: Record<string, number[]> = {};
  for (const name of ['Alpha', 'Beta']) {
    const repo = makeGitRepo({ files: { '.readthedocs.yaml': slow }, branches: { one: { 'a.txt': '1' }, two: { 'b.txt': '2' } } });
    repos.push(repo);
    const res = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: app.auth, payload: { name, repository: { url: repo.url } } });
    assert.equal(res.statusCode, 201);
    const slug = res.json().slug;
    ids[slug] = [];
    for (const version of ['one', 'two']) {
      const t = await app.web.inject({ method: 'POST', url: `/api/v3/projects/${slug}/versions/${version}/builds/`, headers: app.auth });
      ids[slug]!.push(t.json().build.id);
    }
    const list = (await app.web.inject({ url: `/api/v3/projects/${slug}/builds/`, headers: app.auth })).json();
    ids[slug] = list.results.map((b: { id: number }) => b.id);
  }
  app.runner.start();
  const all = Object.values(ids).flat();
  const maxRunning: Record<string, number> = { alpha: 0, beta: 0 };
  let bothAtOnce = false;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const rows = await app.database.db.select().from(builds).where(inArray(builds.id, all));
    const running = (slug: string) => rows.filter((b) => ids[slug]!.includes(b.id) && ['cloning', 'installing', 'building', 'uploading'].includes(b.state)).length;
    for (const slug of ['alpha', 'beta']) maxRunning[slug] = Math.max(maxRunning[slug]!, running(slug));
    if (running('alpha') > 0 && running('beta') > 0) bothAtOnce = true;
    if (rows.every((b) => ['finished', 'cancelled'].includes(b.state))) break;
  }
  assert.equal(maxRunning.alpha, 1, 'alpha never ran two builds at once');
  assert.equal(maxRunning.beta, 1, 'beta never ran two builds at once');
  assert.ok(bothAtOnce, 'the two projects built side by side');
  const rows = await app.database.db.select().from(builds).where(inArray(builds.id, all));
  assert.ok(rows.every((b) => b.state === 'finished'), JSON.stringify(rows.map((b) => [b.id, b.state, b.error])));
});
