// Table-driven tests for how the docs host reads a request path: Read the Docs' URL
// layout (`/<lang>/<version>/<file>`), its redirects, and every hostile path refused.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { routeDocsPath, routeInProject, routeProjectParts, safeSegments, versionPath, withQuery } from '../../../src/core/docs-path.ts';
import type { DocsProjectView, DocsRoute } from '../../../src/core/docs-path.ts';

// `stable` as the default version so redirects to the default are told apart from `/en/latest`.
const multi: DocsProjectView = { language: 'en', defaultVersion: 'stable', singleVersion: false };
const single: DocsProjectView = { language: 'en', defaultVersion: 'latest', singleVersion: true };

const redirect = (location: string): DocsRoute => ({ kind: 'redirect', location });
/** A redirect made only once the version is known to exist (a slash after it, an old language code). */
const known = (location: string, version: string, language = 'en'): DocsRoute => ({ kind: 'redirect', location, ifVersion: { language, version } });
/** A path fix (repeated slashes): answered on the host asked. */
const collapse = (location: string): DocsRoute => ({ kind: 'redirect', location, sameHost: true });
/** `filename` is what page redirects match: the path after the version, as requested. */
const filenameOf = (path: string) => (path === 'index.html' ? '/' : path.endsWith('/index.html') ? `/${path.slice(0, -'index.html'.length)}` : `/${path}`);
const file = (version: string, path: string, language = 'en'): DocsRoute => ({ kind: 'file', language, version, file: path, base: `/${language}/${version}/`, filename: filenameOf(path) });

