// Table-driven tests for project slugs, which become DNS labels (`<slug>.<docs-domain>`).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isValidProjectSlug, projectSlug } from '../../../src/core/slug.ts';

describe('projectSlug', () => {
  const cases: Array<[string, string]> = [
    ['Bindery', 'bindery'],
    ['My Project', 'my-project'],
    ['my_project', 'my-project'],
    ['My  Project!!  Docs', 'my-project-docs'],
    ['  --Hello__World--  ', 'hello-world'],
    ['Café Déjà Vu', 'cafe-deja-vu'],
    ['v1.2 docs', 'v1-2-docs'],
    ['ＡＢＣ', 'abc'], // full-width letters fold under NFKD
    ['a'.repeat(70), 'a'.repeat(63)],
    // Cut at 63 characters, and the trailing dash the cut leaves is dropped.
    [`${'a'.repeat(62)} bcd`, 'a'.repeat(62)],
    ['日本語', ''],
    ['', ''],
  ];
  for (const [name, expected] of cases) {
    test(`${JSON.stringify(name.length > 40 ? `${name.slice(0, 20)}…` : name)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(projectSlug(name), expected);
    });
  }

  test('every non-empty slug it makes is a valid DNS label', () => {
    for (const [name] of cases) {
      const slug = projectSlug(name);
      if (slug) assert.ok(isValidProjectSlug(slug), `${name} → ${slug}`);
    }
  });
});

describe('isValidProjectSlug', () => {
  const cases: Array<[string, boolean]> = [
    ['a', true],
    ['bindery', true],
    ['my-project', true],
    ['a1-b2', true],
    ['123', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['', false],
    ['-a', false],
    ['a-', false],
    ['A', false],
    ['My-Project', false],
    ['a_b', false],
    ['a.b', false],
    ['a b', false],
    ['café', false],
  ];
  for (const [slug, valid] of cases) {
    test(`${JSON.stringify(slug.length > 40 ? `${slug.slice(0, 10)}…(${slug.length})` : slug)} → ${valid}`, () => {
      assert.equal(isValidProjectSlug(slug), valid);
    });
  }
});
