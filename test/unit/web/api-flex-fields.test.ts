// ?fields= / ?omit= / ?expand= as drf-flex-fields reads them on a root serializer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyRequest } from 'fastify';
import { applyFlexFields, requestedExpansions, takesFlexFields } from '../../../src/web/api/flex-fields.ts';

const project = { id: 1, name: 'A', slug: 'a', repository: { url: 'u', type: 'git' }, _links: { _self: 's' } };

test('fields keeps only the named top-level fields; omit drops them; unknown names are ignored', () => {
  assert.deepEqual(applyFlexFields(project, { fields: 'name,slug,nope' }), { name: 'A', slug: 'a' });
  assert.deepEqual(applyFlexFields(project, { omit: '_links,repository' }), { id: 1, name: 'A', slug: 'a' });
  assert.deepEqual(applyFlexFields(project, { fields: 'name,slug', omit: 'slug' }), { name: 'A' });
  // A dotted name keeps its top-level field whole; a dotted omit omits nothing at the top.
  assert.deepEqual(applyFlexFields(project, { fields: 'repository.url' }), { repository: { url: 'u', type: 'git' } });
  assert.deepEqual(applyFlexFields(project, { omit: 'repository.url' }), project);
  assert.equal(applyFlexFields(project, {}), project);
  assert.equal(applyFlexFields(project, { fields: '' }), project);
});

test('on a page, fields/omit apply to each result and leave the page fields alone', () => {
  const page = { count: 2, next: null, previous: null, results: [project, { ...project, id: 2 }] };
  assert.deepEqual(applyFlexFields(page, { fields: 'id' }), { count: 2, next: null, previous: null, results: [{ id: 1 }, { id: 2 }] });
});

test('expansions: the names asked for, or every known one for * and ~all', () => {
  const req = (expand?: string) => ({ query: expand === undefined ? {} : { expand } }) as unknown as FastifyRequest;
  assert.deepEqual([...requestedExpansions(req('active_versions, permissions'))], ['active_versions', 'permissions']);
  assert.deepEqual([...requestedExpansions(req('config.x'))], ['config']);
  assert.deepEqual([...requestedExpansions(req('*'), ['a', 'b'])], ['a', 'b']);
  assert.deepEqual([...requestedExpansions(req('~all'), ['a'])], ['a']);
  assert.equal(requestedExpansions(req()).size, 0);
  assert.equal(takesFlexFields({ properties: { fields: {}, omit: {}, expand: {} } }), true);
  assert.equal(takesFlexFields({ properties: { limit: {} } }), false);
});
