// The headers a docs answer carries besides its body, from what the request flow noted:
// Read the Docs' X-RTD-* names, Cache-Tag, CDN-Cache-Control, CORS, HSTS, a domain's headers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerHeaders, cacheTags, cdnCacheControl, downloadFilename, hstsFor, resolverFilenameHeader, type AnswerNotes } from '../../../src/docs/headers.ts';
import type { Site } from '../../../src/docs/resolver.ts';

const project = { id: 1, slug: 'guide', language: 'en', defaultVersion: 'latest', singleVersion: false, privacyLevel: 'public', translationOfId: null, externalBuildsEnabled: false, externalBuildsPrivacyLevel: 'public', delisted: false };
const site = (over: Partial<Site> = {}, root: Partial<typeof project> = {}): Site =>
  ({ root: { ...project, ...root }, translations: new Map(), view: { language: 'en', defaultVersion: 'latest', singleVersion: false }, preview: null, domain: null, ...over }) as Site;
const notes = (over: Partial<AnswerNotes> = {}): AnswerNotes => ({ site: site(), project: null, version: null, path: null, filename: null, tags: [], private: false, ...over });
const headers = (n: AnswerNotes, status = 200, secure = false, docsHttps = false) => Object.fromEntries(answerHeaders(n, { host: 'guide.docs.localhost', secure }, status, { docsHttps }));

test('a served page: project, version, path, filename, tags, methods, CORS, public CDN', () => {
  const h = headers(notes({ project: 'guide', version: 'latest', path: '/html/guide/latest/1/index.html', filename: '/' }));
  assert.deepEqual(h, {
    'X-RTD-Domain': 'guide.docs.localhost', 'X-RTD-Project': 'guide', 'X-Bindery-Project': 'guide', 'X-RTD-Version': 'latest', 'X-Bindery-Version': 'latest',
    'X-RTD-Path': '/html/guide/latest/1/index.html', 'Cache-Tag': 'guide,guide:latest', 'X-RTD-Project-Method': 'public_domain', 'X-RTD-Version-Method': 'path',
    'CDN-Cache-Control': 'public', 'X-RTD-Resolver-Filename': '/', 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'HEAD, OPTIONS, GET',
  });
});

test('a redirect or 404 before any version: the host\'s project, no version, no CORS; redirects cached 4 hours', () => {
  const h = headers(notes(), 302);
  assert.equal(h['X-RTD-Project'], 'guide');
  assert.equal(h['Cache-Tag'], 'guide');
  assert.equal(h['X-RTD-Version'], undefined);
  assert.equal(h['Access-Control-Allow-Origin'], undefined);
  assert.equal(h['CDN-Cache-Control'], 'public, max-age=14400');
  assert.equal(headers(notes(), 404)['CDN-Cache-Control'], 'public');
});

test('CDN-Cache-Control: private for previews, private docs, signed-in answers and unknown hosts', () => {
  assert.equal(cdnCacheControl(notes({ site: site({ preview: '7' }) }), 200), 'private');
  assert.equal(cdnCacheControl(notes({ private: true, project: 'guide' }), 200), 'private');
  assert.equal(cdnCacheControl(notes({ site: site({}, { privacyLevel: 'private' }) }), 302), 'private');
  assert.equal(cdnCacheControl(notes({ site: null }), 404), 'private');
  const preview = headers(notes({ site: site({ preview: '7' }), project: 'guide', version: '7' }));
  assert.equal(preview['X-RTD-Project-Method'], 'external_domain');
  assert.equal(preview['X-RTD-Version-Method'], 'domain');
  assert.equal(preview['X-Robots-Tag'], 'noindex');
});

test('a delisted project carries X-Robots-Tag: noindex', () => {
  assert.equal(headers(notes({ site: site({}, { delisted: true }) }))['X-Robots-Tag'], 'noindex');
  assert.equal(headers(notes())['X-Robots-Tag'], undefined);
});

test('HSTS only on https: the docs domain\'s with DOCS_HTTPS, a custom domain\'s own settings', () => {
  assert.equal(headers(notes(), 200, true, true)['Strict-Transport-Security'], 'max-age=31536000; includeSubDomains; preload');
  assert.equal(headers(notes(), 200, false, true)['Strict-Transport-Security'], undefined);
  assert.equal(headers(notes(), 200, true, false)['Strict-Transport-Security'], undefined);
  const custom = (hstsMaxAge: number, hstsIncludeSubdomains = false, hstsPreload = false) =>
    site({ source: 'custom', domain: { hstsMaxAge, hstsIncludeSubdomains, hstsPreload, headers: [] } });
  assert.equal(hstsFor(custom(0, true, true), { docsHttps: true }), null, 'no max-age: nothing');
  assert.equal(hstsFor(custom(600), { docsHttps: false }), 'max-age=600');
  assert.equal(hstsFor(custom(600, true, true), { docsHttps: false }), 'max-age=600; includeSubDomains; preload');
  assert.equal(hstsFor(site({ preview: '7' }), { docsHttps: true }), null);
});

test('a custom domain\'s headers, the secure-only ones on https only, last so they win', () => {
  const s = site({ source: 'custom', domain: { hstsMaxAge: 0, hstsIncludeSubdomains: false, hstsPreload: false, headers: [
    { name: 'X-Frame-Options', value: 'DENY', onlyIfSecureRequest: false },
    { name: 'Content-Security-Policy', value: "default-src 'self'", onlyIfSecureRequest: true },
  ] } });
  const plain = answerHeaders(notes({ site: s }), { host: 'docs.example.com', secure: false }, 200, { docsHttps: false });
  assert.deepEqual(plain.at(-1), ['X-Frame-Options', 'DENY']);
  assert.equal(plain.find(([n]) => n === 'Content-Security-Policy'), undefined);
  assert.equal(Object.fromEntries(plain)['X-RTD-Project-Method'], 'custom_domain');
  const secure = Object.fromEntries(answerHeaders(notes({ site: s }), { host: 'docs.example.com', secure: true }, 200, { docsHttps: false }));
  assert.equal(secure['Content-Security-Policy'], "default-src 'self'");
});

test('cache tags, resolver filename escaping, download names', () => {
  assert.equal(cacheTags('guide', null, ['guide:robots.txt']), 'guide,guide:robots.txt');
  assert.equal(cacheTags('guide', 'latest', ['guide', 'rtd-staticfiles']), 'guide,guide:latest,rtd-staticfiles');
  assert.equal(resolverFilenameHeader('/a b/é.html'), '/a%20b/%C3%A9.html');
  assert.equal(resolverFilenameHeader('/x&y\'.html'), '/x&amp;y&#x27;.html');
  assert.equal(downloadFilename('guide.docs.localhost', 'en', 'latest', 'pdf'), 'guide-docs-localhost-en-latest.pdf');
  assert.equal(downloadFilename('guide.docs.localhost', 'es', 'v2', 'zip', 'plugin'), 'guide-docs-localhost-plugin-es-v2.zip');
});
