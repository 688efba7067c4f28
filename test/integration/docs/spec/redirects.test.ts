// User redirects as Read the Docs serves them (proxito: views/serve.py, views/mixins.py,
// redirects/querysets.py + models.py): which rule answers which request, in which order
// against files, `dir/` index redirects and 404s — and never a loop.
import { page, servingTable, site } from '../../../helpers/serving-table.ts';

const user = { 'x-rtd-redirect': 'user' };
const missing = (marker: string) => ({ status: 404, body: marker, location: null });

servingTable('user redirects', {
  host: 'guide.docs.localhost',
  async setup(f) {
    const { project: guide } = await site(f, 'guide', {
      latest: {
        'index.html': page('guide latest home'), 'page.html': page('guide latest page'), 'forced.html': page('guide forced file'),
        'exists.html': page('guide exists file'), 'setup/index.html': page('guide setup'), 'a.html': page('guide a'), 'b.html': page('guide b'),
        'loop.html': page('guide forced self file'), '404.html': page('guide latest 404'),
      },
      v1: { 'index.html': page('guide v1 home'), 'page.html': page('guide v1 page') },
    }, { externalBuildsEnabled: true });
    const rules: Array<Parameters<typeof f.redirect>[1]> = [
      { type: 'page', fromUrl: '/moved.html', toUrl: '/page.html' },
      { type: 'page', fromUrl: '/forced.html', toUrl: '/page.html', force: true },
      { type: 'page', fromUrl: '/exists.html', toUrl: '/page.html' },
      { type: 'page', fromUrl: '/disabled.html', toUrl: '/page.html', enabled: false },
      { type: 'page', fromUrl: '/pos.html', toUrl: '/b.html', position: 2 },
      { type: 'page', fromUrl: '/pos.html', toUrl: '/a.html', position: 1 },
      { type: 'page', fromUrl: '/permanent.html', toUrl: '/page.html', httpStatus: 301 },
      { type: 'page', fromUrl: '/setup', toUrl: '/page.html' },
      { type: 'page', fromUrl: '/folder/', toUrl: '/page.html' },
      { type: 'page', fromUrl: '/loop.html', toUrl: '/loop.html?again=1', force: true },
      { type: 'exact', fromUrl: '/en/v0/*', toUrl: '/en/latest/:splat', httpStatus: 301 },
      { type: 'page', fromUrl: '/tie.html', toUrl: '/a.html', position: 5 },
      { type: 'page', fromUrl: '/tie.html', toUrl: '/b.html', position: 5 },
      { type: 'exact', fromUrl: '/q', toUrl: '/en/latest/page.html?from=q#top' },
      { type: 'exact', fromUrl: '/go', toUrl: 'https://example.org/landing?ref=docs' },
      { type: 'exact', fromUrl: '/en/latest/self.html', toUrl: 'https://guide.docs.localhost/en/latest/self.html' },
      { type: 'exact', fromUrl: '/en/latest/selfq.html', toUrl: '/en/latest/selfq.html?x=1' },
      { type: 'page', fromUrl: '/install.html', toUrl: 'https://guide.docs.localhost/install.html' },
      { type: 'exact', fromUrl: '/woot/*', toUrl: '/en/latest/:splat' },
      { type: 'page', fromUrl: '/preview-moved.html', toUrl: '/page.html' },
      { type: 'exact', fromUrl: '/en/gone', toUrl: '/en/v1/' },
      { type: 'exact', fromUrl: '/en/v1', toUrl: '/en/latest/' },
    ];
    for (const rule of rules) await f.redirect(guide, rule);
    await f.domain(guide, 'docs.guide.example', true);
    await f.deploy(guide, await f.version(guide, '7', { type: 'external' }), { 'index.html': page('guide preview 7') });
  },
  rows: [
    // Page rules: the path after /<lang>/<version>/, in the request's version
    { name: 'a page rule answers a missing page', request: { path: '/en/latest/moved.html' }, expect: { status: 302, location: '/en/latest/page.html', headers: user } },
    { name: 'a page rule keeps the request\'s version', request: { path: '/en/v1/moved.html' }, expect: { status: 302, location: '/en/v1/page.html', headers: user } },
    { name: 'a page rule on an unknown version keeps that version (the 404 handler knows it)', request: { path: '/en/nope/moved.html' }, expect: { status: 302, location: '/en/nope/page.html' } },
    { name: 'a page rule matches a version-less path and goes to the default version', request: { path: '/moved.html' }, expect: { status: 302, location: '/en/latest/page.html', headers: user } },
    { name: 'a page from_url with a trailing slash matches without it', request: { path: '/en/latest/folder' }, expect: { status: 302, location: '/en/latest/page.html' } },
    { name: 'a non-forced rule never hides a file that exists', request: { path: '/en/latest/exists.html' }, expect: { status: 200, body: 'guide exists file', headers: { 'x-rtd-redirect': null } } },
    // Forced rules: before the file, once the path names a version
    { name: 'a forced rule wins over a file that exists', request: { path: '/en/latest/forced.html' }, expect: { status: 302, location: '/en/latest/page.html', headers: user } },
    { name: 'a forced rule also answers the missing page of an unknown version', request: { path: '/en/nope/forced.html' }, expect: { status: 302, location: '/en/nope/page.html' } },
    { name: 'a forced rule to the request itself (other query) is skipped: the file is served', request: { path: '/en/latest/loop.html' }, expect: { status: 200, body: 'guide forced self file' } },
    // Order, enabled, status
    { name: 'a disabled rule never applies', request: { path: '/en/latest/disabled.html' }, expect: missing('guide latest 404') },
    { name: 'the lowest position wins', request: { path: '/en/latest/pos.html' }, expect: { status: 302, location: '/en/latest/a.html' } },
    { name: 'http_status 301 is a permanent redirect', request: { path: '/en/latest/permanent.html' }, expect: { status: 301, location: '/en/latest/page.html' } },
    { name: 'the `dir` → `dir/` index redirect comes before user rules after a 404', request: { path: '/en/latest/setup?a=1' }, expect: { status: 302, location: '/en/latest/setup/?a=1', headers: { 'x-rtd-redirect': null } } },
    // The slash after a version: added only for a version that exists; an unknown one is a 404, rules first
    { name: 'a version without its slash gets it (system)', request: { path: '/en/latest?a=1' }, expect: { status: 302, location: '/en/latest/?a=1', headers: { 'x-rtd-redirect': 'system' } } },
    { name: '… before any user rule when the version exists', request: { path: '/en/v1' }, expect: { status: 302, location: '/en/v1/', headers: { 'x-rtd-redirect': 'system' } } },
    { name: 'an unknown version without its slash: user rules first', request: { path: '/en/gone' }, expect: { status: 302, location: '/en/v1/', headers: user } },
    { name: '… then the 404 page, not a slash', request: { path: '/en/nothing' }, expect: missing('guide latest 404') },
    // Exact rules: the whole path
    { name: 'an exact `*` rule takes the rest into :splat', request: { path: '/en/v0/a/b.html' }, expect: { status: 301, location: '/en/latest/a/b.html', headers: user } },
    { name: 'on equal positions the newest rule wins', request: { path: '/en/latest/tie.html' }, expect: { status: 302, location: '/en/latest/b.html' } },
    { name: 'an exact rule to another host keeps it', request: { path: '/go' }, expect: { status: 302, location: 'https://example.org/landing?ref=docs' } },
    // The query string: the request's parameters first, then the target's, re-encoded as Python's urlencode
    { name: 'the request query is kept', request: { path: '/en/latest/moved.html?a=1&b' }, expect: { status: 302, location: '/en/latest/page.html?a=1&b=' } },
    { name: 'request parameters come before the target\'s own; the fragment stays', request: { path: '/q?x=1&from=z' }, expect: { status: 302, location: '/en/latest/page.html?x=1&from=z&from=q#top' } },
    { name: 'the request query follows an external target\'s', request: { path: '/go?utm=a+b' }, expect: { status: 302, location: 'https://example.org/landing?utm=a+b&ref=docs' } },
    // Loops: a target with the request's host and path is no redirect (the scheme and query do not count)
    { name: 'an exact rule to the same URL on https is not followed: the 404 page', request: { path: '/en/latest/self.html' }, expect: missing('guide latest 404') },
    { name: '… nor over https', request: { path: '/en/latest/self.html', headers: { 'x-forwarded-proto': 'https' } }, expect: missing('guide latest 404') },
    { name: 'a rule to the same path with another query is not followed', request: { path: '/en/latest/selfq.html' }, expect: missing('guide latest 404') },
    { name: 'a page rule to the same version-less URL on https is no redirect (test_infinite_redirect_changing_protocol)', request: { path: '/install.html?foo=bar' }, expect: { status: 404, location: null } },
    { name: 'an exact `*` rule matches from the root of the path', request: { path: '/woot/faq.html' }, expect: { status: 302, location: '/en/latest/faq.html' } },
    { name: '… and not inside a version (test_redirect_root)', request: { path: '/en/latest/woot/faq.html' }, expect: missing('guide latest 404') },
    { name: 'a custom domain keeps its host', request: { host: 'docs.guide.example', path: '/en/latest/moved.html' }, expect: { status: 302, location: '/en/latest/page.html', headers: user } },
    { name: '(the preview host serves its version)', request: { host: 'guide--7.previews.localhost', path: '/en/7/' }, expect: { status: 200, body: 'guide preview 7' } },
    { name: 'no user redirects on a pull-request preview host', request: { host: 'guide--7.previews.localhost', path: '/en/7/preview-moved.html' }, expect: { status: 404, location: null, headers: { 'x-rtd-redirect': null } } },
    // System redirects are named as such
    { name: 'the root redirect is a system redirect', request: { path: '/' }, expect: { status: 302, location: '/en/latest/', headers: { 'x-rtd-redirect': 'system' } } },
  ],
});

