// The docs server's rules as one table — request (host, path) → status, Location, body,
// headers — over a real socket, on sites built directly in the database and storage:
// hosts and custom domains, translations, subprojects, user redirects, 404 pages, robots,
// sitemap, downloads, private and hidden versions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { docsFixture, type DocsFixture } from '../../helpers/docs-fixture.ts';
import { get } from '../../helpers/http.ts';

let f: DocsFixture;
const H = (slug: string) => `${slug}.docs.localhost`;
const page = (text: string) => `<!doctype html><title>${text}</title><p>${text}</p>\n`;

before(async () => {
  f = await docsFixture();
  const guide = await f.project('guide');
  const latest = await f.version(guide, 'latest');
  await f.deploy(guide, latest, {
    'index.html': page('guide latest home'),
    'setup/index.html': page('guide latest setup'),
    'page.html': page('guide latest page'),
    'forced.html': page('guide latest forced file'),
    'exists.html': page('guide latest exists file'),
    'b.html': page('guide latest b'),
    'reference/x.html': page('guide reference x'),
    '404.html': page('guide latest 404'),
    'data.json': '{"ok": true}\n',
  });
  const v1 = await f.version(guide, 'v1');
  await f.deploy(guide, v1, { 'index.html': page('guide v1 home'), 'old.html': page('guide v1 old') });
  const v2 = await f.version(guide, 'v2');
  await f.deploy(guide, v2, { 'index.html': page('guide v2 home'), '404/index.html': page('guide v2 dir 404') }, {
    htmlzip: Buffer.from('PK zip bytes'), pdf: '%PDF-1.7 pdf bytes', epub: Buffer.from('epub bytes'),
  });
  await f.deploy(guide, await f.version(guide, 'old', { hidden: true }), { 'index.html': page('guide hidden old') });
  await f.deploy(guide, await f.version(guide, 'secret', { privacyLevel: 'private' }), { 'index.html': page('guide private secret') });
  await f.deploy(guide, await f.version(guide, 'inactive', { active: false }), { 'index.html': page('guide inactive') });
  await f.version(guide, 'unbuilt');

  const es = await f.project('guide-es', { language: 'es', translationOfId: guide.id, defaultVersion: 'stable' });
  await f.deploy(es, await f.version(es, 'stable'), { 'index.html': page('guia estable') });
  await f.deploy(es, await f.version(es, 'latest'), { 'index.html': page('guia latest') });
  const fr = await f.project('guide-fr', { language: 'fr', translationOfId: guide.id, privacyLevel: 'private' });
  await f.deploy(fr, await f.version(fr, 'latest'), { 'index.html': page('guide fr private') });

  const plugin = await f.project('plugin', { defaultVersion: 'stable' });
  await f.deploy(plugin, await f.version(plugin, 'stable'), { 'index.html': page('plugin stable home'), 'x.html': page('plugin x') });
  await f.subproject(guide, plugin, 'plugin');
  await f.redirect(plugin, { type: 'page', fromUrl: '/y.html', toUrl: '/x.html' });

  const solo = await f.project('solo', { singleVersion: true });
  await f.deploy(solo, await f.version(solo, 'latest'), { 'index.html': page('solo home'), 'about.html': page('solo about'), 'sub/index.html': page('solo sub') });

  const hushed = await f.project('hushed', { privacyLevel: 'private' });
  await f.deploy(hushed, await f.version(hushed, 'latest'), { 'index.html': page('hushed') });

  const own = await f.project('own');
  await f.deploy(own, await f.version(own, 'latest'), { 'index.html': page('own'), 'robots.txt': 'User-agent: *\nDisallow: /own-rule/\n', 'sitemap.xml': '<urlset>own sitemap</urlset>\n' });
  const priv = await f.project('privdefault');
  await f.deploy(priv, await f.version(priv, 'latest', { privacyLevel: 'private' }), { 'index.html': page('private default') });

  const htmlstyle = await f.project('htmlstyle');
  await f.deploy(htmlstyle, await f.version(htmlstyle, 'latest'), { 'index.html': page('h'), 'foo/index.html': page('htmlstyle foo dir') });
  await f.redirect(htmlstyle, { type: 'html_to_clean_url' });
  const dirstyle = await f.project('dirstyle');
  await f.deploy(dirstyle, await f.version(dirstyle, 'latest'), { 'index.html': page('d'), 'foo.html': page('dirstyle foo html') });
  await f.redirect(dirstyle, { type: 'clean_url_to_html' });

  await f.domain(guide, 'docs.example.com', true);
  await f.domain(guide, 'unverified.example.com', false);

  await f.redirect(guide, { type: 'page', fromUrl: '/moved.html', toUrl: '/page.html' });
  await f.redirect(guide, { type: 'exact', fromUrl: '/en/v0/*', toUrl: '/en/latest/:splat', httpStatus: 301 });
  await f.redirect(guide, { type: 'page', fromUrl: '/forced.html', toUrl: '/page.html', force: true });
  await f.redirect(guide, { type: 'page', fromUrl: '/exists.html', toUrl: '/page.html' });
  await f.redirect(guide, { type: 'exact', fromUrl: '/go', toUrl: 'https://example.org/landing' });
  await f.redirect(guide, { type: 'exact', fromUrl: '/open/*', toUrl: '/:splat' });
  await f.redirect(guide, { type: 'exact', fromUrl: '/ext/*', toUrl: 'https://example.org:splat' });
  await f.redirect(guide, { type: 'page', fromUrl: '/self.html', toUrl: '/self.html' });
  await f.redirect(guide, { type: 'page', fromUrl: '/disabled.html', toUrl: '/page.html', enabled: false });
  await f.redirect(guide, { type: 'page', fromUrl: '/pos.html', toUrl: '/a.html', position: 2 });
  await f.redirect(guide, { type: 'page', fromUrl: '/pos.html', toUrl: '/b.html', position: 1 });
  await f.redirect(guide, { type: 'exact', fromUrl: '/q', toUrl: '/en/latest/page.html?from=q' });
  await f.redirect(guide, { type: 'page', fromUrl: '/api/*', toUrl: '/reference/:splat' });
  await f.redirect(guide, { type: 'exact', fromUrl: '/unknown-lang/*', toUrl: '/en/latest/' });
  await f.listen();
  // A file beside the builds, which no request may reach.
  fs.writeFileSync(path.join(f.storage.root, 'secret.txt'), 'top secret\n');
});
after(() => f.close());

