// Table tests of user redirects with Read the Docs' semantics: page / exact (with `*`,
// `:splat`, `$rest`), clean-URL ↔ html, force, enabled, position, query merging, loops
// and open-redirect protection.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findRedirect, matchFrom, mergeQuery, type RedirectRequest, type RedirectRule } from '../../../src/core/redirects.ts';

let nextId = 1;
const rule = (r: Partial<RedirectRule> & { type: string }): RedirectRule => ({
  id: nextId++, fromUrl: '', toUrl: '', httpStatus: 302, force: false, enabled: true, position: 0, ...r,
});
/** A request for `/en/<version>/<filename>` (or at the root for a single-version project). */
const req = (path: string, query = '', single = false): RedirectRequest => {
  const m = /^(\/[^/]+\/[^/]+)(\/.*)$/.exec(path);
  if (single) return { path, query, filename: path, versionBase: '' };
  return { path, query, filename: m ? m[2]! : null, versionBase: m ? m[1]! : null };
};

describe('findRedirect: one rule at a time', () => {
  const cases: Array<[string, RedirectRule, RedirectRequest, string | null, number?]> = [
    ['page: same language and version', rule({ type: 'page', fromUrl: '/old.html', toUrl: '/new.html' }), req('/en/v1/old.html'), '/en/v1/new.html'],
    ['page: from_url without leading slash', rule({ type: 'page', fromUrl: 'old.html', toUrl: 'new.html' }), req('/en/latest/old.html'), '/en/latest/new.html'],
    ['page: trailing slash ignored when matching', rule({ type: 'page', fromUrl: '/guide/', toUrl: '/manual/' }), req('/en/latest/guide'), '/en/latest/manual/'],
    ['page: other page', rule({ type: 'page', fromUrl: '/old.html', toUrl: '/new.html' }), req('/en/latest/older.html'), null],
    ['page: wildcard and splat', rule({ type: 'page', fromUrl: '/api/*', toUrl: '/reference/:splat' }), req('/en/latest/api/a/b.html'), '/en/latest/reference/a/b.html'],
    ['page: absolute to_url', rule({ type: 'page', fromUrl: '/gone.html', toUrl: 'https://example.org/x' }), req('/en/latest/gone.html'), 'https://example.org/x'],
    ['page: no version in the URL', rule({ type: 'page', fromUrl: '/old.html', toUrl: '/new.html' }), { path: '/old.html', query: '', filename: null, versionBase: null }, null],
    ['page: single-version project', rule({ type: 'page', fromUrl: '/old.html', toUrl: '/new.html' }), req('/old.html', '', true), '/new.html'],
    ['exact: whole path', rule({ type: 'exact', fromUrl: '/en/latest/a.html', toUrl: '/en/latest/b.html' }), req('/en/latest/a.html'), '/en/latest/b.html'],
    ['exact: other version does not match', rule({ type: 'exact', fromUrl: '/en/latest/a.html', toUrl: '/en/latest/b.html' }), req('/en/v1/a.html'), null],
    ['exact: prefix and splat', rule({ type: 'exact', fromUrl: '/en/v0/*', toUrl: '/en/latest/:splat' }), req('/en/v0/x/y.html'), '/en/latest/x/y.html'],
    ['exact: prefix with empty rest', rule({ type: 'exact', fromUrl: '/en/v0/*', toUrl: '/en/latest/:splat' }), req('/en/v0/'), '/en/latest/'],
    ['exact: legacy $rest appends the rest', rule({ type: 'exact', fromUrl: '/en/v0/$rest', toUrl: '/en/latest/' }), req('/en/v0/x.html'), '/en/latest/x.html'],
    ['exact: absolute URL with splat', rule({ type: 'exact', fromUrl: '/ext/*', toUrl: 'https://example.org/docs/:splat' }), req('/ext/a.html'), 'https://example.org/docs/a.html'],
    ['exact: 301', rule({ type: 'exact', fromUrl: '/a', toUrl: '/b', httpStatus: 301 }), req('/a'), '/b', 301],
    ['exact: other statuses become 302', rule({ type: 'exact', fromUrl: '/a', toUrl: '/b', httpStatus: 307 }), req('/a'), '/b', 302],
    ['exact: relative to_url stays on this host', rule({ type: 'exact', fromUrl: '/a', toUrl: 'b.html' }), req('/a'), '/b.html'],
    ['exact: decoded rest is re-encoded', rule({ type: 'exact', fromUrl: '/old/*', toUrl: '/new/:splat' }), req('/old/a b/é?.html'), '/new/a%20b/%C3%A9%3F.html'],
    ['clean_url_to_html: dir/', rule({ type: 'clean_url_to_html' }), req('/en/latest/guide/'), '/en/latest/guide.html'],
    ['clean_url_to_html: dir/index.html', rule({ type: 'clean_url_to_html' }), req('/en/latest/guide/index.html'), '/en/latest/guide.html'],
    ['clean_url_to_html: not the root', rule({ type: 'clean_url_to_html' }), req('/en/latest/'), null],
    ['clean_url_to_html: not a page', rule({ type: 'clean_url_to_html' }), req('/en/latest/guide.html'), null],
    ['html_to_clean_url: page.html', rule({ type: 'html_to_clean_url' }), req('/en/latest/guide.html'), '/en/latest/guide/'],
    ['html_to_clean_url: not index.html', rule({ type: 'html_to_clean_url' }), req('/en/latest/guide/index.html'), null],
    ['html_to_clean_url: not a dir', rule({ type: 'html_to_clean_url' }), req('/en/latest/guide/'), null],
    ['unknown type', rule({ type: 'sphinx_html', fromUrl: '/a', toUrl: '/b' }), req('/a'), null],
  ];
  for (const [name, r, request, location, status] of cases) {
    test(`${name} → ${location}`, () => {
      const match = findRedirect([r], request, 'not-found');
      assert.equal(match?.location ?? null, location);
      if (status) assert.equal(match!.status, status);
    });
  }
});

