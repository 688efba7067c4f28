// Environment variables through the API and the dashboard: one input, one outcome — stored alike
// (values never shown), or refused naming the same field with Read the Docs' message.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { listVariables } from '../../../src/db/environment-variables.ts';
import { assertSameRefusal, postForm, type Twin } from '../../helpers/parity.ts';
import { parityPair, type ParityPair } from '../../helpers/parity-pair.ts';

let pair: ParityPair;
let alice: Twin;
let viaApi: string;
let viaPage: string;

before(async () => {
  pair = await parityPair('variables');
  ({ owner: alice, viaApi, viaPage } = pair);
});
after(() => pair.close());

const api = (body: Record<string, unknown>) => alice.api.post(`/api/v3/projects/${viaApi}/environmentvariables/`, body);
const form = (fields: Record<string, string>) => postForm(alice.form, `/dashboard/${viaPage}/environmentvariables/`, `/dashboard/${viaPage}/environmentvariables/create/`, fields);
const stored = async (slug: string) => {
  const project = await pair.project(slug);
  return (await listVariables(pair.app.database.db, project.id, 100, 0)).rows.map((v) => [v.name, v.public]);
};

test('the same variables are stored the same', async () => {
  assert.equal((await api({ name: 'API_KEY', value: 's3cr3t', public: false })).statusCode, 201);
  assert.equal((await form({ name: 'API_KEY', value: 's3cr3t' })).statusCode, 303);
  assert.equal((await api({ name: 'SHOWN', value: 'v', public: true })).statusCode, 201);
  assert.equal((await form({ name: 'SHOWN', value: 'v', public: 'on' })).statusCode, 303);
  assert.deepEqual(await stored(viaPage), await stored(viaApi));
  assert.deepEqual(await stored(viaApi), [['API_KEY', false], ['SHOWN', true]]);
  const page = await alice.form.get(`/dashboard/${viaPage}/environmentvariables/`);
  assert.ok(!page.body.includes('s3cr3t'), 'the dashboard never shows a value');
});

test('refusals name the same field with the same message', async () => {
  const cases: Array<[string, string, string, number?]> = [
    ['name', '__DUNDER', 'x'],
    ['name', 'READTHEDOCS_X', 'x'],
    ['name', 'readthedocs_lower', 'x'],
    ['name', 'HAS SPACE', 'x'],
    ['name', 'STAR*', 'x'],
    ['name', '1DIGIT', 'x'],
    ['name', 'N'.repeat(129), 'x'],
    ['name', 'API_KEY', 'again'],
    ['value', 'BIG', 'v'.repeat(48_001)],
  ];
  for (const [field, name, value] of cases) assertSameRefusal(await api({ name, value }), await form({ name, value }), field);
  assert.equal((await stored(viaApi)).length, 2, 'nothing refused was stored');
  assert.equal((await stored(viaPage)).length, 2, 'nothing refused was stored');
});

test('all values together stay under 256 KB, through either', async () => {
  for (let i = 0; i < 5; i++) {
    assert.equal((await api({ name: `CHUNK${i}`, value: 'a'.repeat(48_000) })).statusCode, 201);
    assert.equal((await form({ name: `CHUNK${i}`, value: 'a'.repeat(48_000) })).statusCode, 303);
  }
  assertSameRefusal(await api({ name: 'ONE_TOO_MANY', value: 'a'.repeat(20_000) }), await form({ name: 'ONE_TOO_MANY', value: 'a'.repeat(20_000) }), 'value');
});