interface Row {
  host?: string;
  path: string;
  headers?: Record<string, string>;
  status: number;
  location?: string;
  body?: RegExp;
  not?: RegExp;
  redirect?: 'system' | 'user';
  type?: RegExp;
  version?: string;
}

const rows: Row[] = [
  // Hosts
  { path: '/en/latest/', status: 200, body: /guide latest home/, version: 'latest' },
  { host: 'docs.example.com', path: '/en/latest/page.html', status: 200, body: /guide latest page/ },
  { host: 'DOCS.Example.com.', path: '/en/latest/', status: 200, body: /guide latest home/ },
  { host: 'unverified.example.com', path: '/en/latest/', status: 404, not: /guide/ },
  { host: 'nobody.example.com', path: '/', status: 404 },
  { host: H('nope'), path: '/en/latest/', status: 404 },
  { host: 'a.guide.docs.localhost', path: '/en/latest/', status: 400 },
  { host: 'bad_host!', path: '/', status: 404 },
  // System redirects, query strings kept
  { path: '/', status: 302, location: '/en/latest/', redirect: 'system' },
  { path: '/?utm=1&b=2', status: 302, location: '/en/latest/?utm=1&b=2' },
  { path: '/en', status: 302, location: '/en/latest/' },
  { path: '/en/?x=1', status: 302, location: '/en/latest/?x=1' },
  { path: '/en/v1', status: 302, location: '/en/v1/' },
  { path: '/en/v1?x=1', status: 302, location: '/en/v1/?x=1' },
  { path: '/en/latest/setup', status: 302, location: '/en/latest/setup/' },
  { path: '/en/latest/setup?a=b', status: 302, location: '/en/latest/setup/?a=b' },
  { path: '//evil.example/en/latest/', status: 302, location: '/evil.example/en/latest/' },
  { path: '/en/latest/setup/', status: 200, body: /guide latest setup/ },
  { path: '/en/latest/page', status: 404, body: /guide latest 404/ },
  // Bad paths
  { path: '/en/latest/../v1/', status: 400 },
  { path: '/en/latest/%2e%2e/v1/', status: 400 },
  { path: '/en/latest/..%5csecret.txt', status: 400 },
  // Versions: hidden served, private/inactive/unbuilt 404, missing → default version's 404 page
  { path: '/en/old/', status: 200, body: /guide hidden old/ },
  { path: '/en/secret/', status: 404, not: /private secret/ },
  { path: '/en/inactive/', status: 404, not: /guide inactive/ },
  { path: '/en/unbuilt/', status: 404, body: /guide latest 404/ },
  { path: '/en/nope/', status: 404, body: /guide latest 404/ },
  { path: '/en/v1/missing.html', status: 404, body: /guide latest 404/, version: 'v1' },
  { path: '/en/v2/missing.html', status: 404, body: /guide v2 dir 404/ },
  { path: '/de/latest/', status: 404, body: /guide latest 404/ },
  // Translations
  { path: '/es/', status: 302, location: '/es/stable/' },
  { path: '/es', status: 302, location: '/es/stable/' },
  { path: '/es/stable/', status: 200, body: /guia estable/ },
  { path: '/es/latest/', status: 200, body: /guia latest/ },
  // A translation's own host sends readers to the main host; its root lands on its own language.
  { host: H('guide-es'), path: '/es/stable/', status: 302, location: 'http://guide.docs.localhost/es/stable/' },
  { host: H('guide-es'), path: '/', status: 302, location: 'http://guide.docs.localhost/es/stable/' },
  { path: '/fr/latest/', status: 404, not: /fr private/ },
  // Subprojects
  { path: '/projects/plugin/', status: 302, location: '/projects/plugin/en/stable/' },
  { path: '/projects/plugin', status: 302, location: '/projects/plugin/en/stable/' },
  { path: '/projects/plugin/?q=1', status: 302, location: '/projects/plugin/en/stable/?q=1' },
  { path: '/projects/plugin/en', status: 302, location: '/projects/plugin/en/stable/' },
  { path: '/projects/plugin/en/stable', status: 302, location: '/projects/plugin/en/stable/' },
  { path: '/projects/plugin/en/stable/', status: 200, body: /plugin stable home/ },
  { path: '/projects/plugin/en/stable/y.html', status: 302, location: '/projects/plugin/en/stable/x.html', redirect: 'user' },
  { path: '/projects/nope/', status: 404 },
  // Single version
  { host: H('solo'), path: '/', status: 200, body: /solo home/ },
  { host: H('solo'), path: '/about.html', status: 200, body: /solo about/ },
  { host: H('solo'), path: '/sub', status: 302, location: '/sub/' },
  { host: H('solo'), path: '/sub/', status: 200, body: /solo sub/ },
  { host: H('solo'), path: '/en/latest/', status: 404 },
  { host: H('hushed'), path: '/en/latest/', status: 404, not: /hushed/ },
  // User redirects
  { path: '/en/latest/moved.html', status: 302, location: '/en/latest/page.html', redirect: 'user' },
  { path: '/en/v1/moved.html?x=1', status: 302, location: '/en/v1/page.html?x=1', redirect: 'user' },
  { path: '/es/stable/moved.html', status: 404 },
  { path: '/en/v0/setup/', status: 301, location: '/en/latest/setup/', redirect: 'user' },
  { path: '/en/v0/a%20b.html', status: 301, location: '/en/latest/a%20b.html' },
  { path: '/en/latest/forced.html', status: 302, location: '/en/latest/page.html', redirect: 'user' },
  { path: '/en/latest/exists.html', status: 200, body: /exists file/ },
  { path: '/go?a=1', status: 302, location: 'https://example.org/landing?a=1' },
  // Repeated slashes collapse first (Read the Docs' middleware), before any user redirect.
  { path: '/open//evil.example/x', status: 302, location: '/open/evil.example/x' },
  { path: '/ext/@evil.example', status: 404 },
  { path: '/ext/.evil.example/x', status: 404 },
  { path: '/ext/:8443/x', status: 404 },
  { path: '/ext//path', status: 302, location: '/ext/path' },
  { path: '/en/latest/self.html', status: 404, body: /guide latest 404/ },
  { path: '/en/latest/disabled.html', status: 404 },
  { path: '/en/latest/pos.html', status: 302, location: '/en/latest/b.html' },
  { path: '/q?x=1&from=z', status: 302, location: '/en/latest/page.html?x=1&from=z&from=q' },
  { path: '/en/latest/api/deep/x.html', status: 302, location: '/en/latest/reference/deep/x.html' },
  { path: '/unknown-lang/x', status: 302, location: '/en/latest/' },
  { host: H('htmlstyle'), path: '/en/latest/foo.html', status: 302, location: '/en/latest/foo/' },
  { host: H('htmlstyle'), path: '/en/latest/foo/', status: 200, body: /htmlstyle foo dir/ },
  { host: H('dirstyle'), path: '/en/latest/foo/', status: 302, location: '/en/latest/foo.html' },
  { host: H('dirstyle'), path: '/en/latest/foo.html', status: 200, body: /dirstyle foo html/ },
  // Special pages
  { path: '/_/health_check/', status: 200, body: /^\{"status": 200\}$/ },
  { host: 'anything.invalid', path: '/_/health_check/', status: 200 },
  { path: '/_/nothing-here/', status: 404 },
  { path: '/robots.txt', status: 200, type: /^text\/plain/, body: /\nUser-agent: \*\n\nDisallow: \/en\/old\/ # Hidden version\n\nSitemap: http:\/\/guide\.docs\.localhost:\d+\/sitemap\.xml\n$/ },
  { host: H('own'), path: '/robots.txt', status: 200, body: /Disallow: \/own-rule\// },
  // Read the Docs always generates sitemap.xml, whatever the build holds.
  { host: H('own'), path: '/sitemap.xml', status: 200, body: /<urlset/, not: /own sitemap/ },
  { host: H('privdefault'), path: '/robots.txt', status: 404 },
  { host: H('privdefault'), path: '/sitemap.xml', status: 404 },
  { path: '/_/downloads/en/v2/pdf/', status: 200, body: /^%PDF-1\.7 pdf bytes$/, type: /^application\/pdf/ },
  { path: '/_/downloads/en/v2/htmlzip/', status: 200, body: /^PK zip bytes$/, type: /^application\/zip/ },
  { path: '/_/downloads/en/v2/epub/', status: 200, type: /^application\/epub\+zip/ },
  { path: '/_/downloads/en/latest/pdf/', status: 404 },
  { path: '/_/downloads/en/v2/docx/', status: 404 },
  { path: '/_/downloads/en/secret/pdf/', status: 404 },
];

test('rules table: request → status, Location, body', async () => {
  const failures: string[] = [];
  for (const row of rows) {
    const host = row.host ?? `${H('guide')}:${f.port}`;
    const res = await get(f.port, host, row.path, row.headers);
    const where = `${host}${row.path}`;
    if (res.status !== row.status) failures.push(`${where}: status ${res.status}, expected ${row.status} (${res.headers.location ?? res.body.slice(0, 80)})`);
    if (row.location !== undefined && res.headers.location !== row.location) failures.push(`${where}: Location ${res.headers.location}, expected ${row.location}`);
    if (row.body && !row.body.test(res.body)) failures.push(`${where}: body ${JSON.stringify(res.body.slice(0, 120))} does not match ${row.body}`);
    if (row.not && row.not.test(res.body)) failures.push(`${where}: body must not match ${row.not}`);
    if (/top secret/.test(res.body)) failures.push(`${where}: served a file outside the build`);
    if (row.redirect && res.headers['x-bindery-redirect'] !== row.redirect) failures.push(`${where}: X-Bindery-Redirect ${res.headers['x-bindery-redirect']}, expected ${row.redirect}`);
    if (row.type && !row.type.test(res.headers['content-type'] ?? '')) failures.push(`${where}: Content-Type ${res.headers['content-type']}`);
    if (row.version && res.headers['x-bindery-version'] !== row.version) failures.push(`${where}: X-Bindery-Version ${res.headers['x-bindery-version']}`);
  }
  assert.deepEqual(failures, []);
});

test('downloads are named <host, dashed>-<lang>-<version>.<ext>, as Read the Docs names them', async () => {
  const res = await get(f.port, H('guide'), '/_/downloads/en/v2/pdf/');
  assert.equal(res.headers['content-disposition'], 'filename=guide-docs-localhost-en-v2.pdf');
  const zip = await get(f.port, H('guide'), '/_/downloads/en/v2/htmlzip/');
  assert.equal(zip.headers['content-disposition'], 'filename=guide-docs-localhost-en-v2.zip');
});

test('sitemap.xml lists public, active, non-hidden versions with lastmod and hreflang alternates', async () => {
  const res = await get(f.port, `${H('guide')}:${f.port}`, '/sitemap.xml');
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'] ?? '', /^application\/xml/);
  const locs = [...res.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  const origin = `http://guide.docs.localhost:${f.port}`;
  // Version-aware: latest, then the newest release first.
  assert.deepEqual(locs, [`${origin}/en/latest/`, `${origin}/en/v2/`, `${origin}/en/v1/`]);
  assert.equal([...res.body.matchAll(/<lastmod>\d{4}-\d\d-\d\dT[\d:.]+\+00:00<\/lastmod>/g)].length, 3);
  // latest exists in Spanish too: the translation, then the page itself, are its alternates.
  assert.match(res.body, new RegExp(`<loc>${origin}/en/latest/</loc>\\s*<xhtml:link rel="alternate" hreflang="es" href="${origin}/es/latest/"/>\\s*<xhtml:link rel="alternate" hreflang="en" href="${origin}/en/latest/"/>`));
  assert.doesNotMatch(res.body, /\/fr\//, 'private translations are not listed');
  assert.doesNotMatch(res.body, /old|secret|inactive|unbuilt/);
});

test('responses name their project and version, and tag them for CDN purges', async () => {
  const res = await get(f.port, H('guide'), '/en/latest/page.html');
  assert.equal(res.headers['x-bindery-project'], 'guide');
  assert.equal(res.headers['x-bindery-version'], 'latest');
  assert.equal(res.headers['cache-tag'], 'guide,guide:latest');
  assert.equal(res.headers['access-control-allow-origin'], '*');
  const es = await get(f.port, H('guide'), '/es/stable/');
  assert.equal(es.headers['x-bindery-project'], 'guide-es');
  assert.equal(es.headers['cache-tag'], 'guide-es,guide-es:stable');
  const sub = await get(f.port, H('guide'), '/projects/plugin/en/stable/');
  assert.equal(sub.headers['cache-tag'], 'plugin,plugin:stable');
  const missing = await get(f.port, H('guide'), '/en/latest/nothing.html');
  assert.equal(missing.status, 404);
  assert.equal(missing.headers['cache-tag'], 'guide,guide:latest');
  // Read the Docs sends CORS whenever the URL named a project and a version, found or not.
  assert.equal(missing.headers['access-control-allow-origin'], '*');
});