servingTable('user redirects that would chain', {
  host: 'loopy.docs.localhost',
  async setup(f) {
    const { project: loopy } = await site(f, 'loopy', { latest: { 'index.html': page('loopy home'), 'install.html': page('loopy install'), '404.html': page('loopy 404') } });
    await f.redirect(loopy, { type: 'exact', fromUrl: '/*', toUrl: '/en/latest/:splat', position: 0 });
    await f.redirect(loopy, { type: 'exact', fromUrl: '/en/latest/*', toUrl: '/en/stable/:splat', position: 1 });
    const { project: nested } = await site(f, 'nested', { latest: { 'index.html': page('nested home'), 'dir/sub/x.html': page('nested sub x'), '404.html': page('nested 404') } });
    await f.redirect(nested, { type: 'page', fromUrl: '/dir/*', toUrl: '/dir/sub/:splat' });
  },
  rows: [
    { name: '`/*` → `/en/latest/:splat` sends a version-less page into the default version once', request: { path: '/install.html' }, expect: { status: 302, location: '/en/latest/install.html', headers: user, follow: { status: 200, body: 'loopy install' } } },
    { name: '… and a missing one ends on the 404 page, not /en/latest/en/latest/…', request: { path: '/missing.html' }, expect: { status: 302, location: '/en/latest/missing.html', follow: { status: 404, body: 'loopy 404' } } },
    { name: 'a page already under the target prefix gets no redirect (and the next rule is not tried)', request: { path: '/en/latest/missing.html' }, expect: missing('loopy 404') },
    { name: 'files under the prefix are served as they are', request: { path: '/en/latest/install.html' }, expect: { status: 200, body: 'loopy install' } },
    { name: 'a page wildcard into its own sub-path redirects once', request: { host: 'nested.docs.localhost', path: '/en/latest/dir/x.html' }, expect: { status: 302, location: '/en/latest/dir/sub/x.html', follow: { status: 200, body: 'nested sub x' } } },
    { name: '… and not again from inside the sub-path', request: { host: 'nested.docs.localhost', path: '/en/latest/dir/sub/y.html' }, expect: missing('nested 404') },
  ],
});

