// When the docs hosts could toss cookies into the dashboard (a start-up warning over http).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedCookieParent } from '../../../src/core/cookie-scope.ts';

test('a parent domain shared by the dashboard and the docs hosts is named', () => {
  const cases: [string, string, string | null][] = [
    ['example.com', 'docs.example.com', 'example.com'],
    ['bindery.example.com', 'docs.example.com', 'example.com'],
    ['bindery.example.com:8443', 'example.com', 'example.com'],
    ['Bindery.Example.COM.', 'docs.example.com', 'example.com'],
    ['bindery.example.com', 'example.org', null],
    ['bindery.example.com', 'docs.example.io', null],
    // One label is a top-level name (or localhost): browsers refuse cookies for it.
    ['localhost:8000', 'docs.localhost', null],
    ['bindery.localhost', 'docs.localhost', null],
    ['127.0.0.1:8000', 'docs.localhost', null],
    ['[::1]:8000', 'docs.localhost', null],
  ];
  for (const [web, docs, expected] of cases) assert.equal(sharedCookieParent(web, docs), expected, `${web} / ${docs}`);
});
