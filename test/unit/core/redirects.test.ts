// Table tests of user redirects with Read the Docs' semantics: page / exact (with `*`,
// `:splat`), clean-URL ↔ html, force, enabled, position, query merging, loops
// and open-redirect protection.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findRedirect, matches, mergeQuery, normalizeFromUrl, parseQuery, wouldLoop, type RedirectRequest, type RedirectRule } from '../../../src/core/redirects.ts';

let nextId = 1;
const rule = (r: Partial<RedirectRule> & { type: string }): RedirectRule => ({
  id: nextId++, fromUrl: '', toUrl: '', httpStatus: 302, force: false, enabled: true, position: 0, ...r,
});
/** A request for `/en/<version>/<filename>` (or at the root for a single-version project). */
const req = (path: string, query = '', single = false): RedirectRequest => {
  const m = /^(\/[^/]+\/[^/]+)(\/.*)$/.exec(path);
  if (single) return { path, query, filename: path, versionBase: '' };
  return { path, query, filename: m ? m[2]! : null, versionBase: m ? m[1]! : null, host: 'guide.docs.localhost' };
};

describe('findRedirect: one rule at a time', () => {
  const cases: Array<[string, RedirectRule, RedirectRequest, string | null, number?]> = [
    ['page: same language and version', rule({ type: 'page', fromUrl: '/old.html', toUrl: '/new.html' }), req('/en/v1/old.html'), '/en/v1/new.html'],
    ['page: from_url without leading slash', rule({ type: 'page', fromUrl: 'old.html', toUrl: 'new.html' }), req('/en/latest/old.html'), '/en/latest/new.html'],
    ['page: trailing slash ignored when matching', rule({ type: 'page', fromUrl: '/guide/', toUrl: '/manual/' }), req('/en/latest/guide'), '/en/latest/manual/'],
    ['page: other page', rule({ type: 'page', fromUrl: '/old.html', toUrl: '/new.html' }), req('/en/latest/older.html'), null],
    ['page: wildcard and splat', rule({ type: 'page', fromUrl: '/api/*', toUrl: '/reference/:splat' }), req('/en/latest/api/a/b.html'), '/en/latest/reference/a/b.html'],
    ['page: absolute to_url', rule({ type: 'page', fromUrl: '/gone.html', toUrl: 'https://example.org/x' }), req('/en/latest/gone.html'), 'https://example.org/x'],
    ['page: no version in the URL, only exact rules asked', rule({ type: 'page', fromUrl: '/old.html', toUrl: '/new.html' }), { path: '/old.html', query: '', filename: null, versionBase: null }, null],
    ['page: a version-less path goes to the default version', rule({ type: 'page', fromUrl: '/old.html', toUrl: '/new.html' }), { path: '/old.html', query: '', filename: '/old.html', versionBase: '/en/latest' }, '/en/latest/new.html'],
    ['page: wildcard matches the filename as sent (no trailing-slash folding)', rule({ type: 'page', fromUrl: '/api/*', toUrl: '/ref/:splat' }), req('/en/latest/api'), null],
    ['page: matching is case-sensitive', rule({ type: 'page', fromUrl: '/Old.html', toUrl: '/new.html' }), req('/en/latest/old.html'), null],
    ['page: single-version project', rule({ type: 'page', fromUrl: '/old.html', toUrl: '/new.html' }), req('/old.html', '', true), '/new.html'],
    ['exact: whole path', rule({ type: 'exact', fromUrl: '/en/latest/a.html', toUrl: '/en/latest/b.html' }), req('/en/latest/a.html'), '/en/latest/b.html'],
    ['exact: other version does not match', rule({ type: 'exact', fromUrl: '/en/latest/a.html', toUrl: '/en/latest/b.html' }), req('/en/v1/a.html'), null],
    ['exact: prefix and splat', rule({ type: 'exact', fromUrl: '/en/v0/*', toUrl: '/en/latest/:splat' }), req('/en/v0/x/y.html'), '/en/latest/x/y.html'],
    ['exact: prefix with empty rest', rule({ type: 'exact', fromUrl: '/en/v0/*', toUrl: '/en/latest/:splat' }), req('/en/v0/'), '/en/latest/'],
    ['exact: $rest is no wildcard any more (Read the Docs removed it)', rule({ type: 'exact', fromUrl: '/en/v0/$rest', toUrl: '/en/latest/' }), req('/en/v0/x.html'), null],
    ['exact: every :splat is replaced', rule({ type: 'exact', fromUrl: '/a/*', toUrl: '/b/:splat?from=:splat' }), req('/a/x'), '/b/x?from=x'],
    ['exact: * alone takes the whole path', rule({ type: 'exact', fromUrl: '*', toUrl: '/en/latest/:splat' }), req('/x/y.html'), '/en/latest/x/y.html'],
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
    ['clean_url_to_html: not on a version-less request', rule({ type: 'clean_url_to_html' }), { path: '/guide/', query: '', filename: null, versionBase: null }, null],
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
    ['to itself with another query is a loop too (only host and path count)', rule({ type: 'exact', fromUrl: '/a', toUrl: '/a?x=1' }), req('/a'), null],
    ['to itself on https is a loop', rule({ type: 'exact', fromUrl: '/a', toUrl: 'https://guide.docs.localhost/a' }), req('/a'), null],
    ['to the same path on another host is not', rule({ type: 'exact', fromUrl: '/a', toUrl: 'https://example.org/a' }), req('/a'), 'https://example.org/a'],
    ['/* → /en/latest/:splat from a page under /en/latest/ does not chain', rule({ type: 'exact', fromUrl: '/*', toUrl: '/en/latest/:splat' }), req('/en/latest/missing.html'), null],
    ['/* → /en/latest/:splat from elsewhere redirects once', rule({ type: 'exact', fromUrl: '/*', toUrl: '/en/latest/:splat' }), req('/install.html'), '/en/latest/install.html'],
    ['page /dir/* → /dir/sub/:splat stops under /dir/sub/', rule({ type: 'page', fromUrl: '/dir/*', toUrl: '/dir/sub/:splat' }), req('/en/latest/dir/sub/x.html'), null],
    ['page /dir/* → /dir/sub/:splat from /dir/x.html', rule({ type: 'page', fromUrl: '/dir/*', toUrl: '/dir/sub/:splat' }), req('/en/latest/dir/x.html'), '/en/latest/dir/sub/x.html'],
    ['a target outside the prefix is not a loop guard case', rule({ type: 'exact', fromUrl: '/old/*', toUrl: '/new/:splat' }), req('/old/new/x'), '/new/new/x'],
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
  test('the first by position wins, then the newest (Read the Docs orders by -update_dt)', () => {
    const rules = [
      rule({ type: 'page', fromUrl: '/a.html', toUrl: '/third.html', position: 2 }),
      rule({ type: 'exact', fromUrl: '/en/latest/a.html', toUrl: '/second.html', position: 1 }),
      rule({ type: 'page', fromUrl: '/a.html', toUrl: '/first.html', position: 1 }),
    ];
    const match = findRedirect(rules, req('/en/latest/a.html'), 'not-found');
    assert.equal(match?.location, '/en/latest/first.html');
    assert.equal(match?.ruleId, rules[2]!.id);
  });
  test('a looping first match stops the search, as on Read the Docs', () => {
    const rules = [rule({ type: 'page', fromUrl: '/a.html', toUrl: '/a.html', position: 0 }), rule({ type: 'page', fromUrl: '/a.html', toUrl: '/b.html', position: 1 })];
    assert.equal(findRedirect(rules, req('/en/latest/a.html'), 'not-found'), null);
  });
  test('the request query is merged into the target', () => {
    const rules = [rule({ type: 'exact', fromUrl: '/q', toUrl: '/t?from=q#part' })];
    assert.equal(findRedirect(rules, req('/q', '?x=1&from=z'), 'not-found')?.location, '/t?x=1&from=z&from=q#part');
  });
  test('the first matching rule is the only one tried, even when it would loop', () => {
    const rules = [rule({ type: 'exact', fromUrl: '/*', toUrl: '/en/latest/:splat', position: 0 }), rule({ type: 'exact', fromUrl: '/en/latest/*', toUrl: '/en/stable/:splat', position: 1 })];
    assert.equal(findRedirect(rules, req('/en/latest/x.html'), 'not-found'), null);
  });
  test('a rule that does not match does not stop the search', () => {
    const rules = [rule({ type: 'page', fromUrl: '/zzz.html', toUrl: '/y.html', position: 0 }), rule({ type: 'page', fromUrl: '/a.html', toUrl: '/b.html', position: 1 })];
    assert.equal(findRedirect(rules, req('/en/latest/a.html'), 'not-found')?.location, '/en/latest/b.html');
  });
});

describe('matches: from_url as Read the Docs stores it', () => {
  const cases: Array<[string, string, string, boolean]> = [
    ['exact', '/a.html', '/a.html', true],
    ['exact', '/a/', '/a', true],
    ['exact', '/a', '/a/', true],
    ['exact', '/a', '/ab', false],
    ['exact', '/a/*', '/a/b/c', true],
    ['exact', '/a*', '/ab', true],
    ['exact', '/a/*', '/b/a/', false],
    ['exact', '/a/*', '/a', false],
    ['exact', '*', '/anything', true],
    ['exact', '/', '/', true],
    ['exact', '/$rest', '/x', false],
  ];
  for (const [type, from, path, expected] of cases) {
    test(`${type} ${from} ~ ${path} → ${expected}`, () => assert.equal(matches(rule({ type, fromUrl: from, toUrl: '/t' }), { path, query: '', filename: null, versionBase: null }), expected));
  }
  test('normalizeFromUrl: one leading slash, no trailing slash', () => {
    assert.deepEqual(['a', '//a/', '/', '', '/a/*'].map(normalizeFromUrl), ['/a', '/a', '/', '/', '/a/*']);
  });
  test('wouldLoop: only * rules whose target lies under their own prefix', () => {
    assert.equal(wouldLoop(rule({ type: 'exact', fromUrl: '/*', toUrl: '/en/latest/:splat' }), '/en/latest/a'), true);
    assert.equal(wouldLoop(rule({ type: 'exact', fromUrl: '/*', toUrl: '/en/latest/:splat' }), '/a'), false);
    assert.equal(wouldLoop(rule({ type: 'exact', fromUrl: '/old/*', toUrl: '/new/:splat' }), '/new/a'), false);
    assert.equal(wouldLoop(rule({ type: 'exact', fromUrl: '/a/*', toUrl: '/a/b/' }), '/a/b/'), false);
  });
});

describe('mergeQuery: the request first, then the target, as urlencode(parse_qsl) writes them', () => {
  const cases: Array<[string, string, string]> = [
    ['/t', '', '/t'],
    ['/t', '?', '/t'],
    ['/t', '?a=1', '/t?a=1'],
    ['/t', 'a=1&b=%20', '/t?a=1&b=+'],
    ['/t', '?a', '/t?a='],
    ['/t', '?a=1&&b=2', '/t?a=1&b=2'],
    ['/t?a=2', '?a=1&b=1', '/t?a=1&b=1&a=2'],
    ['/t', '?q=caf%C3%A9+x&r=%7E!', '/t?q=caf%C3%A9+x&r=~%21'],
    ['/t', '?bad=%ZZ%ff', '/t?bad=%25ZZ%EF%BF%BD'],
    ['/t#f', '?a=1', '/t?a=1#f'],
    ['/t?x=1#f', '?y=2', '/t?y=2&x=1#f'],
    ['https://example.org/t', '?a=1', 'https://example.org/t?a=1'],
  ];
  for (const [target, query, expected] of cases) {
    test(`${target} + ${query} → ${expected}`, () => assert.equal(mergeQuery(target, query), expected));
  }
  test('parseQuery keeps blank values', () => assert.deepEqual(parseQuery('a&b=&c=1+2'), [['a', ''], ['b', ''], ['c', '1 2']]));
});
