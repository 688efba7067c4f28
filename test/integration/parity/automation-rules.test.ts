// Automation rules through the API and the dashboard: one input, one outcome — stored alike, or
// refused naming the same field with the same message (domain/automation-rules.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { listRules } from '../../../src/db/automation-rules.ts';
import { assertSameRefusal, postForm, type Twin } from '../../helpers/parity.ts';
import { parityPair, type ParityPair } from '../../helpers/parity-pair.ts';

let pair: ParityPair;
let alice: Twin;
let viaApi: string;
let viaPage: string;

before(async () => {
  pair = await parityPair('rules');
  ({ owner: alice, viaApi, viaPage } = pair);
});
after(() => pair.close());

const api = (body: Record<string, unknown>) => alice.api.post(`/api/v3/projects/${viaApi}/automation-rules/`, body);
const form = (fields: Record<string, string>) =>
  postForm(alice.form, `/dashboard/${viaPage}/rules/`, `/dashboard/${viaPage}/rules/create/`, { description: '', pattern: '', version_type: 'tag', action: 'activate-version', ...fields });
const stored = async (slug: string) => {
  const project = await pair.project(slug);
  return (await listRules(pair.app.database.db, project.id)).rows.map(({ description, predefinedMatch, matchArg, versionType, action, position }) => ({ description, predefinedMatch, matchArg, versionType, action, position }));
};

test('the same rules are stored the same, in the same order', async () => {
  assert.equal((await api({ predefined_match_arg: 'semver-versions', version_type: 'tag', action: 'activate-version', description: 'releases' })).statusCode, 201);
  assert.equal((await form({ match: 'semver-versions', description: 'releases' })).statusCode, 303);
  assert.equal((await api({ match_arg: '^release/(?P<n>\\d+)$', version_type: 'branch', action: 'hide-version' })).statusCode, 201);
  assert.equal((await form({ match: 'regex', pattern: '^release/(?P<n>\\d+)$', version_type: 'branch', action: 'hide-version' })).statusCode, 303);
  const byApi = await stored(viaApi);
  assert.equal(byApi.length, 2);
  assert.deepEqual(await stored(viaPage), byApi);
  assert.deepEqual(byApi[1], { description: '', predefinedMatch: null, matchArg: '^release/(?P<n>\\d+)$', versionType: 'branch', action: 'hide-version', position: 1 });
});

test('refusals name the same field with the same message', async () => {
  const cases: Array<[string, Record<string, unknown>, Record<string, string>]> = [
    ['match_arg', { match_arg: '(unclosed', version_type: 'tag', action: 'activate-version' }, { match: 'regex', pattern: '(unclosed' }],
    ['match_arg', { match_arg: '', version_type: 'tag', action: 'activate-version' }, { match: 'regex', pattern: '' }],
    ['predefined_match_arg', { predefined_match_arg: 'odd-versions', version_type: 'tag', action: 'activate-version' }, { match: 'odd-versions' }],
    ['version_type', { predefined_match_arg: 'all-versions', version_type: 'external', action: 'activate-version' }, { match: 'all-versions', version_type: 'external' }],
    ['action', { predefined_match_arg: 'all-versions', version_type: 'tag', action: 'explode' }, { match: 'all-versions', action: 'explode' }],
    ['description', { predefined_match_arg: 'all-versions', version_type: 'tag', action: 'activate-version', description: 'd'.repeat(256) }, { match: 'all-versions', description: 'd'.repeat(256) }],
  ];
  for (const [field, body, fields] of cases) assertSameRefusal(await api(body), await form(fields), field);
  assert.equal((await stored(viaApi)).length, 2, 'nothing refused was stored');
  assert.equal((await stored(viaPage)).length, 2, 'nothing refused was stored');
});