describe('routeDocsPath: multi-version project', () => {
  const cases: Array<[string, DocsRoute]> = [
    ['/', redirect('/en/stable/')],
    ['/en', redirect('/en/stable/')],
    ['/en/', redirect('/en/stable/')],
    ['/en/latest', known('/en/latest/', 'latest')],
    ['/en/v1.0', known('/en/v1.0/', 'v1.0')],
    ['/en/a%20b', known('/en/a%20b/', 'a b')],
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
        assert.deepEqual(route, collapse(location));
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
    ['/es/v1', known('/es/v1/', 'v1', 'es')],
    ['/es/v1/a.html', file('v1', 'a.html', 'es')],
    ['/fr/latest/', { kind: 'not-found' }],
    ['/constructor/latest/', { kind: 'not-found' }],
    ['/projects/plugin/', { kind: 'subproject', trailingSlash: true, otherwise: { kind: 'not-found' }, segments: ['plugin'], under: '/projects' }],
    // Routed by the subproject (→ its default version), or a 404 when there is none.
    ['/projects/plugin', { kind: 'subproject', trailingSlash: false, otherwise: { kind: 'not-found' }, segments: ['plugin'], under: '/projects' }],
    ['/projects/plugin/en/latest/a.html', { kind: 'subproject', trailingSlash: false, otherwise: { kind: 'not-found' }, segments: ['plugin', 'en', 'latest', 'a.html'], under: '/projects' }],
    ['/projects/my%20alias/', { kind: 'subproject', trailingSlash: true, otherwise: { kind: 'not-found' }, segments: ['my alias'], under: '/projects' }],
    ['/projects/', { kind: 'not-found' }],
    ['/robots.txt', { kind: 'robots' }],
    ['/sitemap.xml', { kind: 'sitemap' }],
    ['/robots.txt/', { kind: 'not-found' }],
    ['/_/health_check/', { kind: 'health' }],
    ['/_/health_check', { kind: 'health' }],
    ['/_/downloads/en/latest/pdf/', { kind: 'download', alias: null, language: 'en', version: 'latest', format: 'pdf' }],
    ['/_/downloads/en/latest/htmlzip', { kind: 'download', alias: null, language: 'en', version: 'latest', format: 'htmlzip' }],
    ['/_/downloads/plugin/es/v1/epub/', { kind: 'download', alias: 'plugin', language: 'es', version: 'v1', format: 'epub' }],
    ['/_/downloads/api/python/en/v1/pdf/', { kind: 'download', alias: 'api/python', language: 'en', version: 'v1', format: 'pdf' }],
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

  test('in a single-version project, /projects/<x> is a file unless <x> is a subproject', () => {
    const route = routeDocsPath('/projects/x/a.html', single);
    assert.ok(route.kind === 'subproject');
    assert.deepEqual(route.otherwise, { kind: 'file', language: 'en', version: 'latest', file: 'projects/x/a.html', base: '/', filename: '/projects/x/a.html' });
  });
});

describe('routeProjectParts: a subproject mounted under its parent', () => {
  const child: DocsProjectView = { language: 'en', defaultVersion: 'stable', singleVersion: false };
  const cases: Array<[string[], boolean, DocsRoute]> = [
    [[], true, redirect('/projects/p/en/stable/')],
    [[], false, redirect('/projects/p/en/stable/')],
    [['en'], false, redirect('/projects/p/en/stable/')],
    [['en', 'v1'], false, known('/projects/p/en/v1/', 'v1')],
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

describe("routeDocsPath: Read the Docs' URL conventions", () => {
  const site: DocsProjectView = { language: 'en', defaultVersion: 'stable', singleVersion: false, translations: { 'pt-br': 'latest', 'zh-cn': 'latest', zh: 'latest' } };
  const cases: Array<[string, DocsProjectView, DocsRoute]> = [
    // /page/<file>: that file in the default version, in the project's layout.
    ['/page/install.html', site, redirect('/en/stable/install.html')],
    ['/page/guide/', site, redirect('/en/stable/guide/')],
    ['/page/', site, redirect('/en/stable/')],
    ['/page', site, redirect('/en/stable/')],
    ['/page/a%20b.html', site, redirect('/en/stable/a%20b.html')],
    ['/page/install.html', single, redirect('/install.html')],
    ['/projects/sub/page/install.html', site, { kind: 'page', alias: 'sub', prefix: '/projects/sub', parts: ['install.html'], trailingSlash: false }],
    // Old language codes are read and redirected to the current code; `zh` is served as it is.
    ['/pt_BR/latest/index.html', site, known('/pt-br/latest/index.html', 'latest', 'pt-br')],
    ['/pt_BR/latest/', site, known('/pt-br/latest/', 'latest', 'pt-br')],
    ['/zh_CN/latest/a/b.html', site, known('/zh-cn/latest/a/b.html', 'latest', 'zh-cn')],
    ['/pt_BR/', site, redirect('/pt-br/latest/')],
    ['/zh/latest/a.html', site, file('latest', 'a.html', 'zh')],
    ['/pt-BR/latest/', site, { kind: 'not-found' }],
    // Repeated slashes collapse with a redirect (the query is added by the caller).
    ['/en//latest/', site, collapse('/en/latest/')],
    ['/en/latest//a.html', site, collapse('/en/latest/a.html')],
    ['/en/latest/guide//', site, collapse('/en/latest/guide/')],
  ];
  for (const [path, view, expected] of cases) {
    test(`${path}${view === single ? ' (single)' : ''} → ${expected.kind}${'location' in expected ? ` ${expected.location}` : ''}`, () => assert.deepEqual(routeDocsPath(path, view), expected));
  }
});

describe('routeDocsPath: versioning schemes', () => {
  const without: DocsProjectView = { language: 'en', defaultVersion: 'stable', singleVersion: false, versioningScheme: 'multiple_versions_without_translations' };
  const f = (version: string, path: string, base = `/${version}/`): DocsRoute => ({ kind: 'file', language: 'en', version, file: path, base, filename: filenameOf(path) });
  const cases: Array<[string, DocsRoute]> = [
    ['/', redirect('/stable/')],
    ['/latest', known('/latest/', 'latest')],
    ['/latest/', f('latest', 'index.html')],
    ['/latest/a/b.html', f('latest', 'a/b.html')],
    // Without translations a language-looking first segment is a version.
    ['/en/', f('en', 'index.html')],
    ['/en/latest/', f('en', 'latest/index.html')],
  ];
  for (const [path, expected] of cases) {
    test(`without translations: ${path} → ${expected.kind}`, () => assert.deepEqual(routeDocsPath(path, without), expected));
  }

  test('a version named `projects` loses to a subproject, and is served when there is none', () => {
    const route = routeDocsPath('/projects/x/', without);
    assert.ok(route.kind === 'subproject');
    assert.deepEqual(route.otherwise, f('projects', 'x/index.html'));
  });

  test('with translations a language comes first, before subprojects', () => {
    const site: DocsProjectView = { language: 'en', defaultVersion: 'latest', singleVersion: false };
    assert.deepEqual(routeDocsPath('/en/projects/', site), file('projects', 'index.html'));
  });
});

describe('routeDocsPath: custom prefixes', () => {
  const prefixed: DocsProjectView = { language: 'en', defaultVersion: 'latest', singleVersion: false, customPrefix: '/docs/', customSubprojectPrefix: '/libs/' };
  const cases: Array<[string, DocsRoute]> = [
    ['/', redirect('/docs/en/latest/')],
    ['/docs', redirect('/docs/en/latest/')],
    ['/docs/', redirect('/docs/en/latest/')],
    ['/docs/en', redirect('/docs/en/latest/')],
    ['/docs/en/latest', known('/docs/en/latest/', 'latest')],
    ['/docs/en/latest/a.html', { kind: 'file', language: 'en', version: 'latest', file: 'a.html', base: '/docs/en/latest/', filename: '/a.html' }],
    ['/en/latest/a.html', { kind: 'not-found' }],
    ['/projects/x/', { kind: 'not-found' }],
    ['/libs/x/', { kind: 'subproject', trailingSlash: true, otherwise: { kind: 'not-found' }, segments: ['x'], under: '/libs' }],
  ];
  for (const [path, expected] of cases) {
    test(`prefix /docs/: ${path} → ${expected.kind}${'location' in expected ? ` ${expected.location}` : ''}`, () => assert.deepEqual(routeDocsPath(path, prefixed), expected));
  }

  test('a single-version project under a prefix', () => {
    const view: DocsProjectView = { language: 'en', defaultVersion: 'latest', singleVersion: true, customPrefix: '/docs/' };
    assert.deepEqual(routeDocsPath('/', view), redirect('/docs/'));
    assert.deepEqual(routeDocsPath('/docs', view), redirect('/docs/'));
    assert.deepEqual(routeDocsPath('/docs/a.html', view), { kind: 'file', language: 'en', version: 'latest', file: 'a.html', base: '/docs/', filename: '/a.html' });
    assert.deepEqual(routeDocsPath('/a.html', view), { kind: 'not-found' });
  });

  test("a subproject's own prefix applies under its mount", () => {
    const child: DocsProjectView = { language: 'en', defaultVersion: 'latest', singleVersion: false, customPrefix: '/api/' };
    assert.deepEqual(routeInProject([], true, child, '/projects/p'), redirect('/projects/p/api/en/latest/'));
    assert.deepEqual(routeInProject(['api', 'en', 'v1', 'x.html'], false, child, '/projects/p'), { kind: 'file', language: 'en', version: 'v1', file: 'x.html', base: '/projects/p/api/en/v1/', filename: '/x.html' });
  });
});

describe('routeDocsPath: a preview host serves its one version', () => {
  const preview: DocsProjectView = { language: 'en', defaultVersion: '7', singleVersion: false, fixedVersion: '7' };
  test('the root goes to the preview', () => assert.deepEqual(routeDocsPath('/', preview), redirect('/en/7/')));
  test("the host's version wins over the path's", () => {
    assert.deepEqual(routeDocsPath('/en/latest/a.html', preview), { kind: 'file', language: 'en', version: '7', file: 'a.html', base: '/en/7/', filename: '/a.html' });
  });
  test('/page/ goes to the preview', () => assert.deepEqual(routeDocsPath('/page/a.html', preview), redirect('/en/7/a.html')));
  test('a single-version preview: every path is a file of it', () => {
    assert.deepEqual(routeDocsPath('/a.html', { ...preview, singleVersion: true }), { kind: 'file', language: 'en', version: '7', file: 'a.html', base: '/', filename: '/a.html' });
  });
});

describe('versionPath: where a version lives (base_resolve_path)', () => {
  const cases: Array<[DocsProjectView, string]> = [
    [{ language: 'es', defaultVersion: 'latest', singleVersion: false }, '/es/v1/a.html'],
    [{ language: 'es', defaultVersion: 'latest', singleVersion: true }, '/a.html'],
    [{ language: 'es', defaultVersion: 'latest', singleVersion: false, versioningScheme: 'multiple_versions_without_translations' }, '/v1/a.html'],
    [{ language: 'es', defaultVersion: 'latest', singleVersion: false, customPrefix: '/docs/' }, '/docs/es/v1/a.html'],
  ];
  for (const [view, expected] of cases) test(expected, () => assert.equal(versionPath(view, view.language, 'v1', 'a.html'), expected));
});
