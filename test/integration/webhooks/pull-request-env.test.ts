// A pull request build runs code anyone may propose (a fork), so its job carries only
// the project's public environment variables; branch builds get the secret ones too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { environmentVariables } from '../../../src/db/schema.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { githubHeaders, githubPayload } from '../../helpers/webhooks.ts';

let app: TestApp;
let repo: GitRepo;

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Env\n' } });
});
after(async () => {
  await app.close();
  repo.remove();
});

test('a pull request job gets public variables only', async () => {
  const created = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: app.auth, payload: { name: 'Env', repository: { url: repo.url } } });
  const projectId = created.json().id;
  await app.database.db.insert(environmentVariables).values([
    { projectId, name: 'DEPLOY_TOKEN', value: 'very-secret-value', public: false },
    { projectId, name: 'THEME', value: 'dark', public: true },
  ]);
  assert.equal((await app.web.inject({ method: 'PATCH', url: '/api/v3/projects/env/', headers: app.auth, payload: { external_builds_enabled: true } })).statusCode, 204);
  // hookedProject would wait for the import's build, which no builder runs here: add the integration directly.
  const integration = (await app.web.inject({ method: 'POST', url: '/api/v3/projects/env/integrations/', headers: app.auth, payload: { type: 'github' } })).json();
  const head = repo.commit('fork', { 'docs/index.md': '# Env\n\nPR\n' });
  const body = JSON.stringify(githubPayload.pullRequest('env', { action: 'opened', number: 12, head, headRef: 'fork' }));
  const res = await app.web.inject({ method: 'POST', url: `/api/v2/webhook/env/${integration.id}/`, headers: githubHeaders('pull_request', body, integration.secret), payload: body });
  assert.deepEqual(res.json().versions, ['12'], res.body);

  const jobs = new Map<string, { env: Array<{ name: string; value: string }> }>();
  for (let i = 0; i < 2; i++) {
    const claim = await app.web.inject({ method: 'POST', url: '/api/builder/v1/claim', headers: { authorization: `Bearer ${app.builderSecret}` }, payload: { builder: 'inspector' } });
    assert.equal(claim.statusCode, 200, claim.body);
    jobs.set(claim.json().job.versionSlug, claim.json().job);
  }
  const names = (slug: string) => jobs.get(slug)!.env.map((e) => e.name).sort();
  assert.deepEqual(names('latest'), ['DEPLOY_TOKEN', 'THEME']);
  assert.deepEqual(names('12'), ['THEME']);
  assert.ok(!JSON.stringify(jobs.get('12')).includes('very-secret-value'));
});