servingTable('clean-URL redirects, single-version projects and subprojects', {
  host: 'dirstyle.docs.localhost',
  async setup(f) {
    const { project: dirstyle } = await site(f, 'dirstyle', { latest: { 'index.html': page('dirstyle home'), 'foo.html': page('dirstyle foo html') } });
    await f.redirect(dirstyle, { type: 'clean_url_to_html' });
    const { project: htmlstyle } = await site(f, 'htmlstyle', { latest: { 'index.html': page('htmlstyle home'), 'foo/index.html': page('htmlstyle foo dir'), '404.html': page('htmlstyle 404') } });
    await f.redirect(htmlstyle, { type: 'html_to_clean_url' });
    const { project: solo } = await site(f, 'solo', { latest: { 'index.html': page('solo home'), 'new.html': page('solo new') } }, { singleVersion: true });
    await f.redirect(solo, { type: 'page', fromUrl: '/old.html', toUrl: '/new.html' });
    const { project: parent } = await site(f, 'parent', { latest: { 'index.html': page('parent home') } });
    const { project: plugin } = await site(f, 'plugin', { stable: { 'index.html': page('plugin home'), 'x.html': page('plugin x') } }, { defaultVersion: 'stable' });
    await f.subproject(parent, plugin, 'plugin');
    await f.redirect(plugin, { type: 'page', fromUrl: '/y.html', toUrl: '/x.html' });
    const { project: prefixed } = await site(f, 'prefixed', { latest: { 'index.html': page('prefixed home') } }, { customPrefix: '/docs/' });
    await f.redirect(prefixed, { type: 'page', fromUrl: '/old.html', toUrl: '/new.html' });
    const { project: flat } = await site(f, 'flat', { latest: { 'index.html': page('flat home') } }, { versioningScheme: 'multiple_versions_without_translations' });
    await f.redirect(flat, { type: 'page', fromUrl: '/old.html', toUrl: '/new.html' });
  },
  rows: [
    { name: 'clean_url_to_html: dir/ → dir.html', request: { path: '/en/latest/foo/' }, expect: { status: 302, location: '/en/latest/foo.html', headers: user } },
    { name: 'clean_url_to_html: dir/index.html → dir.html', request: { path: '/en/latest/foo/index.html' }, expect: { status: 302, location: '/en/latest/foo.html' } },
    { name: 'clean_url_to_html: a version-less dir/ goes to the default version', request: { path: '/foo/' }, expect: { status: 302, location: '/en/latest/foo.html' } },
    { name: 'clean_url_to_html: never the root', request: { path: '/en/latest/' }, expect: { status: 200, body: 'dirstyle home' } },
    { name: 'html_to_clean_url: page.html → page/', request: { host: 'htmlstyle.docs.localhost', path: '/en/latest/foo.html' }, expect: { status: 302, location: '/en/latest/foo/', follow: { status: 200, body: 'htmlstyle foo dir' } } },
    { name: 'html_to_clean_url: never dir/index.html', request: { host: 'htmlstyle.docs.localhost', path: '/en/latest/bar/index.html' }, expect: missing('htmlstyle 404') },
    { name: 'a single-version project: page rules at the root', request: { host: 'solo.docs.localhost', path: '/old.html?a=1' }, expect: { status: 302, location: '/new.html?a=1', headers: user } },
    { name: 'a subproject\'s page rule stays under its mount', request: { host: 'parent.docs.localhost', path: '/projects/plugin/en/stable/y.html' }, expect: { status: 302, location: '/projects/plugin/en/stable/x.html', headers: user } },
    { name: 'a page rule keeps a custom prefix', request: { host: 'prefixed.docs.localhost', path: '/docs/en/latest/old.html' }, expect: { status: 302, location: '/docs/en/latest/new.html' } },
    { name: 'a page rule without translations: /<version>/', request: { host: 'flat.docs.localhost', path: '/latest/old.html' }, expect: { status: 302, location: '/latest/new.html' } },
    { name: 'without translations `/old.html` names a version: unknown, so no page matches (a 404)', request: { host: 'flat.docs.localhost', path: '/old.html' }, expect: { status: 404, location: null } },
    { name: 'a subproject\'s version-less path goes to its default version', request: { host: 'parent.docs.localhost', path: '/projects/plugin/y.html' }, expect: { status: 302, location: '/projects/plugin/en/stable/x.html' } },
  ],
});