describe('findRedirect: open redirects and loops', () => {
  const cases: Array<[string, RedirectRule, RedirectRequest, string | null]> = [
    ['splat cannot make //host', rule({ type: 'exact', fromUrl: '/open/*', toUrl: '/:splat' }), req('/open//evil.example/x'), '/evil.example/x'],
    ['splat cannot make /\\host', rule({ type: 'exact', fromUrl: '/open/*', toUrl: '/:splat' }), req('/open/\\evil.example'), '/%5Cevil.example'],
    ['to_url //host is same-host', rule({ type: 'exact', fromUrl: '/a', toUrl: '//evil.example/x' }), req('/a'), '/evil.example/x'],
    ['page to_url //host is same-host', rule({ type: 'page', fromUrl: '/a.html', toUrl: '//evil.example' }), req('/en/latest/a.html'), '/en/latest//evil.example'],
    ['splat cannot change an absolute host', rule({ type: 'exact', fromUrl: '/x/*', toUrl: 'https://example.org:splat' }), req('/x/.evil.example'), null],
    ['splat cannot add credentials', rule({ type: 'exact', fromUrl: '/x/*', toUrl: 'https://example.org:splat' }), req('/x/@evil.example'), null],
    ['splat cannot change the port', rule({ type: 'exact', fromUrl: '/x/*', toUrl: 'https://example.org:splat' }), req('/x/:8443'), null],
    ['javascript: is a path here', rule({ type: 'exact', fromUrl: '/a', toUrl: 'javascript:alert(1)' }), req('/a'), '/javascript:alert(1)'],
    ['CR LF cannot split the header', rule({ type: 'exact', fromUrl: '/a', toUrl: '/b\r\nSet-Cookie: x=1' }), req('/a'), '/b%0D%0ASet-Cookie:%20x=1'],
    ['a redirect to itself is suppressed', rule({ type: 'page', fromUrl: '/a.html', toUrl: '/a.html' }), req('/en/latest/a.html'), null],
    ['to itself with the same query too', rule({ type: 'exact', fromUrl: '/a', toUrl: '/a?x=1' }), req('/a', '?x=1'), null],
    ['to itself with another query is not a loop', rule({ type: 'exact', fromUrl: '/a', toUrl: '/a?x=1' }), req('/a'), '/a?x=1'],
  ];
  for (const [name, r, request, location] of cases) {
    test(`${name} → ${location}`, () => {
      assert.equal(findRedirect([r], request, 'not-found')?.location ?? null, location);
    });
  }
});

