// Table-driven tests for how the docs host reads a request path: Read the Docs' URL
// layout (`/<lang>/<version>/<file>`), its redirects, and every hostile path refused.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { routeDocsPath, safeSegments, withQuery } from '../../../src/core/docs-path.ts';
import type { DocsProjectView, DocsRoute } from '../../../src/core/docs-path.ts';

// `stable` as the default version so redirects to the default are told apart from `/en/latest`.
const multi: DocsProjectView = { language: 'en', defaultVersion: 'stable', singleVersion: false };
const single: DocsProjectView = { language: 'en', defaultVersion: 'latest', singleVersion: true };

const redirect = (location: string): DocsRoute => ({ kind: 'redirect', location });
const file = (version: string, path: string, language = 'en'): DocsRoute => ({ kind: 'file', language, version, file: path, base: `/${language}/${version}/` });

describe('routeDocsPath: multi-version project', () => {
  const cases: Array<[string, DocsRoute]> = [
    ['/', redirect('/en/stable/')],
    ['/en', redirect('/en/stable/')],
    ['/en/', redirect('/en/stable/')],
    ['/en/latest', redirect('/en/latest/')],
    ['/en/v1.0', redirect('/en/v1.0/')],
    ['/en/a%20b', redirect('/en/a%20b/')],
    ['/en/latest/', file('latest', 'index.html')],
    ['/en/stable/', file('stable', 'index.html')],
    ['/en/latest/guide/', file('latest', 'guide/index.html')],
    ['/en/latest/guide/deep/', file('latest', 'guide/deep/index.html')],
    ['/en/latest/a.html', file('latest', 'a.html')],
    ['/en/latest/guide/setup.html', file('latest', 'guide/setup.html')],
    ['/en/latest/guide', file('latest', 'guide')],
    ['/en/v1.0/_static/style.css', file('v1.0', '_static/style.css')],
    ['/en/latest/a%20b.html', file('latest', 'a b.html')],
    ['/en/latest/...', file('latest', '...')],
    ['/en/latest/a..b.html', file('latest', 'a..b.html')],
    ['/fr/latest/', { kind: 'not-found' }],
    ['/fr/latest/a.html', { kind: 'not-found' }],
    ['/fr', { kind: 'not-found' }],
    ['/EN/latest/', { kind: 'not-found' }],
    ['/favicon.ico', { kind: 'not-found' }],
  ];
  for (const [path, expected] of cases) {
    test(`${path} → ${expected.kind}${'location' in expected ? ` ${expected.location}` : 'file' in expected ? ` ${expected.file}` : ''}`, () => {
      assert.deepEqual(routeDocsPath(path, multi), expected);
    });
  }

  test('a project in another language routes its own language only', () => {
    const de: DocsProjectView = { language: 'de', defaultVersion: 'latest', singleVersion: false };
    assert.deepEqual(routeDocsPath('/', de), redirect('/de/latest/'));
    assert.deepEqual(routeDocsPath('/de/latest/x.html', de), file('latest', 'x.html', 'de'));
    assert.deepEqual(routeDocsPath('/en/latest/x.html', de), { kind: 'not-found' });
  });
});

describe('routeDocsPath: single-version project', () => {
  const f = (path: string): DocsRoute => ({ kind: 'file', language: 'en', version: 'latest', file: path, base: '/' });
  const cases: Array<[string, DocsRoute]> = [
    ['/', f('index.html')],
    ['/guide/', f('guide/index.html')],
    ['/a.html', f('a.html')],
    ['/guide/setup.html', f('guide/setup.html')],
    ['/guide', f('guide')],
    // No language/version prefix is read: the path is a file of the default version.
    ['/en/latest/', f('en/latest/index.html')],
    ['/en', f('en')],
  ];
  for (const [path, expected] of cases) {
    test(`${path} → ${expected.kind === 'file' ? expected.file : expected.kind}`, () => {
      assert.deepEqual(routeDocsPath(path, single), expected);
    });
  }
});

