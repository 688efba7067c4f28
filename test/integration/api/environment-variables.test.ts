// API v3 environment variables: values are write-only (no answer carries them, but builds
// get them), names are checked, READTHEDOCS* is reserved, a name appears once per project.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { environmentVariables } from '../../../src/db/schema.ts';
import { assertRtdShape, rtdFixture } from '../../helpers/rtd-shape.ts';
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

test("names: shell-safe, not READTHEDOCS* nor __*, once per project — refused with Read the Docs' messages", async () => {
  for (const name of ['1ABC', 'A-B', 'A B', 'A=B', '$(id)', '', 'Ä', 'X'.repeat(129)]) assertFieldError(await client.post(base, { name, value: 'v' }), 'name', name);
  for (const name of ['READTHEDOCS', 'READTHEDOCS_OUTPUT', 'readthedocs_project']) assertFieldError(await client.post(base, { name, value: 'v' }), 'name', name);
  assert.deepEqual((await client.post(base, { name: '__X', value: 'v' })).json(), { name: ["Variable name can't start with __ (double underscore)"] });
  assert.deepEqual((await client.post(base, { name: 'A B', value: 'v' })).json(), { name: ["Variable name can't contain spaces"] });
  assert.deepEqual((await client.post(base, { name: 'BIG', value: 'x'.repeat(48_001) })).json(), { value: ['Ensure this field has no more than 48000 characters.'] });
  assertFieldError(await client.post(base, { name: 'NO_VALUE' }), 'value');
  assertFieldError(await client.post(base, { name: 'BIG', value: 'x'.repeat(48_001) }), 'value');
  assertFieldError(await client.post(base, { name: 'NUL', value: 'a\u0000b' }), 'value');
  assert.equal((await client.post(base, { name: '_ok_1', value: '' })).statusCode, 201);
  const again = await client.post(base, { name: '_ok_1', value: 'other' });
  assert.equal(again.statusCode, 400);
  assert.deepEqual(again.json(), { name: ['There is already a variable with this name for this project'] });
  const other = await importProject(client, 'Variables too', repo.url);
  assert.equal((await client.post(`/api/v3/projects/${other}/environmentvariables/`, { name: '_ok_1', value: 'v' })).statusCode, 201, 'another project may use the name');
});

test('anonymous → 401, another user → 403 (reads included), as on Read the Docs; no PUT or PATCH (405)', async () => {
  const { pk } = (await client.post(base, { name: 'MINE', value: 'x' })).json();
  assert.equal((await apiClient(app, {}).get(base)).statusCode, 401);
  const bob = apiClient(app, (await app.newUser('bob-env')).auth);
  assert.equal((await bob.get(base)).statusCode, 403);
  assert.equal((await bob.post(base, { name: 'INJECTED', value: 'x' })).statusCode, 403);
  assert.equal((await bob.delete(`${base}${pk}/`)).statusCode, 403);
  assert.equal((await bob.patch(`${base}${pk}/`, { value: 'y' })).statusCode, 403, 'permissions are checked before the method');
  for (const method of ['PUT', 'PATCH'] as const) {
    const res = await client.call(method, `${base}${pk}/`, { name: 'MINE', value: 'y' });
    assert.equal(res.statusCode, 405, res.body);
    assert.deepEqual(res.json(), { detail: `Method "${method}" not allowed.` });
  }
  assert.equal((await client.get(`${base}${pk}/`)).statusCode, 200);
  const page = (await client.get(`${base}?limit=1`)).json();
  assert.equal(page.results.length, 1);
  assert.match(page.next, /limit=1&offset=1/);
});

test("answers have Read the Docs' shape (list, detail, POST) and never a value", async () => {
  const posted = await client.post(base, { name: 'DEPLOY_REGION', value: 'eu', public: true });
  assert.equal(posted.statusCode, 201);
  assertRtdShape(posted.json(), rtdFixture('projects-environmentvariables-list_POST'));
  assertRtdShape((await client.get(`${base}${posted.json().pk}/`)).json(), rtdFixture('projects-environmentvariables-detail'));
  assertRtdShape((await client.get(base)).json(), rtdFixture('projects-environmentvariables-list'));
});

test('all values of a project together stay under 256 KB', async () => {
  const big = await importProject(client, 'Big variables', repo.url);
  const url = `/api/v3/projects/${big}/environmentvariables/`;
  for (let i = 0; i < 5; i++) assert.equal((await client.post(url, { name: `CHUNK${i}`, value: 'a'.repeat(48_000) })).statusCode, 201);
  assert.equal((await client.post(url, { name: 'FITS', value: 'a'.repeat(16_000) })).statusCode, 201);
  const over = await client.post(url, { name: 'OVER', value: 'a' });
  assert.equal(over.statusCode, 400);
  assert.deepEqual(over.json(), { value: ['The total size of all environment variables in the project cannot exceed 256 KB.'] });
});
