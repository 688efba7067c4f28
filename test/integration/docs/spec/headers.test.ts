// What the docs server says besides the body, as Read the Docs' proxito middleware says it
// (tests/test_headers.py): X-RTD-* names of what was served and how it was found, Cache-Tag
// and CDN-Cache-Control on every answer (redirects and 404s too), CORS on a version's files,
// X-Robots-Tag for delisted projects and previews, HSTS on https only, a custom domain's own
// headers, download names, the health check.
import { eq } from 'drizzle-orm';
import { domainHeaders, domains } from '../../../../src/db/schema.ts';
import { page, servingTable, site } from '../../../helpers/serving-table.ts';

const https = { 'x-forwarded-proto': 'https' };

servingTable('headers', {
  host: 'guide.docs.localhost',
  async setup(f) {
    const { project: guide } = await site(f, 'guide', {
      latest: { 'index.html': page('guide home'), 'guides/page.html': page('guide page') },
    });
    await f.deploy(guide, await f.version(guide, 'v1'), { 'index.html': page('guide v1') }, { pdf: '%PDF-1.7 v1' });
    const { project: plugin } = await site(f, 'plugin', { latest: { 'index.html': page('plugin home') } });
    await f.subproject(guide, plugin, 'plugin');
    await site(f, 'hush', { latest: { 'index.html': page('hush home') } }, { delisted: true });
    await site(f, 'secret', { latest: { 'index.html': page('secret home') } }, { privacyLevel: 'private' });
    const { project: pr } = await site(f, 'pr', { latest: { 'index.html': page('pr latest') } }, { externalBuildsEnabled: true });
    await f.deploy(pr, await f.version(pr, '7', { type: 'external' }), { 'index.html': page('pr preview 7') });
    // A custom domain with HSTS and two extra headers, one only for https requests.
    await f.domain(guide, 'docs.guide.test', true);
    const [d] = await f.database.db.update(domains).set({ hstsMaxAge: 600, hstsIncludeSubdomains: true }).where(eq(domains.domain, 'docs.guide.test')).returning();
    await f.database.db.insert(domainHeaders).values([
      { domainId: d!.id, name: 'X-Frame-Options', value: 'DENY' },
      { domainId: d!.id, name: 'Content-Security-Policy', value: "default-src 'self'", onlyIfSecureRequest: true },
    ]);
  },
  rows: [
    {
      name: 'a page: what was served and how it was found, its cache tags, public at the CDN, CORS',
      request: { path: '/en/latest/' },
      expect: {
        status: 200, body: 'guide home',
        headers: {
          'cache-tag': 'guide,guide:latest', 'x-rtd-domain': 'guide.docs.localhost', 'x-rtd-project': 'guide', 'x-rtd-project-method': 'public_domain',
          'x-rtd-version': 'latest', 'x-rtd-version-method': 'path', 'x-rtd-resolver-filename': '/', 'x-rtd-path': /^\/guide\/latest\/\d+\/html\/index\.html$/,
          'cdn-cache-control': 'public', 'access-control-allow-origin': '*', 'access-control-allow-methods': 'HEAD, OPTIONS, GET',
          'access-control-allow-credentials': null, 'x-robots-tag': null, 'strict-transport-security': null,
          'x-bindery-project': 'guide', 'x-bindery-version': 'latest',
        },
      },
    },
    {
      name: 'a page inside the version: X-RTD-Resolver-Filename is its path there',
      request: { path: '/en/latest/guides/page.html' },
      expect: { status: 200, body: 'guide page', headers: { 'x-rtd-resolver-filename': '/guides/page.html', 'x-rtd-path': /\/html\/guides\/page\.html$/ } },
    },
    {
      name: 'a system redirect: the project only, no version or path, cached at the CDN for 4 hours',
      request: { path: '/' },
      expect: {
        status: 302, location: '/en/latest/',
        headers: {
          'x-rtd-redirect': 'system', 'cache-tag': 'guide', 'x-rtd-project': 'guide', 'x-rtd-project-method': 'public_domain', 'x-rtd-domain': 'guide.docs.localhost',
          'x-rtd-version': null, 'x-rtd-path': null, 'cdn-cache-control': 'public, max-age=14400', 'access-control-allow-origin': null,
        },
      },
    },
    {
      name: 'a 404 outside any version: the project, the method, no version, no path, no CORS',
      request: { path: '/foo/bar.html' },
      expect: {
        status: 404,
        headers: { 'cache-tag': 'guide', 'x-rtd-project': 'guide', 'x-rtd-project-method': 'public_domain', 'x-rtd-version-method': 'path', 'x-rtd-version': null, 'x-rtd-path': null, 'access-control-allow-origin': null },
      },
    },
    {
      name: 'a subproject page names the subproject; the host\'s method still public_domain',
      request: { path: '/projects/plugin/en/latest/' },
      expect: { status: 200, body: 'plugin home', headers: { 'cache-tag': 'plugin,plugin:latest', 'x-rtd-project': 'plugin', 'x-rtd-project-method': 'public_domain', 'x-rtd-version': 'latest', 'x-rtd-path': /^\/plugin\/latest\/\d+\/html\/index\.html$/ } },
    },
    {
      name: 'a custom domain: custom_domain, its own headers (not the https-only one on http), no HSTS on http',
      request: { host: 'docs.guide.test', path: '/en/latest/' },
      expect: {
        status: 200, body: 'guide home',
        headers: { 'x-rtd-domain': 'docs.guide.test', 'x-rtd-project-method': 'custom_domain', 'cache-tag': 'guide,guide:latest', 'x-frame-options': 'DENY', 'content-security-policy': null, 'strict-transport-security': null },
      },
    },
    {
      name: 'a custom domain over https: its HSTS settings and its https-only header',
      request: { host: 'docs.guide.test', path: '/en/latest/', headers: https },
      expect: { status: 200, headers: { 'strict-transport-security': 'max-age=600; includeSubDomains', 'content-security-policy': "default-src 'self'", 'x-frame-options': 'DENY' } },
    },
    {
      name: 'a custom domain\'s headers are on its redirects and 404s too',
      request: { host: 'docs.guide.test', path: '/nothing/here.html' },
      expect: { status: 404, headers: { 'x-frame-options': 'DENY', 'x-rtd-project-method': 'custom_domain' } },
    },
    {
      name: 'the docs domain over https without DOCS_HTTPS: no HSTS',
      request: { path: '/en/latest/', headers: https },
      expect: { status: 200, headers: { 'strict-transport-security': null } },
    },
    {
      name: 'a delisted project: X-Robots-Tag noindex on its pages',
      request: { host: 'hush.docs.localhost', path: '/en/latest/' },
      expect: { status: 200, body: 'hush home', headers: { 'x-robots-tag': 'noindex', 'cdn-cache-control': 'public' } },
    },
    {
      name: 'a private project: never kept by a CDN',
      request: { host: 'secret.docs.localhost', path: '/en/latest/' },
      expect: { status: 404, notBody: 'secret home', headers: { 'cdn-cache-control': 'private', 'x-rtd-project': 'secret' } },
    },
    {
      name: 'a preview: external_domain, version by domain, noindex, not kept by a CDN, no-cache',
      request: { host: 'pr--7.previews.localhost', path: '/en/7/' },
      expect: {
        status: 200, body: 'pr preview 7',
        headers: { 'x-rtd-project-method': 'external_domain', 'x-rtd-version-method': 'domain', 'x-rtd-version': '7', 'x-robots-tag': 'noindex', 'cdn-cache-control': 'private', 'cache-control': /no-cache/, 'access-control-allow-origin': '*' },
      },
    },
    {
      name: 'an unknown host: the domain named, nothing cached at the CDN',
      request: { host: 'nothing.docs.localhost', path: '/en/latest/' },
      expect: { status: 404, headers: { 'x-rtd-domain': 'nothing.docs.localhost', 'x-rtd-project': null, 'cdn-cache-control': 'private' } },
    },
    {
      name: 'a download: Read the Docs\' filename (host dashed, language, version)',
      request: { path: '/_/downloads/en/v1/pdf/' },
      expect: { status: 200, body: '%PDF-1.7 v1', headers: { 'content-disposition': 'filename=guide-docs-localhost-en-v1.pdf', 'content-type': /^application\/pdf/, 'cache-tag': 'guide,guide:v1' } },
    },
    {
      name: 'OPTIONS: answered with the methods and CORS, without credentials',
      request: { method: 'OPTIONS', path: '/en/latest/', headers: { origin: 'https://example.com' } },
      expect: { status: 200, headers: { allow: 'GET, HEAD, OPTIONS', 'access-control-allow-origin': '*', 'access-control-allow-methods': 'HEAD, OPTIONS, GET', 'access-control-allow-credentials': null } },
    },
    {
      name: 'the health check answers Read the Docs\' body, on any host',
      request: { host: 'anything.invalid', path: '/_/health_check/' },
      expect: { status: 200, body: /^\{"status": 200\}$/, headers: { 'content-type': /^application\/json/, 'cache-control': 'no-store' } },
    },
  ],
});

servingTable('headers with DOCS_HTTPS', {
  host: 'guide.docs.localhost',
  options: { docsHttps: true },
  async setup(f) {
    await site(f, 'guide', { latest: { 'index.html': page('guide home') } });
  },
  rows: [
    {
      name: 'an https answer on the docs domain: Read the Docs\' HSTS (a year, subdomains, preload)',
      request: { path: '/en/latest/', headers: https },
      expect: { status: 200, headers: { 'strict-transport-security': 'max-age=31536000; includeSubDomains; preload', 'x-rtd-project': 'guide' } },
    },
    {
      name: 'an http request: redirected to https, without HSTS (only sent over https)',
      request: { path: '/en/latest/' },
      expect: { status: 302, location: 'https://guide.docs.localhost/en/latest/', headers: { 'strict-transport-security': null, 'x-rtd-project': 'guide', 'cdn-cache-control': /^public/ } },
    },
  ],
});
