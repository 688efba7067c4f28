// Table-driven tests for how the docs host reads a request path: Read the Docs' URL
// layout (`/<lang>/<version>/<file>`), its redirects, and every hostile path refused.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { routeDocsPath, routeProjectParts, safeSegments, withQuery } from '../../../src/core/docs-path.ts';
import type { DocsProjectView, DocsRoute } from '../../../src/core/docs-path.ts';

// `stable` as the default version so redirects to the default are told apart from `/en/latest`.
const multi: DocsProjectView = { language: 'en', defaultVersion: 'stable', singleVersion: false };
const single: DocsProjectView = { language: 'en', defaultVersion: 'latest', singleVersion: true };

const redirect = (location: string): DocsRoute => ({ kind: 'redirect', location });
/** `filename` is what page redirects match: the path after the version, as requested. */
const filenameOf = (path: string) => (path === 'index.html' ? '/' : path.endsWith('/index.html') ? `/${path.slice(0, -'index.html'.length)}` : `/${path}`);
const file = (version: string, path: string, language = 'en'): DocsRoute => ({ kind: 'file', language, version, file: path, base: `/${language}/${version}/`, filename: filenameOf(path) });

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
  const f = (path: string): DocsRoute => ({ kind: 'file', language: 'en', version: 'latest', file: path, base: '/', filename: filenameOf(path) });
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

describe('routeDocsPath: translations, subprojects and reserved paths', () => {
  const site: DocsProjectView = { language: 'en', defaultVersion: 'stable', singleVersion: false, translations: { es: 'latest', 'pt-br': 'v2' } };
  const cases: Array<[string, DocsRoute]> = [
    ['/es/', redirect('/es/latest/')],
    ['/es', redirect('/es/latest/')],
    ['/pt-br/', redirect('/pt-br/v2/')],
    ['/es/v1', redirect('/es/v1/')],
    ['/es/v1/a.html', file('v1', 'a.html', 'es')],
    ['/fr/latest/', { kind: 'not-found' }],
    ['/constructor/latest/', { kind: 'not-found' }],
    ['/projects/plugin/', { kind: 'subproject', alias: 'plugin', prefix: '/projects/plugin', parts: [], trailingSlash: true }],
    ['/projects/plugin', redirect('/projects/plugin/')],
    ['/projects/plugin/en/latest/a.html', { kind: 'subproject', alias: 'plugin', prefix: '/projects/plugin', parts: ['en', 'latest', 'a.html'], trailingSlash: false }],
    ['/projects/my%20alias/', { kind: 'subproject', alias: 'my alias', prefix: '/projects/my%20alias', parts: [], trailingSlash: true }],
    ['/projects/', { kind: 'not-found' }],
    ['/robots.txt', { kind: 'robots' }],
    ['/sitemap.xml', { kind: 'sitemap' }],
    ['/robots.txt/', { kind: 'not-found' }],
    ['/_/health_check/', { kind: 'health' }],
    ['/_/health_check', { kind: 'health' }],
    ['/_/downloads/en/latest/pdf/', { kind: 'download', alias: null, language: 'en', version: 'latest', format: 'pdf' }],
    ['/_/downloads/en/latest/htmlzip', { kind: 'download', alias: null, language: 'en', version: 'latest', format: 'htmlzip' }],
    ['/_/downloads/plugin/es/v1/epub/', { kind: 'download', alias: 'plugin', language: 'es', version: 'v1', format: 'epub' }],
    ['/_/downloads/en/latest/docx/', { kind: 'not-found' }],
    ['/_/downloads/en/latest/toString/', { kind: 'not-found' }],
    ['/_/downloads/en/', { kind: 'not-found' }],
    ['/_/addons/', { kind: 'not-found' }],
    ['/_/', { kind: 'not-found' }],
  ];
  for (const [path, expected] of cases) {
    test(`${path} → ${expected.kind}`, () => assert.deepEqual(routeDocsPath(path, site), expected));
  }

  test('a single-version site keeps the reserved paths', () => {
    assert.deepEqual(routeDocsPath('/robots.txt', single), { kind: 'robots' });
    assert.equal(routeDocsPath('/_/downloads/en/latest/pdf/', single).kind, 'download');
    assert.equal(routeDocsPath('/projects/x/', single).kind, 'subproject');
  });
});

describe('routeProjectParts: a subproject mounted under its parent', () => {
  const child: DocsProjectView = { language: 'en', defaultVersion: 'stable', singleVersion: false };
  const cases: Array<[string[], boolean, DocsRoute]> = [
    [[], true, redirect('/projects/p/en/stable/')],
    [['en'], false, redirect('/projects/p/en/stable/')],
    [['en', 'v1'], false, redirect('/projects/p/en/v1/')],
    [['en', 'v1'], true, { kind: 'file', language: 'en', version: 'v1', file: 'index.html', base: '/projects/p/en/v1/', filename: '/' }],
    [['en', 'v1', 'a', 'b.html'], false, { kind: 'file', language: 'en', version: 'v1', file: 'a/b.html', base: '/projects/p/en/v1/', filename: '/a/b.html' }],
    [['de', 'v1'], true, { kind: 'not-found' }],
  ];
  for (const [parts, slash, expected] of cases) {
    test(`${JSON.stringify(parts)}${slash ? '/' : ''} → ${expected.kind}`, () => assert.deepEqual(routeProjectParts(parts, slash, child, '/projects/p'), expected));
  }
  test('a single-version subproject serves at its mount point', () => {
    assert.deepEqual(routeProjectParts(['a.html'], false, { ...child, singleVersion: true }, '/projects/p'), { kind: 'file', language: 'en', version: 'stable', file: 'a.html', base: '/projects/p/', filename: '/a.html' });
  });
});
