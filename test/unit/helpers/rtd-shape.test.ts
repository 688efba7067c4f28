// The fixture comparer the API contract tests rely on: it must catch every kind of shape drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertRtdShape, rtdFixture, rtdShapeMismatches } from '../../helpers/rtd-shape.ts';

test('a response with the fixture shape passes, whatever its values and extra keys', () => {
  const fixture = { id: 1, name: 'x', ok: true, gone: null, tags: ['a'], links: { self: 'u' } };
  assertRtdShape({ id: 99, name: 'other', ok: false, gone: null, tags: [], links: { self: 'v', more: 1 }, extra: 'mine' }, fixture);
});

test('every mismatch is reported at once, with its JSON path', () => {
  const fixture = { id: 1, repo: { url: 'u', type: 'git' }, users: [{ username: 'a' }], nothing: null };
  const found = rtdShapeMismatches({ id: '1', repo: { url: null }, users: [{ username: 'a' }, { name: 'b' }], nothing: 'x' }, fixture);
  assert.deepEqual(found, [
    '$.id: expected number, got string "1"',
    '$.repo.url: expected string, got null',
    '$.repo.type: missing',
    '$.users[1].username: missing',
    '$.nothing: expected null, got string "x"',
  ]);
  assert.throws(() => assertRtdShape({}, fixture), /\$\.id: missing[\s\S]*\$\.nothing: missing/);
});

test('"<a|b>" declares the allowed types; null in a fixture demands null', () => {
  const fixture = { ref: '<string|null>', anything: '<any>', blob: '<object>' };
  assert.deepEqual(rtdShapeMismatches({ ref: null, anything: [1], blob: { a: 1 } }, fixture), []);
  assert.deepEqual(rtdShapeMismatches({ ref: 'main', anything: null, blob: {} }, fixture), []);
  assert.deepEqual(rtdShapeMismatches({ ref: 3, anything: 1, blob: [] }, fixture), [
    '$.ref: expected string or null, got number 3',
    '$.blob: expected object, got array',
  ]);
  assert.throws(() => rtdShapeMismatches('x', '<strng>'), /unknown type "strng"/);
});

test('arrays: objects and arrays are not interchangeable, elements follow the first fixture element', () => {
  assert.deepEqual(rtdShapeMismatches({ a: {} }, { a: [] }), ['$.a: expected array, got object']);
  assert.deepEqual(rtdShapeMismatches([[1], ['x']], [[0]]), ['$[1][0]: expected number, got string "x"']);
  assert.deepEqual(rtdShapeMismatches(['x', 2], []), []);
});

test('the project detail fixture accepts a Read the Docs-shaped project and names what a drifted one lacks', () => {
  const fixture = rtdFixture('projects-detail') as Record<string, unknown>;
  const good = structuredClone(fixture);
  // Concrete values where the fixture declares alternatives.
  Object.assign(good, { homepage: null, subproject_of: null, translation_of: { id: 1 }, readthedocs_yaml_path: '.readthedocs.yaml' });
  Object.assign(good.urls as object, { downloads: null });
  const version = (good.active_versions as Record<string, unknown>[])[0]!;
  Object.assign(version, { ref: null, downloads: { epub: null, htmlzip: null, pdf: 'http://x/pdf' } });
  Object.assign(version.urls as object, { vcs: 'https://git.example.test/atlas/atlas/tree/v2.1/' });
  assertRtdShape(good, fixture);

  const drifted = structuredClone(good) as Record<string, unknown>;
  delete drifted.permissions;
  drifted.tags = 'maps';
  (drifted._links as Record<string, unknown>).sync_versions = undefined;
  assert.deepEqual(rtdShapeMismatches(drifted, fixture), [
    '$._links.sync_versions: expected string, got nothing (key missing)',
    '$.permissions: missing',
    '$.tags: expected array, got string "maps"',
  ]);
});
