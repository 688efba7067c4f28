// API v3 environment variables: values are write-only (no answer carries them, but builds
// get them), names are checked, READTHEDOCS* is reserved, a name appears once per project.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { environmentVariables } from '../../../src/db/schema.ts';
import { apiClient, assertFieldError, importProject, type ApiClient } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
let repo: GitRepo;
let client: ApiClient;
let slug: string;
let base: string;
const SECRET = 's3cr3t-<value>-\'; DROP TABLE users; -- 🔑';

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' } });
  client = apiClient(app);
  slug = await importProject(client, 'Variables', repo.url);
  base = `/api/v3/projects/${slug}/environmentvariables/`;
});
after(async () => {
  await app.close();
  repo.remove();
});

test('create, list, detail, delete; the value is never returned but is stored verbatim for builds', async () => {
  const res = await client.post(base, { name: 'API_KEY', value: SECRET });
  assert.equal(res.statusCode, 201, res.body);
  const created = res.json();
  assert.equal(created.name, 'API_KEY');
  assert.equal(created.public, false);
  assert.equal(created.project, slug);
  assert.equal(created.value, undefined);
  assert.equal(res.headers.location, `${app.publicUrl}${base}${created.pk}/`);
  await client.post(base, { name: 'PUBLIC_FLAG', value: 'on', public: true });

  const list = await client.get(base);
  const detail = await client.get(`${base}${created.pk}/`);
  for (const r of [res, list, detail]) {
    assert.ok(!r.body.includes('s3cr3t'), `no value in ${r.body}`);
    assert.ok(!r.body.includes('"value"'));
  }
  assert.deepEqual(list.json().results.map((v: { name: string; public: boolean }) => [v.name, v.public]), [['API_KEY', false], ['PUBLIC_FLAG', true]]);
  const [row] = await app.database.db.select().from(environmentVariables).where(eq(environmentVariables.id, created.pk));
  assert.equal(row!.value, SECRET, 'stored exactly as given, for the builds');

  assert.equal((await client.delete(`${base}${created.pk}/`)).statusCode, 204);
  assert.equal((await client.get(`${base}${created.pk}/`)).statusCode, 404);
  assert.deepEqual((await client.get(base)).json().results.map((v: { name: string }) => v.name), ['PUBLIC_FLAG']);
});

test('names: shell-safe, not READTHEDOCS*, once per project (409)', async () => {
  for (const name of ['1ABC', 'A-B', 'A B', 'A=B', '$(id)', '', 'Ä', 'X'.repeat(129)]) assertFieldError(await client.post(base, { name, value: 'v' }), 'name', name);
  for (const name of ['READTHEDOCS', 'READTHEDOCS_OUTPUT', 'readthedocs_project']) assertFieldError(await client.post(base, { name, value: 'v' }), 'name', name);
  assertFieldError(await client.post(base, { name: 'NO_VALUE' }), 'value');
  assertFieldError(await client.post(base, { name: 'BIG', value: 'x'.repeat(48_001) }), 'value');
  assertFieldError(await client.post(base, { name: 'NUL', value: 'a\u0000b' }), 'value');
  assert.equal((await client.post(base, { name: '_ok_1', value: '' })).statusCode, 201);
  const again = await client.post(base, { name: '_ok_1', value: 'other' });
  assert.equal(again.statusCode, 409);
  assert.ok(again.json().name);
  const other = await importProject(client, 'Variables too', repo.url);
  assert.equal((await client.post(`/api/v3/projects/${other}/environmentvariables/`, { name: '_ok_1', value: 'v' })).statusCode, 201, 'another project may use the name');
});

test('another user sees 404 and cannot delete', async () => {
  const { pk } = (await client.post(base, { name: 'MINE', value: 'x' })).json();
  const bob = apiClient(app, (await app.newUser('bob-env')).auth);
  assert.equal((await bob.get(base)).statusCode, 404);
  assert.equal((await bob.post(base, { name: 'INJECTED', value: 'x' })).statusCode, 404);
  assert.equal((await bob.delete(`${base}${pk}/`)).statusCode, 404);
  assert.equal((await client.get(`${base}${pk}/`)).statusCode, 200);
  const page = (await client.get(`${base}?limit=1`)).json();
  assert.equal(page.results.length, 1);
  assert.match(page.next, /limit=1&offset=1/);
});
