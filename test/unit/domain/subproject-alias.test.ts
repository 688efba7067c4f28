// A subproject's alias as Read the Docs takes it: a Django slug of at most 255 characters,
// refused in its words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aliasProblem } from '../../../src/domain/subprojects.ts';

const NOT_A_SLUG = 'Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.';

test('aliases: slugs pass, anything else is refused with the reason', () => {
  const cases: Array<[string, string | null]> = [
    ['api', null],
    ['API_v2-beta', null],
    ['-leading-dash', null],
    ['x'.repeat(255), null],
    ['x'.repeat(256), 'Ensure this field has no more than 255 characters.'],
    ['a/b', NOT_A_SLUG],
    ['../x', NOT_A_SLUG],
    ['with space', NOT_A_SLUG],
    ['café', NOT_A_SLUG],
    ['', NOT_A_SLUG],
  ];
  for (const [alias, problem] of cases) assert.equal(aliasProblem(alias), problem, alias);
});
