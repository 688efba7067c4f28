// Translations through the API and the dashboard: one input, one outcome — linked alike, or
// refused naming the same field with the same message (domain/translations.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { listTranslations } from '../../../src/db/translations.ts';
import { importProject } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { assertSameRefusal, postForm, twin, type Twin } from '../../helpers/parity.ts';
import { parityPair, type ParityPair } from '../../helpers/parity-pair.ts';

let pair: ParityPair;
let alice: Twin;
let repo: GitRepo;
let viaApi: string;
let viaPage: string;
const p: Record<string, string> = {};

before(async () => {
  pair = await parityPair('translations');
  ({ owner: alice, viaApi, viaPage } = pair);
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' } });
  for (const [name, language] of [['api-fr', 'fr'], ['page-fr', 'fr'], ['api-fr2', 'fr'], ['page-fr2', 'fr'], ['en', 'en'], ['de', 'de']] as const) {
    p[name] = await importProject(alice.api, `tr ${name}`, repo.url, { language });
  }
});
after(async () => {
  await pair.close();
  repo.remove();
});

const api = (main: string, project: string) => alice.api.post(`/api/v3/projects/${main}/translations/`, { project });
const form = (main: string, project: string) => postForm(alice.form, `/dashboard/${main}/translations/`, `/dashboard/${main}/translations/create/`, { project });
const stored = async (slug: string) => {
  const project = await pair.project(slug);
  return (await listTranslations(pair.app.database.db, project.id, null, 100, 0)).rows.map((r) => r.language);
};

test('the same translations are linked the same', async () => {
  assert.equal((await api(viaApi, p['api-fr']!)).statusCode, 201);
  assert.equal((await form(viaPage, p['page-fr']!)).statusCode, 303);
  assert.deepEqual(await stored(viaApi), ['fr']);
  assert.deepEqual(await stored(viaPage), ['fr']);
});

test('refusals name the same field with the same message and status', async () => {
  const bob = await twin(pair.app, 'bob-translations');
  const bobs = await importProject(bob.api, 'bob es', repo.url, { language: 'es' });
  // Inputs whose messages do not name the side's own project.
  for (const [status, project] of [[400, p.en!], [400, 'no-such-project'], [400, bobs], [400, '']] as const) {
    assertSameRefusal(await api(viaApi, project), await form(viaPage, project), 'project', status);
  }
  // The language taken in the group (each side's own French project): a clash on both.
  const clashApi = await api(viaApi, p['api-fr2']!);
  const clashPage = await form(viaPage, p['page-fr2']!);
  assert.equal(clashApi.statusCode, 409);
  assert.equal(clashPage.statusCode, 409);
  assert.ok(clashPage.body.includes(`${p['page-fr']} is already the fr translation of this project`));
  // A translation cannot have translations: the same on both.
  assertSameRefusal(await api(p['api-fr']!, p.de!), await form(p['page-fr']!, p.de!), 'project');
  assert.deepEqual(await stored(viaApi), ['fr'], 'nothing refused was stored');
  assert.deepEqual(await stored(viaPage), ['fr']);
});

test('unlinking: the same on both, and a project that is no translation is not found on both', async () => {
  assert.equal((await alice.api.delete(`/api/v3/projects/${viaApi}/translations/${p['api-fr']}/`)).statusCode, 204);
  assert.equal((await postForm(alice.form, `/dashboard/${viaPage}/translations/`, `/dashboard/${viaPage}/translations/${p['page-fr']}/delete/`, {})).statusCode, 303);
  assert.deepEqual(await stored(viaApi), []);
  assert.deepEqual(await stored(viaPage), []);
  assert.equal((await alice.api.delete(`/api/v3/projects/${viaApi}/translations/${p.de}/`)).statusCode, 404);
  assert.equal((await postForm(alice.form, `/dashboard/${viaPage}/translations/`, `/dashboard/${viaPage}/translations/${p.de}/delete/`, {})).statusCode, 404);
});