servingTable("Read the Docs' own redirect cases (proxito/tests/test_redirects.py)", {
  host: 'rtd.docs.localhost',
  async setup(f) {
    const { project: rtd } = await site(f, 'rtd', { latest: { 'index.html': page('rtd home'), '404.html': page('rtd 404') }, '0.8.2': { 'index.html': page('rtd 0.8.2') } });
    await f.version(rtd, 'oldversion', { active: false });
    const rules: Array<Parameters<typeof f.redirect>[1]> = [
      { type: 'exact', fromUrl: '/en/versions.json', toUrl: '/en/latest/versions.json' },
      { type: 'page', fromUrl: '/install.html', toUrl: '/tutorial/install.html?query=one' },
      { type: 'page', fromUrl: '/how_to_install.html', toUrl: '/install.html' },
      { type: 'exact', fromUrl: '/en/oldversion/', toUrl: '/en/newversion/' },
      { type: 'page', fromUrl: '/guides/*', toUrl: '/:splat' },
      { type: 'page', fromUrl: '/one/two/*', toUrl: '/one/:splat' },
      { type: 'page', fromUrl: '/setup', toUrl: '/tutorial/setup/' },
      { type: 'exact', fromUrl: '/en/latest/tutorials/*', toUrl: '/en/latest/tutorial.html' },
    ];
    for (const rule of rules) await f.redirect(rtd, rule);
    const { project: single } = await site(f, 'single', { latest: { 'index.html': page('single home') } }, { singleVersion: true });
    await f.redirect(single, { type: 'exact', fromUrl: '/en/latest/*', toUrl: '/:splat' });
    await f.redirect(single, { type: 'exact', fromUrl: '/one/two/*', toUrl: '/one/:splat' });
  },
  rows: [
    { name: 'test_redirect_exact_looks_like_version', request: { path: '/en/versions.json' }, expect: { status: 302, location: '/en/latest/versions.json' } },
    { name: 'test_redirect_with_query_params_to_url', request: { path: '/install.html' }, expect: { status: 302, location: '/en/latest/tutorial/install.html?query=one' } },
    { name: '… with the request\'s own value first', request: { path: '/install.html?query=two' }, expect: { status: 302, location: '/en/latest/tutorial/install.html?query=two&query=one' } },
    { name: 'test_redirect_keeps_version_number', request: { path: '/en/0.8.2/how_to_install.html' }, expect: { status: 302, location: '/en/0.8.2/install.html' } },
    { name: 'test_redirect_inactive_version', request: { path: '/en/oldversion/' }, expect: { status: 302, location: '/en/newversion/' } },
    { name: 'test_page_redirect_to_parent_path', request: { path: '/en/latest/guides/redirect.html' }, expect: { status: 302, location: '/en/latest/redirect.html' } },
    { name: '… one level up', request: { path: '/en/latest/one/two/three/redirect.html' }, expect: { status: 302, location: '/en/latest/one/three/redirect.html' } },
    { name: 'test_page_redirect_with_and_without_trailing_slash', request: { path: '/en/latest/setup' }, expect: { status: 302, location: '/en/latest/tutorial/setup/' } },
    { name: '… with it', request: { path: '/en/latest/setup/' }, expect: { status: 302, location: '/en/latest/tutorial/setup/' } },
    { name: 'an exact `*` rule to one page', request: { path: '/en/latest/tutorials/install.html' }, expect: { status: 302, location: '/en/latest/tutorial.html' } },
    { name: 'test_exact_redirect_to_parent_path (single version)', request: { host: 'single.docs.localhost', path: '/en/latest/dir/redirect.html' }, expect: { status: 302, location: '/dir/redirect.html' } },
    { name: '… one level up', request: { host: 'single.docs.localhost', path: '/one/two/three/redirect.html' }, expect: { status: 302, location: '/one/three/redirect.html' } },
  ],
});
