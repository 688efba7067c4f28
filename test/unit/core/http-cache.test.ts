// Table tests of the HTTP rules for stored files: ETags, conditional requests, ranges,
// If-Range, content-coding negotiation and Cache-Control per kind of file.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  cacheControlFor, etagMatches, ifRangeAllows, isCompressible, isNotModified, makeEtag, negotiateEncoding, parseRange, type RangeResult,
} from '../../../src/core/http-cache.ts';

describe('makeEtag', () => {
  const base = makeEtag(7, 'guide/latest/7/html/index.html', 1234, 1_700_000_000_123);
  test('strong and quoted', () => assert.match(base, /^"[0-9a-z-]+"$/));
  test('stable for the same inputs', () => assert.equal(makeEtag(7, 'guide/latest/7/html/index.html', 1234, 1_700_000_000_123), base));
  const changes: Array<[string, string]> = [
    ['build', makeEtag(8, 'guide/latest/7/html/index.html', 1234, 1_700_000_000_123)],
    ['path', makeEtag(7, 'guide/latest/7/html/other.html', 1234, 1_700_000_000_123)],
    ['size', makeEtag(7, 'guide/latest/7/html/index.html', 1235, 1_700_000_000_123)],
    ['mtime', makeEtag(7, 'guide/latest/7/html/index.html', 1234, 1_700_000_001_123)],
    ['coding', makeEtag(7, 'guide/latest/7/html/index.html', 1234, 1_700_000_000_123, 'br')],
  ];
  for (const [what, etag] of changes) test(`changes with the ${what}`, () => assert.notEqual(etag, base));
});

describe('etagMatches and isNotModified', () => {
  const etag = '"abc"';
  const cases: Array<[string, boolean]> = [['"abc"', true], ['W/"abc"', true], ['"x", "abc"', true], [' "x" ,W/"abc" ', true], ['*', true], ['"abd"', false], ['abc', false], ['', false]];
  for (const [header, expected] of cases) test(`If-None-Match ${JSON.stringify(header)} → ${expected}`, () => assert.equal(etagMatches(header, etag), expected));
  const modified = new Date('2025-01-02T03:04:05.678Z');
  const rows: Array<[string, Parameters<typeof isNotModified>[0], boolean]> = [
    ['no conditionals', {}, false],
    ['same second', { ifModifiedSince: 'Thu, 02 Jan 2025 03:04:05 GMT' }, true],
    ['later', { ifModifiedSince: 'Thu, 02 Jan 2025 04:00:00 GMT' }, true],
    ['earlier', { ifModifiedSince: 'Thu, 02 Jan 2025 03:04:04 GMT' }, false],
    ['garbage date', { ifModifiedSince: 'yesterday' }, false],
    ['If-None-Match wins over a fresh date', { ifNoneMatch: '"old"', ifModifiedSince: 'Thu, 02 Jan 2025 04:00:00 GMT' }, false],
    ['If-None-Match match', { ifNoneMatch: etag }, true],
  ];
  for (const [name, req, expected] of rows) test(`isNotModified: ${name} → ${expected}`, () => assert.equal(isNotModified(req, etag, modified), expected));
});

describe('parseRange', () => {
  const cases: Array<[string | undefined, RangeResult]> = [
    [undefined, { kind: 'none' }],
    ['bytes=0-9', { kind: 'range', start: 0, end: 9 }],
    ['bytes=90-', { kind: 'range', start: 90, end: 99 }],
    ['bytes=-10', { kind: 'range', start: 90, end: 99 }],
    ['bytes=-1000', { kind: 'range', start: 0, end: 99 }],
    ['bytes=50-1000', { kind: 'range', start: 50, end: 99 }],
    ['BYTES = 1 - 2', { kind: 'range', start: 1, end: 2 }],
    ['bytes=100-', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=5-2', { kind: 'none' }],
    ['bytes=0-1,4-5', { kind: 'none' }],
    ['items=0-1', { kind: 'none' }],
    ['bytes=-', { kind: 'none' }],
    ['bytes=abc', { kind: 'none' }],
  ];
  for (const [header, expected] of cases) test(`${JSON.stringify(header)} of 100 bytes`, () => assert.deepEqual(parseRange(header, 100), expected));
  test('any range of an empty file is unsatisfiable', () => assert.deepEqual(parseRange('bytes=0-', 0), { kind: 'unsatisfiable' }));
});

describe('ifRangeAllows', () => {
  const modified = new Date('2025-01-02T03:04:05Z');
  const cases: Array<[string | undefined, boolean]> = [
    [undefined, true], ['"abc"', true], ['"abd"', false], ['W/"abc"', false],
    ['Thu, 02 Jan 2025 03:04:05 GMT', true], ['Thu, 02 Jan 2025 03:04:06 GMT', false], ['nonsense', false],
  ];
  for (const [header, expected] of cases) test(`${JSON.stringify(header)} → ${expected}`, () => assert.equal(ifRangeAllows(header, '"abc"', modified), expected));
});

describe('negotiateEncoding', () => {
  const both = ['br', 'gzip'] as const;
  const cases: Array<[string | undefined, readonly ('br' | 'gzip')[], string | null]> = [
    [undefined, both, null],
    ['', both, null],
    ['gzip, deflate, br', both, 'br'],
    ['gzip', both, 'gzip'],
    ['br', ['gzip'], null],
    ['br;q=0, gzip', both, 'gzip'],
    ['gzip;q=0.5, br;q=0.4', both, 'gzip'],
    ['*', both, 'br'],
    ['*;q=0, gzip', both, 'gzip'],
    ['identity', both, null],
    ['x-gzip', both, 'gzip'],
    ['GZIP', both, 'gzip'],
    ['br', [], null],
  ];
  for (const [header, available, expected] of cases) {
    test(`${JSON.stringify(header)} with ${available.join('+') || 'nothing'} → ${expected}`, () => assert.equal(negotiateEncoding(header, available), expected));
  }
});

describe('cacheControlFor and isCompressible', () => {
  const cases: Array<[string, string]> = [
    ['index.html', 'public, max-age=60'],
    ['a/page.htm', 'public, max-age=60'],
    ['_static/app.3f9a1c2b.js', 'public, max-age=31536000, immutable'],
    ['assets/main-5d41402abc4b.css', 'public, max-age=31536000, immutable'],
    ['assets/main.5d41402abc4b.min.js', 'public, max-age=31536000, immutable'],
    ['page.3f9a1c2b.html', 'public, max-age=60'],
    ['_static/style.css', 'public, max-age=600'],
    ['img/logo.png', 'public, max-age=600'],
    ['v1.2.3.js', 'public, max-age=600'],
  ];
  for (const [file, expected] of cases) test(`${file} → ${expected}`, () => assert.equal(cacheControlFor(file), expected));
  const types: Array<[string, boolean]> = [
    ['text/html; charset=utf-8', true], ['application/javascript; charset=utf-8', true], ['application/json', true], ['image/svg+xml', true],
    ['image/png', false], ['font/woff2', false], ['application/zip', false], ['application/pdf', false],
  ];
  for (const [type, expected] of types) test(`compressible ${type} → ${expected}`, () => assert.equal(isCompressible(type), expected));
});
