// Projects through the API and the dashboard: one input, one outcome — the same settings
// stored, or refused naming the same field with the same message (src/domain/projects.ts is
// the one home of the rules; a NUL is refused at each adapter's door with the same words).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { findProjectBySlug } from '../../../src/db/projects.ts';
import type { Project } from '../../../src/db/schema.ts';
import { importProject } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { assertSameRefusal, postForm, twin, type Twin } from '../../helpers/parity.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
let repo: GitRepo;
let alice: Twin;
let viaApi: string;
let viaPage: string;

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' }, branches: { dev: { 'docs/index.md': '# Dev\n' } } });
  alice = await twin(app, 'petra');
  viaApi = await importProject(alice.api, 'Settings by API', repo.url);
  viaPage = await importProject(alice.api, 'Settings by page', repo.url);
});
after(async () => {
  await app.close();
  repo.remove();
});

interface Settings {
  name: string;
  language: string;
  programming_language: string;
  homepage: string;
  tags: string[];
  description: string;
  default_version: string;
  default_branch: string;
  privacy_level: string;
  versioning_scheme: string;
  documentation_type: string;
  readthedocs_yaml_path: string;
  external_builds_privacy_level: string;
  analytics_code: string;
  show_version_warning: boolean;
  external_builds_enabled: boolean;
  analytics_disabled: boolean;
  custom_prefix: string;
  custom_subproject_prefix: string;
  delisted: boolean;
}

const VALID: Settings = {
  name: 'Same Everywhere', language: 'pt-br', programming_language: 'ts', homepage: 'https://same.example.org/', tags: ['atlas', 'maps'],
  description: 'Maps of <everything>', default_version: 'latest', default_branch: 'main', privacy_level: 'private',
  versioning_scheme: 'single_version_without_translations', documentation_type: 'mkdocs', readthedocs_yaml_path: 'docs/.readthedocs.yaml',
  external_builds_privacy_level: 'private', analytics_code: 'G-42', show_version_warning: true, external_builds_enabled: true, analytics_disabled: true,
  custom_prefix: 'docs', custom_subproject_prefix: '//libraries//', delisted: true,
};

const api = (settings: Settings) => alice.api.patch(`/api/v3/projects/${viaApi}/`, { ...settings, repository: { url: repo.url } });
/** The settings form as a browser sends it: every field, ticked boxes only. */
const form = (settings: Settings) => {
  const { tags, show_version_warning, external_builds_enabled, analytics_disabled, delisted, ...fields } = settings;
  const pairs: Array<[string, string]> = [...Object.entries(fields), ['tags', tags.join(', ')], ['repository', repo.url]];
  for (const [box, on] of Object.entries({ show_version_warning, external_builds_enabled, analytics_disabled, delisted })) if (on) pairs.push([box, 'on']);
  return postForm(alice.form, `/dashboard/${viaPage}/edit/`, `/dashboard/${viaPage}/edit/`, pairs);
};
const stored = async (slug: string): Promise<Partial<Project>> => {
  const { id: _id, slug: _slug, createdAt: _c, updatedAt: _u, ...rest } = (await findProjectBySlug(app.database.db, slug))!;
  return rest;
};

test('valid settings are stored alike through the API and the dashboard', async () => {
  assert.equal((await api(VALID)).statusCode, 204);
  const page = await form(VALID);
  assert.equal(page.statusCode, 303, page.body.slice(0, 500));
  const byApi = await stored(viaApi);
  assert.equal(byApi.language, 'pt-br');
  assert.equal(byApi.singleVersion, true);
  assert.deepEqual(byApi.tags, ['atlas', 'maps']);
  // Read the Docs' _clean_prefix: one slash at each end.
  assert.equal(byApi.customPrefix, '/docs/');
  assert.equal(byApi.customSubprojectPrefix, '/libraries/');
  assert.equal(byApi.delisted, true);
  const shown = (await alice.api.get(`/api/v3/projects/${viaApi}/`)).json();
  assert.deepEqual([shown.custom_prefix, shown.custom_subproject_prefix, shown.delisted], ['/docs/', '/libraries/', true]);
  assert.deepEqual(await stored(viaPage), byApi);
  // Back to the defaults, both ways.
  const back: Settings = { ...VALID, homepage: '', tags: [], readthedocs_yaml_path: '', versioning_scheme: 'multiple_versions_with_translations', privacy_level: 'public', show_version_warning: false, analytics_disabled: false,
    custom_prefix: '', custom_subproject_prefix: '', delisted: false };
  assert.equal((await api(back)).statusCode, 204);
  assert.equal((await form(back)).statusCode, 303);
  assert.deepEqual(await stored(viaPage), await stored(viaApi));
  assert.equal((await stored(viaApi)).readthedocsYamlPath, null);
  assert.deepEqual([(await stored(viaApi)).customPrefix, (await stored(viaApi)).customSubprojectPrefix, (await stored(viaApi)).delisted], [null, null, false]);
});

