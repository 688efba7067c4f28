// Read the Docs' URL conventions (proxito's unresolver and serve views): /page/<file>, old
// language codes, repeated slashes, the three versioning schemes and their precedence, custom
// prefixes, /projects/<x> in single-version projects, and /_/static/.
import { page, servingTable, site } from '../../../helpers/serving-table.ts';

servingTable('URL conventions', {
  host: 'guide.docs.localhost',
  async setup(f) {
    const { project: guide } = await site(f, 'guide', { latest: { 'index.html': page('guide home'), 'install.html': page('guide install') } });
    await site(f, 'guide-pt', { latest: { 'index.html': page('guide pt-br home') } }, { language: 'pt-br', translationOfId: guide.id });
    await site(f, 'guide-zh', { latest: { 'index.html': page('guide zh home') } }, { language: 'zh', translationOfId: guide.id });
    const { project: sub } = await site(f, 'sub', { latest: { 'index.html': page('sub home'), 'install.html': page('sub install') } });
    await f.subproject(guide, sub, 'sub');

    // Multiple versions without translations; a version named `en` and one named `projects`.
    const { project: flat } = await site(f, 'flat', {
      latest: { 'index.html': page('flat latest') }, en: { 'index.html': page('flat version en') }, projects: { 'x/index.html': page('flat version projects x') },
    }, { versioningScheme: 'multiple_versions_without_translations' });
    const { project: flatSub } = await site(f, 'flat-sub', { latest: { 'index.html': page('flat sub home') } });
    await f.subproject(flat, flatSub, 'y');

    // Single version, with a file under projects/ and a real subproject.
    const { project: one } = await site(f, 'one', { latest: { 'index.html': page('one home'), 'projects/x/a.html': page('one file projects x') } },
      { versioningScheme: 'single_version_without_translations', singleVersion: true });
    const { project: oneSub } = await site(f, 'one-sub', { latest: { 'index.html': page('one sub home') } });
    await f.subproject(one, oneSub, 'real');

    // Subproject aliases with a slash, beside a shorter one: the longest alias wins.
    const { project: pyapi } = await site(f, 'pyapi', { latest: { 'index.html': page('pyapi home'), 'x.html': page('pyapi x') } });
    await f.deploy(pyapi, (await f.version(pyapi, 'v1')), { 'index.html': page('pyapi v1') }, { pdf: 'pyapi pdf bytes' });
    await f.subproject(guide, pyapi, 'api/python');
    const { project: apiOnly } = await site(f, 'api-only', { latest: { 'index.html': page('api only home') } });
    await f.subproject(guide, apiOnly, 'api');

    // Custom prefixes.
    const { project: pre } = await site(f, 'pre', { latest: { 'index.html': page('pre home') } }, { customPrefix: '/docs/', customSubprojectPrefix: '/libs/' });
    const { project: lib } = await site(f, 'lib', { latest: { 'index.html': page('lib home') } });
    await f.subproject(pre, lib, 'lib');
  },
  rows: [
    { name: '/page/<file> goes to the file in the default version', request: { path: '/page/install.html' },
      expect: { status: 302, location: '/en/latest/install.html', follow: { status: 200, body: 'guide install' } } },
    { name: '/projects/<alias>/page/<file> goes to the file in the subproject\'s default version', request: { path: '/projects/sub/page/install.html' },
      expect: { status: 302, location: '/projects/sub/en/latest/install.html', follow: { status: 200, body: 'sub install' } } },
    { name: '/page/ in a single-version project', request: { host: 'one.docs.localhost', path: '/page/index.html' },
      expect: { status: 302, location: '/index.html' } },
    { name: 'an old language code redirects to the current one', request: { path: '/pt_BR/latest/' },
      expect: { status: 302, location: '/pt-br/latest/', follow: { status: 200, body: 'guide pt-br home' } } },
    { name: 'an old language code without a version goes to the translation\'s default version', request: { path: '/pt_BR/' },
      expect: { status: 302, location: '/pt-br/latest/' } },
    { name: 'the deprecated zh code is still served', request: { path: '/zh/latest/' },
      expect: { status: 200, body: 'guide zh home' } },
    { name: 'repeated slashes collapse with a redirect, query kept', request: { path: '/en//latest//install.html?a=1' },
      expect: { status: 302, location: '/en/latest/install.html?a=1', follow: { status: 200, body: 'guide install' } } },
    { name: 'a leading // is a same-host path, never another host', request: { path: '//evil.example/' },
      expect: { status: 302, location: '/evil.example/' } },
    { name: '/projects/<alias> goes to the subproject\'s default version', request: { path: '/projects/sub' },
      expect: { status: 302, location: '/projects/sub/en/latest/' } },
    { name: 'an unknown subproject is a 404', request: { path: '/projects/nothing/en/latest/' },
      expect: { status: 404 } },

    // Subproject aliases containing `/`.
    { name: 'an alias with a slash serves its subproject', request: { path: '/projects/api/python/en/latest/x.html' },
      expect: { status: 200, body: 'pyapi x' } },
    { name: 'the longest alias wins; the shorter one still serves its own', request: { path: '/projects/api/en/latest/' },
      expect: { status: 200, body: 'api only home' } },
    { name: 'an alias matches whole segments only', request: { path: '/projects/api/python-extra/en/latest/' },
      expect: { status: 404 } },
    { name: 'a slash alias root goes to its default version', request: { path: '/projects/api/python/' },
      expect: { status: 302, location: '/projects/api/python/en/latest/' } },
    { name: '/page/ under a slash alias', request: { path: '/projects/api/python/page/x.html' },
      expect: { status: 302, location: '/projects/api/python/en/latest/x.html' } },
    { name: 'downloads under a slash alias', request: { path: '/_/downloads/api/python/en/v1/pdf/' },
      expect: { status: 200, body: 'pyapi pdf bytes' } },

    // Versioning schemes.
    { name: 'without translations: the root goes to /<version>/', request: { host: 'flat.docs.localhost', path: '/' },
      expect: { status: 302, location: '/latest/', follow: { status: 200, body: 'flat latest' } } },
    { name: 'without translations: a version named like a language is a version', request: { host: 'flat.docs.localhost', path: '/en/' },
      expect: { status: 200, body: 'flat version en' } },
    { name: 'without translations: /projects/<alias>/ is the subproject', request: { host: 'flat.docs.localhost', path: '/projects/y/en/latest/' },
      expect: { status: 200, body: 'flat sub home' } },
    { name: 'without translations: a version named projects is served when no subproject has the alias', request: { host: 'flat.docs.localhost', path: '/projects/x/' },
      expect: { status: 200, body: 'flat version projects x' } },
    { name: 'single version: the root is the default version', request: { host: 'one.docs.localhost', path: '/' },
      expect: { status: 200, body: 'one home' } },
    { name: 'single version: /projects/<x> is a file when <x> is no subproject', request: { host: 'one.docs.localhost', path: '/projects/x/a.html' },
      expect: { status: 200, body: 'one file projects x' } },
    { name: 'single version: /projects/<alias>/ is the subproject when it is one', request: { host: 'one.docs.localhost', path: '/projects/real/en/latest/' },
      expect: { status: 200, body: 'one sub home' } },
    { name: 'single version: /en/latest/ is a file path', request: { host: 'one.docs.localhost', path: '/en/latest/' },
      expect: { status: 404 } },

    // Custom prefixes.
    { name: 'custom prefix: the root goes under the prefix', request: { host: 'pre.docs.localhost', path: '/' },
      expect: { status: 302, location: '/docs/en/latest/', follow: { status: 200, body: 'pre home' } } },
    { name: 'custom prefix: the prefix without its slash goes to the default version', request: { host: 'pre.docs.localhost', path: '/docs' },
      expect: { status: 302, location: '/docs/en/latest/' } },
    { name: 'custom prefix: paths outside it are 404', request: { host: 'pre.docs.localhost', path: '/en/latest/' },
      expect: { status: 404 } },
    { name: 'custom subproject prefix: subprojects live under it', request: { host: 'pre.docs.localhost', path: '/libs/lib/en/latest/' },
      expect: { status: 200, body: 'lib home' } },
    { name: 'custom subproject prefix: /projects/ is no longer a subproject path', request: { host: 'pre.docs.localhost', path: '/projects/lib/en/latest/' },
      expect: { status: 404 } },

    // Shared static assets.
    { name: '/_/static/ answers 404 for a file it does not have', request: { path: '/_/static/nothing.css' },
      expect: { status: 404, location: null } },
  ],
});