describe('routeDocsPath: protocol-relative paths become same-host redirects', () => {
  const cases: Array<[string, string]> = [
    ['//evil.example/x', '/evil.example/x'],
    ['//evil.example', '/evil.example'],
    ['///evil.example/x', '/evil.example/x'],
    ['//', '/'],
  ];
  for (const project of [multi, single]) {
    for (const [path, location] of cases) {
      test(`${project.singleVersion ? 'single' : 'multi'}: ${path} → ${location}`, () => {
        const route = routeDocsPath(path, project);
        assert.deepEqual(route, redirect(location));
        assert.ok(route.kind === 'redirect' && route.location.startsWith('/') && !route.location.startsWith('//'));
      });
    }
  }
});

describe('routeDocsPath: hostile paths are bad requests', () => {
  const cases = [
    '/en/latest/../secret',
    '/en/latest/..',
    '/..',
    '/../etc/passwd',
    '/en/latest/%2e%2e/secret',
    '/en/latest/%2E%2e/secret',
    '/en/latest/%2E%2E',
    '/en/latest/.%2e/x',
    '/%2e%2e/',
    '/en/latest/./x',
    '/en/latest/.',
    '/en/latest/%2e/x',
    '/en/latest/a%2fb',
    '/en/latest/a%2Fb',
    '/en/%2F/x',
    '/en/latest/a%5cb',
    '/en/latest/a%5Cb',
    '/en/latest/a\\b',
    '/\\evil.example',
    '/en/latest/a%00b',
    '/en/latest/%00',
    '/en/latest/%zz',
    '/en/latest/%',
    '/en/latest/%e',
    '/en/latest/%c0%ae%c0%ae/x',
    'en/latest/',
    '',
  ];
  for (const project of [multi, single]) {
    for (const path of cases) {
      test(`${project.singleVersion ? 'single' : 'multi'}: ${JSON.stringify(path)}`, () => {
        const route = routeDocsPath(path, project);
        assert.equal(route.kind, 'bad-request', JSON.stringify(route));
        assert.ok(route.kind === 'bad-request' && route.reason.length > 0);
      });
    }
  }
});

describe('safeSegments', () => {
  const ok: Array<[string, string[]]> = [
    ['a/b', ['a', 'b']],
    ['a%20b/c', ['a b', 'c']],
    ['caf%C3%A9.html', ['café.html']],
    ['a/', ['a', '']],
    ['', ['']],
    ['a//b', ['a', '', 'b']],
    ['...', ['...']],
  ];
  for (const [raw, segments] of ok) {
    test(`${JSON.stringify(raw)} → ${JSON.stringify(segments)}`, () => {
      assert.deepEqual(safeSegments(raw), { ok: true, segments });
    });
  }

  const bad: Array<[string, RegExp]> = [
    ['..', /relative/],
    ['a/../b', /relative/],
    ['%2e%2e', /relative/],
    ['%2E%2e', /relative/],
    ['.', /relative/],
    ['a/%2e', /relative/],
    ['a%2fb', /slash/],
    ['a%5cb', /backslash/],
    ['a\\b', /backslash/],
    ['a%00b', /NUL/],
    ['%zz', /malformed/],
    ['%', /malformed/],
  ];
  for (const [raw, reason] of bad) {
    test(`${JSON.stringify(raw)} is refused`, () => {
      const result = safeSegments(raw);
      assert.equal(result.ok, false);
      assert.ok(!result.ok);
      assert.match(result.reason, reason);
    });
  }
});

describe('withQuery', () => {
  const cases: Array<[string, string, string]> = [
    ['/en/latest/', '', '/en/latest/'],
    ['/en/latest/', '?', '/en/latest/'],
    ['/en/latest/', '?a=1', '/en/latest/?a=1'],
    ['/en/latest/', 'a=1', '/en/latest/?a=1'],
    ['/en/latest/', '?a=1&b=2', '/en/latest/?a=1&b=2'],
    ['/en/latest/?x=1', '?a=1', '/en/latest/?x=1&a=1'],
    ['/en/latest/?x=1', '', '/en/latest/?x=1'],
  ];
  for (const [location, query, expected] of cases) {
    test(`${location} + ${JSON.stringify(query)} → ${expected}`, () => {
      assert.equal(withQuery(location, query), expected);
    });
  }

  test('a redirect from routing keeps the request query', () => {
    const route = routeDocsPath('/en/latest', multi);
    assert.ok(route.kind === 'redirect');
    assert.equal(withQuery(route.location, '?highlight=install'), '/en/latest/?highlight=install');
  });
});