test('the same bad input is refused the same way, naming the same field, and changes nothing', async () => {
  const before = [await stored(viaApi), await stored(viaPage)];
  const cases: Array<[Partial<Settings>, string]> = [
    [{ language: 'xx' }, 'language'],
    [{ language: 'zh' }, 'language'],
    [{ programming_language: 'cobol' }, 'programming_language'],
    [{ default_version: 'no-such-version' }, 'default_version'],
    [{ default_version: 'dev' }, 'default_version'],
    [{ homepage: 'not a url' }, 'homepage'],
    [{ readthedocs_yaml_path: '/etc/.readthedocs.yaml' }, 'readthedocs_yaml_path'],
    [{ readthedocs_yaml_path: 'docs/readthedocs.yml' }, 'readthedocs_yaml_path'],
    [{ versioning_scheme: 'by-date' }, 'versioning_scheme'],
    [{ name: '' }, 'name'],
    [{ name: 'bell\u0007' }, 'name'],
    [{ default_branch: '--upload-pack=x' }, 'default_branch'],
    [{ analytics_code: 'x'.repeat(51) }, 'analytics_code'],
    [{ custom_prefix: '/a/../b/' }, 'custom_prefix'],
    [{ custom_prefix: '/docs?x/' }, 'custom_prefix'],
    [{ custom_prefix: '/_/static/' }, 'custom_prefix'],
    [{ custom_subproject_prefix: 'a\\b' }, 'custom_subproject_prefix'],
    [{ custom_prefix: '/same/', custom_subproject_prefix: 'same' }, 'custom_subproject_prefix'],
  ];
  for (const [bad, field] of cases) {
    const input = { ...VALID, ...bad };
    assertSameRefusal(await api(input), await form(input), field);
  }
  assert.deepEqual([await stored(viaApi), await stored(viaPage)], before);
});

test('a NUL in any field is a 400 with the same message on both sides, never a 500', async () => {
  for (const field of ['name', 'description', 'homepage'] as const) {
    const input = { ...VALID, [field]: `a\u0000b` };
    assertSameRefusal(await api(input), await form(input), field);
  }
  // Anywhere on the dashboard: a form field, the query, the path.
  const importPage = await postForm(alice.form, '/dashboard/import/', '/dashboard/import/', { name: 'x\u0000', repository: repo.url });
  assert.equal(importPage.statusCode, 400);
  assert.match(importPage.body, /Null characters and unpaired surrogates are not allowed/);
  assert.equal((await alice.form.get('/projects/%00/')).statusCode, 400);
  assert.equal((await alice.form.get(`/projects/${viaPage}/badge.svg?version=%00`)).statusCode, 400);
});

test('importing a name whose slug is taken: 400 naming name, with Read the Docs\' message, on both sides', async () => {
  const apiRes = await alice.api.post('/api/v3/projects/', { name: 'Settings by API', repository: { url: repo.url } });
  const pageRes = await postForm(alice.form, '/dashboard/import/', '/dashboard/import/', { name: 'Settings by API', repository: repo.url });
  assertSameRefusal(apiRes, pageRes, 'name');
  assert.deepEqual(apiRes.json(), { name: [`Project with slug "${viaApi}" already exists.`] });
  const noSlug = await alice.api.post('/api/v3/projects/', { name: '***', repository: { url: repo.url } });
  assertSameRefusal(noSlug, await postForm(alice.form, '/dashboard/import/', '/dashboard/import/', { name: '***', repository: repo.url }), 'name');
});
