// Versions through the API and the dashboard: one input, one outcome — stored alike, the same
// build queued, or refused naming the same field with the same message (domain/versions.ts
// is the one home of the rules).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { findProjectBySlug } from '../../../src/db/projects.ts';
import { findVersion, findVersions } from '../../../src/db/versions.ts';
import { listBuilds } from '../../../src/db/builds.ts';
import { importProject } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { assertSameRefusal, postForm, twin, type Twin } from '../../helpers/parity.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { syncsDone } from '../../helpers/webhooks.ts';

let app: TestApp;
let repo: GitRepo;
let alice: Twin;
let viaApi: string;
let viaPage: string;

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' }, branches: { dev: { 'docs/index.md': '# Dev\n' } }, tags: { 'v1.0': { 'docs/index.md': '# One\n' } } });
  alice = await twin(app, 'vera');
  viaApi = await importProject(alice.api, 'Versions by API', repo.url);
  viaPage = await importProject(alice.api, 'Versions by page', repo.url);
});
after(async () => {
  await app.close();
  repo.remove();
});

const api = (version: string, body: Record<string, unknown>) => alice.api.patch(`/api/v3/projects/${viaApi}/versions/${version}/`, body);
/** The dashboard's form sends every setting; an unchecked box is left out. */
const form = (version: string, settings: { active?: boolean; hidden?: boolean; privacy_level?: string }) => {
  const fields: Array<[string, string]> = [];
  if (settings.active) fields.push(['active', 'on']);
  if (settings.hidden) fields.push(['hidden', 'on']);
  fields.push(['privacy_level', settings.privacy_level ?? 'public']);
  return postForm(alice.form, `/projects/${viaPage}/versions/`, `/dashboard/${viaPage}/version/${version}/edit/`, fields);
};
const stored = async (slug: string, version: string) => {
  const project = (await findProjectBySlug(app.database.db, slug))!;
  const v = (await findVersion(app.database.db, project.id, version))!;
  const { count: builds } = await listBuilds(app.database.db, { projectId: project.id, versionId: v.id }, 10, 0);
  return { active: v.active, hidden: v.hidden, privacyLevel: v.privacyLevel, built: v.built, builds };
};

test('activating, hiding and making private: stored alike, one build queued on each side', async () => {
  assert.equal((await api('dev', { active: true, hidden: true, privacy_level: 'private' })).statusCode, 204);
  assert.equal((await form('dev', { active: true, hidden: true, privacy_level: 'private' })).statusCode, 303);
  const byApi = await stored(viaApi, 'dev');
  assert.deepEqual(byApi, { active: true, hidden: true, privacyLevel: 'private', built: false, builds: 1 });
  assert.deepEqual(await stored(viaPage, 'dev'), byApi);

  assert.equal((await api('dev', { active: false, hidden: false, privacy_level: 'public' })).statusCode, 204);
  assert.equal((await form('dev', { active: false, hidden: false, privacy_level: 'public' })).statusCode, 303);
  assert.deepEqual(await stored(viaPage, 'dev'), await stored(viaApi, 'dev'));
  assert.equal((await stored(viaApi, 'dev')).active, false);
});

test('the default version cannot be deactivated, and a bad privacy level is refused, alike', async () => {
  assertSameRefusal(await api('latest', { active: false }), await form('latest', { active: false }), 'active');
  assert.equal((await stored(viaApi, 'latest')).active, true);
  assert.equal((await stored(viaPage, 'latest')).active, true);
  assertSameRefusal(await api('v1.0', { privacy_level: 'secret' }), await form('v1.0', { active: false, privacy_level: 'secret' }), 'privacy_level');
  assert.equal((await stored(viaPage, 'v1.0')).privacyLevel, 'public');
});

test('a sync from either side finds the same new branches', async () => {
  repo.git('branch', 'feature', 'main');
  assert.equal((await alice.api.post(`/api/v3/projects/${viaApi}/sync-versions/`)).statusCode, 202);
  const page = await postForm(alice.form, `/projects/${viaPage}/versions/`, `/projects/${viaPage}/versions/sync/`, {});
  assert.equal(page.statusCode, 303, page.body);
  await syncsDone(app);
  const slugs = async (slug: string) => (await findVersions(app.database.db, (await findProjectBySlug(app.database.db, slug))!.id)).map((v) => v.slug);
  assert.ok((await slugs(viaApi)).includes('feature'));
  assert.deepEqual(await slugs(viaPage), await slugs(viaApi));
});
