// The project settings that shape serving, through API v3 with Read the Docs' names:
// custom_prefix and custom_subproject_prefix (cleaned as Read the Docs' _clean_prefix, refused
// where its validate_custom_prefix / validate_custom_subproject_prefix refuse them) and delisted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { findProjectBySlug } from '../../../src/db/projects.ts';
import { apiClient, assertFieldError, importProject, type ApiClient } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
let repo: GitRepo;
let client: ApiClient;
const slugs: Record<string, string> = {};

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' } });
  client = apiClient(app);
  for (const name of ['main', 'spanish', 'parent', 'child', 'childes']) slugs[name] = await importProject(client, `Prefix ${name}`, repo.url);
  for (const slug of [slugs.spanish!, slugs.childes!]) assert.equal((await client.patch(`/api/v3/projects/${slug}/`, { language: 'es' })).statusCode, 204);
  assert.equal((await client.post(`/api/v3/projects/${slugs.main}/translations/`, { project: slugs.spanish })).statusCode, 201);
  assert.equal((await client.post(`/api/v3/projects/${slugs.parent}/subprojects/`, { child: slugs.child, alias: 'child' })).statusCode, 201);
  assert.equal((await client.post(`/api/v3/projects/${slugs.child}/translations/`, { project: slugs.childes })).statusCode, 201);
});
after(async () => {
  await app.close();
  repo.remove();
});

const patch = (p: string, body: object) => client.patch(`/api/v3/projects/${slugs[p]}/`, body);
const stored = async (p: string) => (await findProjectBySlug(app.database.db, slugs[p]!))!;

test('prefixes are cleaned as Read the Docs cleans them; empty or null is the default again', async () => {
  for (const [sent, kept] of [['docs', '/docs/'], ['/a/b', '/a/b/'], ['///', '/'], ['/v1.0/~x_y-z/', '/v1.0/~x_y-z/']] as const) {
    assert.equal((await patch('main', { custom_prefix: sent })).statusCode, 204);
    assert.equal((await stored('main')).customPrefix, kept, sent);
    assert.equal((await client.get(`/api/v3/projects/${slugs.main}/`)).json().custom_prefix, kept);
  }
  assert.equal((await patch('main', { custom_prefix: '' })).statusCode, 204);
  assert.equal((await stored('main')).customPrefix, null);
  assert.equal((await patch('parent', { custom_subproject_prefix: 'libs' })).statusCode, 204);
  assert.equal((await stored('parent')).customSubprojectPrefix, '/libs/');
  assert.equal((await patch('parent', { custom_subproject_prefix: null })).statusCode, 204);
  assert.equal((await stored('parent')).customSubprojectPrefix, null);
});

test("a translation's custom_prefix and a subproject's custom_subproject_prefix are refused with Read the Docs' messages", async () => {
  const t = await patch('spanish', { custom_prefix: '/docs/' });
  assertFieldError(t, 'custom_prefix');
  assert.deepEqual(t.json(), { custom_prefix: ['This project is a translation of another project, the custom prefix must be defined in the main project.'] });
  const message = 'This project is a subproject, the subproject prefix must be defined in the parent project custom_subproject_prefix attribute.';
  assert.deepEqual((await patch('child', { custom_subproject_prefix: '/x/' })).json(), { custom_subproject_prefix: [message] });
  // A translation of a subproject is refused too: Read the Docs looks at its main project.
  assert.deepEqual((await patch('childes', { custom_subproject_prefix: '/x/' })).json(), { custom_subproject_prefix: [message] });
  // Clearing is always allowed (Read the Docs returns before the checks for an empty value).
  assert.equal((await patch('spanish', { custom_prefix: '' })).statusCode, 204);
  // A subproject may still have its own custom_prefix.
  assert.equal((await patch('child', { custom_prefix: '/guide/' })).statusCode, 204);
  assert.equal((await stored('child')).customPrefix, '/guide/');
});

test('unsafe or clashing prefixes are refused and change nothing', async () => {
  const before = await stored('main');
  for (const bad of ['/a/../b/', '/./', '/a//b/', '/a b/', '/%2e%2e/', '/a\\b/', '/_/downloads/', '/x?y/', `/${'a'.repeat(300)}/`]) {
    assertFieldError(await patch('main', { custom_prefix: bad }), 'custom_prefix', bad);
  }
  assertFieldError(await patch('main', { custom_subproject_prefix: '/' }), 'custom_subproject_prefix', 'same as the default custom_prefix');
  assert.equal((await patch('main', { custom_prefix: '/docs/' })).statusCode, 204);
  assertFieldError(await patch('main', { custom_subproject_prefix: 'docs' }), 'custom_subproject_prefix', 'same as custom_prefix');
  assertFieldError(await patch('main', { custom_prefix: '/p/', custom_subproject_prefix: '/p/' }), 'custom_subproject_prefix', 'both at once');
  assert.equal((await stored('main')).customSubprojectPrefix, before.customSubprojectPrefix);
  assert.equal((await stored('main')).customPrefix, '/docs/');
  assert.equal((await patch('main', { custom_prefix: null })).statusCode, 204);
});

test('delisted is a boolean, shown back, refused otherwise', async () => {
  assert.equal((await client.get(`/api/v3/projects/${slugs.main}/`)).json().delisted, false);
  assert.equal((await patch('main', { delisted: true })).statusCode, 204);
  assert.equal((await stored('main')).delisted, true);
  assert.equal((await client.get(`/api/v3/projects/${slugs.main}/`)).json().delisted, true);
  assert.equal((await patch('main', { delisted: 'maybe' })).statusCode, 400);
  assert.equal((await stored('main')).delisted, true);
});
