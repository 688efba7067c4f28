// The files for crawlers, as Read the Docs serves them (proxito's ServeRobotsTXT,
// ServeSitemapXML and llms.txt; tests/test_full.py): robots.txt and llms.txt from the default
// version's build when it has one, else generated (hidden versions disallowed, the hidden
// default of a single-version project, the sitemap), a delisted project shut out, a 404 when
// the default version cannot be read; sitemap.xml always generated, version-aware, with
// hreflang alternates; each tagged `<project>:<file>` and kept by a CDN.
import { page, servingTable, site } from '../../../helpers/serving-table.ts';

const TEXT = /^text\/plain/;

servingTable('crawlers', {
  host: 'guide.docs.localhost',
  async setup(f) {
    const html = (name: string) => ({ 'index.html': page(name) });
    const { project: guide } = await site(f, 'guide', {
      latest: html('guide latest'), stable: html('guide stable'), '1.0': html('guide 1.0'), '2.0': html('guide 2.0'), old: html('guide old'),
    }, {}, { old: { hidden: true } });
    await site(f, 'guide-es', { latest: html('guia latest') }, { language: 'es', translationOfId: guide.id });
    await site(f, 'plain', { latest: html('plain') });
    await site(f, 'own', {
      latest: {
        ...html('own'), 'robots.txt': 'User-agent: *\nDisallow: /own-rule/\n', 'llms.txt': '# own llms\n',
        'llms-full.txt': '# own llms full\n', 'sitemap.xml': '<urlset>own sitemap</urlset>\n',
      },
    });
    await site(f, 'hush', { latest: html('hush') }, { delisted: true });
    await site(f, 'solo', { latest: html('solo') }, { singleVersion: true, versioningScheme: 'single_version_without_translations' }, { latest: { hidden: true } });
    await site(f, 'flat', { latest: html('flat'), old: html('flat old') }, { versioningScheme: 'multiple_versions_without_translations' }, { old: { hidden: true } });
    await site(f, 'privdefault', { latest: html('privdefault') }, {}, { latest: { privacyLevel: 'private' } });
    const { project: pr } = await site(f, 'pr', { latest: html('pr latest') }, { externalBuildsEnabled: true });
    await f.deploy(pr, await f.version(pr, '7', { type: 'external' }), { ...html('pr 7'), 'robots.txt': 'User-agent: *\nAllow: /\n' });
  },
  rows: [
    {
      name: 'robots.txt: hidden versions disallowed, then the sitemap; public at the CDN, tagged robots.txt',
      request: { path: '/robots.txt' },
      expect: {
        status: 200, body: /^(#[^\n]*\n)+\nUser-agent: \*\n\nDisallow: \/en\/old\/ # Hidden version\n\nSitemap: http:\/\/guide\.docs\.localhost\/sitemap\.xml\n$/,
        headers: { 'content-type': TEXT, 'cache-tag': 'guide,guide:robots.txt', 'cdn-cache-control': 'public', 'x-rtd-project': 'guide' },
      },
    },
    {
      name: 'robots.txt with nothing hidden: an empty Disallow allows everything',
      request: { host: 'plain.docs.localhost', path: '/robots.txt' },
      expect: { status: 200, body: /\nUser-agent: \*\n\nDisallow: # Allow everything\n\nSitemap: http:\/\/plain\.docs\.localhost\/sitemap\.xml\n$/ },
    },
    {
      name: 'robots.txt of a single-version project whose default version is hidden: the whole site',
      request: { host: 'solo.docs.localhost', path: '/robots.txt' },
      expect: { status: 200, body: /\nDisallow: \/ # Hidden version\n/ },
    },
    {
      name: 'robots.txt of a project without translations: the version path has no language',
      request: { host: 'flat.docs.localhost', path: '/robots.txt' },
      expect: { status: 200, body: /\nDisallow: \/old\/ # Hidden version\n/ },
    },
    {
      name: 'robots.txt from the default version\'s build when it has one',
      request: { host: 'own.docs.localhost', path: '/robots.txt' },
      expect: { status: 200, body: /^User-agent: \*\nDisallow: \/own-rule\/\n$/, headers: { 'cache-tag': 'own,own:robots.txt', 'x-rtd-path': /^\/own\/latest\/\d+\/html\/robots\.txt$/ } },
    },
    {
      name: 'robots.txt of a delisted project disallows everything',
      request: { host: 'hush.docs.localhost', path: '/robots.txt' },
      expect: { status: 200, body: /^#[^\n]*\nUser-agent: \*\nDisallow: \/\n$/, headers: { 'content-type': TEXT } },
    },
    {
      name: 'robots.txt when the default version is private: 404',
      request: { host: 'privdefault.docs.localhost', path: '/robots.txt' },
      expect: { status: 404 },
    },
    {
      name: 'robots.txt of a preview host shuts crawlers out, whatever the build ships',
      request: { host: 'pr--7.previews.localhost', path: '/robots.txt' },
      expect: { status: 200, body: /^User-agent: \*\nDisallow: \/\n$/ },
    },
    {
      name: 'llms.txt: the same rules, for language-model crawlers, tagged llms.txt',
      request: { path: '/llms.txt' },
      expect: {
        status: 200, body: /^(#[^\n]*\n)+\nUser-agent: \*\n\nDisallow: \/en\/old\/ # Hidden version\n\nSitemap: http:\/\/guide\.docs\.localhost\/sitemap\.xml\n$/,
        headers: { 'content-type': TEXT, 'cache-tag': 'guide,guide:llms.txt', 'cdn-cache-control': 'public' },
      },
    },
    { name: 'llms.txt from the build when it has one', request: { host: 'own.docs.localhost', path: '/llms.txt' }, expect: { status: 200, body: /^# own llms\n$/ } },
    { name: 'llms.txt of a delisted project disallows everything', request: { host: 'hush.docs.localhost', path: '/llms.txt' }, expect: { status: 200, body: /\nUser-agent: \*\nDisallow: \/\n$/ } },
    { name: 'llms-full.txt: the build\'s own file', request: { host: 'own.docs.localhost', path: '/llms-full.txt' }, expect: { status: 200, body: /^# own llms full\n$/, headers: { 'cache-tag': 'own,own:llms-full.txt' } } },
    { name: 'llms-full.txt is never generated: 404 without one', request: { path: '/llms-full.txt' }, expect: { status: 404 } },
    {
      name: 'sitemap.xml: stable first (priority 1.0, weekly), latest (0.9, daily), then releases newest first; no hidden version',
      request: { path: '/sitemap.xml' },
      expect: {
        status: 200,
        body: /<loc>http:\/\/guide\.docs\.localhost\/en\/stable\/<\/loc>[\s\S]*?<changefreq>weekly<\/changefreq>\s*<priority>1\.0<\/priority>[\s\S]*<loc>http:\/\/guide\.docs\.localhost\/en\/latest\/<\/loc>[\s\S]*?<changefreq>daily<\/changefreq>\s*<priority>0\.9<\/priority>[\s\S]*<loc>http:\/\/guide\.docs\.localhost\/en\/2\.0\/<\/loc>[\s\S]*<loc>http:\/\/guide\.docs\.localhost\/en\/1\.0\/<\/loc>[\s\S]*?<priority>0\.7<\/priority>/,
        notBody: '/en/old/',
        headers: { 'content-type': /^application\/xml/, 'cache-tag': 'guide,guide:sitemap.xml', 'cdn-cache-control': 'public' },
      },
    },
    {
      name: 'sitemap.xml: a version the translation has too lists the translation, then itself, as alternates',
      request: { path: '/sitemap.xml' },
      expect: {
        status: 200,
        body: /<loc>http:\/\/guide\.docs\.localhost\/en\/latest\/<\/loc>\s*<xhtml:link rel="alternate" hreflang="es" href="http:\/\/guide\.docs\.localhost\/es\/latest\/"\/>\s*<xhtml:link rel="alternate" hreflang="en" href="http:\/\/guide\.docs\.localhost\/en\/latest\/"\/>\s*<lastmod>\d{4}-\d\d-\d\dT[\d:.]+\+00:00<\/lastmod>/,
      },
    },
    { name: 'sitemap.xml is always generated, even when the build ships one', request: { host: 'own.docs.localhost', path: '/sitemap.xml' }, expect: { status: 200, body: '<loc>http://own.docs.localhost/en/latest/</loc>', notBody: 'own sitemap' } },
    { name: 'sitemap.xml of a project without translations: version paths without a language', request: { host: 'flat.docs.localhost', path: '/sitemap.xml' }, expect: { status: 200, body: '<loc>http://flat.docs.localhost/latest/</loc>', notBody: '/old/' } },
    { name: 'sitemap.xml with no public, non-hidden version: 404, as Read the Docs', request: { host: 'solo.docs.localhost', path: '/sitemap.xml' }, expect: { status: 404 } },
    { name: 'sitemap.xml of a preview host: 404', request: { host: 'pr--7.previews.localhost', path: '/sitemap.xml' }, expect: { status: 404 } },
  ],
});