describe('findRedirect: several rules', () => {
  test('force: only forced rules before serving; every enabled rule after a 404', () => {
    const rules = [rule({ type: 'page', fromUrl: '/a.html', toUrl: '/b.html' }), rule({ type: 'page', fromUrl: '/c.html', toUrl: '/d.html', force: true })];
    assert.equal(findRedirect(rules, req('/en/latest/a.html'), 'forced'), null);
    assert.equal(findRedirect(rules, req('/en/latest/a.html'), 'not-found')?.location, '/en/latest/b.html');
    assert.equal(findRedirect(rules, req('/en/latest/c.html'), 'forced')?.location, '/en/latest/d.html');
  });
  test('disabled rules never apply', () => {
    assert.equal(findRedirect([rule({ type: 'page', fromUrl: '/a.html', toUrl: '/b.html', enabled: false, force: true })], req('/en/latest/a.html'), 'not-found'), null);
  });
  test('the first by position wins, then the first created', () => {
    const rules = [
      rule({ type: 'page', fromUrl: '/a.html', toUrl: '/third.html', position: 2 }),
      rule({ type: 'page', fromUrl: '/a.html', toUrl: '/first.html', position: 1 }),
      rule({ type: 'exact', fromUrl: '/en/latest/a.html', toUrl: '/second.html', position: 1 }),
    ];
    const match = findRedirect(rules, req('/en/latest/a.html'), 'not-found');
    assert.equal(match?.location, '/en/latest/first.html');
    assert.equal(match?.ruleId, rules[1]!.id);
  });
  test('a looping first match stops the search, as on Read the Docs', () => {
    const rules = [rule({ type: 'page', fromUrl: '/a.html', toUrl: '/a.html', position: 0 }), rule({ type: 'page', fromUrl: '/a.html', toUrl: '/b.html', position: 1 })];
    assert.equal(findRedirect(rules, req('/en/latest/a.html'), 'not-found'), null);
  });
  test('the request query is merged into the target', () => {
    const rules = [rule({ type: 'exact', fromUrl: '/q', toUrl: '/t?from=q#part' })];
    assert.equal(findRedirect(rules, req('/q', '?x=1&from=z'), 'not-found')?.location, '/t?from=q&x=1#part');
  });
});

describe('matchFrom', () => {
  const cases: Array<[string, string, string | null]> = [
    ['/a.html', '/a.html', ''],
    ['/a/', '/a', ''],
    ['/a', '/a/', ''],
    ['/a', '/ab', null],
    ['/a/*', '/a/b/c', 'b/c'],
    ['/a*', '/ab', 'b'],
    ['/a/*', '/b/a/', null],
    ['*', '/anything', 'anything'],
    ['/a/$rest', '/a/x', 'x'],
  ];
  for (const [from, path, rest] of cases) {
    test(`${from} ~ ${path} → ${JSON.stringify(rest)}`, () => assert.equal(matchFrom(from, path), rest));
  }
});

describe('mergeQuery', () => {
  const cases: Array<[string, string, string]> = [
    ['/t', '', '/t'],
    ['/t', '?a=1', '/t?a=1'],
    ['/t', 'a=1&b=%20', '/t?a=1&b=%20'],
    ['/t?a=2', '?a=1&b=1', '/t?a=2&b=1'],
    ['/t?a=2', '?a%3D=1', '/t?a=2&a%3D=1'],
    ['/t#f', '?a=1', '/t?a=1#f'],
    ['/t?x=1#f', '?y=2', '/t?x=1&y=2#f'],
    ['https://example.org/t', '?a=1', 'https://example.org/t?a=1'],
  ];
  for (const [target, query, expected] of cases) {
    test(`${target} + ${query} → ${expected}`, () => assert.equal(mergeQuery(target, query), expected));
  }
});
