// Subprojects through the API and the dashboard: one input, one outcome — linked alike, or
// refused naming the same field with Read the Docs' message (domain/subprojects.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { listSubprojects } from '../../../src/db/subprojects.ts';
import { importProject } from '../../helpers/api-client.ts';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { assertSameRefusal, postForm, twin, type Twin } from '../../helpers/parity.ts';
import { parityPair, type ParityPair } from '../../helpers/parity-pair.ts';

let pair: ParityPair;
let alice: Twin;
let repo: GitRepo;
let viaApi: string;
let viaPage: string;
const kids: Record<string, string> = {};

before(async () => {
  pair = await parityPair('subprojects');
  ({ owner: alice, viaApi, viaPage } = pair);
  repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' } });
  for (const name of ['api-kid', 'page-kid', 'spare', 'nested']) kids[name] = await importProject(alice.api, name, repo.url);
});
after(async () => {
  await pair.close();
  repo.remove();
});

const api = (parent: string, body: Record<string, unknown>) => alice.api.post(`/api/v3/projects/${parent}/subprojects/`, body);
const form = (parent: string, fields: Record<string, string>) =>
  postForm(alice.form, `/dashboard/${parent}/subprojects/`, `/dashboard/${parent}/subprojects/create/`, { child: '', alias: '', ...fields });
const stored = async (slug: string) => {
  const project = await pair.project(slug);
  return (await listSubprojects(pair.app.database.db, project.id, null, 100, 0)).rows.map((r) => [r.alias, r.child.slug]);
};

test('the same links are stored the same', async () => {
  assert.equal((await api(viaApi, { child: kids['api-kid'], alias: 'Docs_1' })).statusCode, 201);
  assert.equal((await form(viaPage, { child: kids['page-kid']!, alias: 'Docs_1' })).statusCode, 303);
  assert.deepEqual(await stored(viaApi), [['Docs_1', kids['api-kid']]]);
  assert.deepEqual(await stored(viaPage), [['Docs_1', kids['page-kid']]]);
  assert.equal((await api(viaApi, { child: kids['api-kid'] })).statusCode, 400, 'already linked');
});

test("refusals name the same field with Read the Docs' message", async () => {
  const bob = await twin(pair.app, 'bob-subprojects');
  const bobs = await importProject(bob.api, 'bob kid', repo.url);
  const cases: Array<[string, string, Record<string, string>]> = [
    ['child', 'missing', { child: 'no-such-project' }],
    ['child', "another user's", { child: bobs }],
    ['child', 'already a subproject', { child: kids['api-kid']! }],
    ['child', 'empty', { child: '' }],
    ['alias', 'taken', { child: kids.spare!, alias: 'Docs_1' }],
    ['alias', 'not a slug', { child: kids.spare!, alias: 'a/b' }],
    ['alias', 'too long', { child: kids.spare!, alias: 'x'.repeat(256) }],
  ];
  for (const [field, what, input] of cases) {
    const apiRes = await api(viaApi, { child: input.child, ...(input.alias ? { alias: input.alias } : {}) });
    assert.equal(apiRes.statusCode, 400, `${what}: ${apiRes.body}`);
    assertSameRefusal(apiRes, await form(viaPage, input), field);
  }
  // A project as its own subproject: the same refusal, each naming its own slug.
  const selfApi = await api(viaApi, { child: viaApi });
  const selfPage = await form(viaPage, { child: viaPage });
  assert.deepEqual(selfApi.json(), { child: [`Project with slug=${viaApi} is not valid as subproject`] });
  assert.equal(selfPage.statusCode, 400);
  assert.ok(selfPage.body.includes(`Project with slug=${viaPage} is not valid as subproject`));
  // Nesting: a subproject cannot have subprojects (Read the Docs' non_field_errors).
  assertSameRefusal(await api(kids['api-kid']!, { child: kids.nested }), await form(kids['page-kid']!, { child: kids.nested! }), 'non_field_errors');
  assert.deepEqual(await stored(viaApi), [['Docs_1', kids['api-kid']]], 'nothing refused was stored');
  assert.deepEqual(await stored(viaPage), [['Docs_1', kids['page-kid']]]);
});

test('removing: the same on both, and an unknown alias is not found on both', async () => {
  assert.equal((await alice.api.delete(`/api/v3/projects/${viaApi}/subprojects/Docs_1/`)).statusCode, 204);
  assert.equal((await postForm(alice.form, `/dashboard/${viaPage}/subprojects/`, `/dashboard/${viaPage}/subprojects/Docs_1/delete/`, {})).statusCode, 303);
  assert.deepEqual(await stored(viaApi), []);
  assert.deepEqual(await stored(viaPage), []);
  assert.equal((await alice.api.delete(`/api/v3/projects/${viaApi}/subprojects/Docs_1/`)).statusCode, 404);
  assert.equal((await postForm(alice.form, `/dashboard/${viaPage}/subprojects/`, `/dashboard/${viaPage}/subprojects/Docs_1/delete/`, {})).statusCode, 404);
});
