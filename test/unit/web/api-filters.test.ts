// Query strings read as Read the Docs reads them (django-filter's BooleanFilter, DRF's
// LimitOffsetPagination with PAGE_SIZE 10): no value a client sends makes them a 400.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LIMIT, MAX_LIMIT, normalizeQuery, pageLinks, parseDjangoBoolean, parseLimit, parseOffset, queryShape } from '../../../src/web/api/filters.ts';

test('booleans as django-filter reads them: true/false/1/0 in any case, else not applied', () => {
  for (const v of ['true', 'True', 'TRUE', '1']) assert.equal(parseDjangoBoolean(v), true, v);
  for (const v of ['false', 'False', 'fAlSe', '0']) assert.equal(parseDjangoBoolean(v), false, v);
  for (const v of ['yes', 'on', '', '2', 'truee', undefined]) assert.equal(parseDjangoBoolean(v), undefined, String(v));
});

test('limit and offset as LimitOffsetPagination reads them', () => {
  assert.equal(parseLimit('5'), 5);
  assert.equal(parseLimit(' 7 '), 7);
  for (const v of ['0', '-3', 'ten', '', '1.5']) assert.equal(parseLimit(v), DEFAULT_LIMIT, v);
  assert.equal(parseLimit('5000'), 5000, 'no maximum, as on Read the Docs');
  assert.equal(parseLimit('99999999999'), MAX_LIMIT, 'beyond what SQL takes: the largest it does');
  assert.equal(parseOffset('20'), 20);
  for (const v of ['-1', 'x', '']) assert.equal(parseOffset(v), 0, v);
});

test('a query is rewritten per its route schema: booleans, pagination, repeated and unknown parameters', () => {
  const shape = queryShape({ properties: { limit: { type: 'integer' }, offset: { type: 'integer' }, active: { type: 'boolean' }, built: { type: 'boolean' }, type: { type: 'string' } } })!;
  const query: Record<string, unknown> = { limit: '0', offset: 'abc', active: 'True', built: 'maybe', type: ['branch', 'tag'], other: 'kept' };
  normalizeQuery(query, shape);
  assert.deepEqual(query, { limit: DEFAULT_LIMIT, offset: 0, active: true, type: 'tag', other: 'kept' });
  assert.equal(queryShape(undefined), null);
});

test('page links as DRF writes them: the request URL with limit/offset replaced, keys sorted, no offset back to the first page', () => {
  const base = 'http://h/api/v3/projects/x/versions/';
  assert.deepEqual(pageLinks(`${base}?type=tag&active=True`, 25, 10, 0), { next: `${base}?active=True&limit=10&offset=10&type=tag`, previous: null });
  assert.deepEqual(pageLinks(`${base}?limit=10&offset=10`, 25, 10, 10), { next: `${base}?limit=10&offset=20`, previous: `${base}?limit=10` });
  assert.deepEqual(pageLinks(`${base}?offset=20&limit=10`, 25, 10, 20), { next: null, previous: `${base}?limit=10&offset=10` });
  assert.deepEqual(pageLinks(`${base}?offset=5`, 25, 10, 5), { next: `${base}?limit=10&offset=15`, previous: `${base}?limit=10` });
  // What the client sent is kept as sent, an unapplied filter and an odd limit included.
  assert.deepEqual(pageLinks(`${base}?active=maybe&limit=0`, 25, 10, 0).next, `${base}?active=maybe&limit=10&offset=10`);
});
