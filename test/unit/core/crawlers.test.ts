// The generated robots.txt, llms.txt and sitemap.xml: Read the Docs' shape line for line,
// version-aware order, priorities and change frequencies, hreflang forms, escaping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { llmsTxt, llmsTxtDelisted } from '../../../src/core/llms.ts';
import { crawlerRules, robotsTxt, robotsTxtDelisted } from '../../../src/core/robots.ts';
import { comparableVersion, hreflang, sitemapXml, sortVersionAware } from '../../../src/core/sitemap.ts';

test('robots.txt rules: an empty Disallow allows everything; each hidden version disallowed; then the sitemap', () => {
  assert.equal(crawlerRules([], 'https://p.example/sitemap.xml'), 'User-agent: *\n\nDisallow: # Allow everything\n\nSitemap: https://p.example/sitemap.xml\n');
  assert.equal(
    crawlerRules(['/en/old/', '/es/old/'], 'https://p.example/sitemap.xml'),
    'User-agent: *\n\nDisallow: /en/old/ # Hidden version\n\nDisallow: /es/old/ # Hidden version\n\nSitemap: https://p.example/sitemap.xml\n',
  );
  // The generated files open with comments, then the same rules.
  assert.match(robotsTxt(['/en/old/'], 'https://p/sitemap.xml'), /^(#.*\n)+\nUser-agent: \*\n\nDisallow: \/en\/old\/ # Hidden version\n\nSitemap: https:\/\/p\/sitemap.xml\n$/);
  assert.match(llmsTxt([], 'https://p/sitemap.xml'), /^(#.*\n)+\nUser-agent: \*\n\nDisallow: # Allow everything\n\nSitemap: https:\/\/p\/sitemap.xml\n$/);
});

test('delisted: robots.txt and llms.txt disallow everything', () => {
  for (const body of [robotsTxtDelisted(), llmsTxtDelisted()]) assert.match(body, /^#[^\n]*\nUser-agent: \*\nDisallow: \/\n$/);
});

test('hreflang: underscores become hyphens, nothing else (Read the Docs)', () => {
  for (const [code, expected] of [['en', 'en'], ['pt-br', 'pt-br'], ['zh_CN', 'zh-CN'], ['pt_BR', 'pt-BR']]) assert.equal(hreflang(code!), expected);
});

test('version-aware order: latest, stable, releases newest first (pre-releases below), other names last', () => {
  const slugs = ['main', '1.10', 'v2.0', '1.9', 'stable', '2.0rc1', 'latest', 'feature', '1.9.1'];
  assert.deepEqual(sortVersionAware(slugs.map((slug) => ({ slug }))).map((v) => v.slug), ['latest', 'stable', 'v2.0', '2.0rc1', '1.10', '1.9.1', '1.9', 'main', 'feature']);
  assert.equal(comparableVersion('not-a-version').rank, 0);
});

test('sitemap.xml: stable swapped before latest; priorities 1.0 → 0.1; weekly, daily, then monthly; alternates as given', () => {
  const at = new Date('2025-01-02T03:04:05Z');
  const versions = ['latest', 'stable', '3.0', '2.0', '1.0', '0.9', '0.8', '0.7', '0.6', '0.5', '0.4'].map((slug) => ({
    loc: `https://p.example/en/${slug}/`, slug, lastmod: slug === 'latest' ? at : null, alternates: [],
  }));
  versions[2] = { ...versions[2]!, loc: 'https://p.example/en/3.0/?a=1&b=2', alternates: [{ hreflang: 'es', href: 'https://p.example/es/3.0/' }, { hreflang: 'en', href: 'https://p.example/en/3.0/' }] } as never;
  const xml = sitemapXml(versions);
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9" xmlns:xhtml="http:\/\/www.w3.org\/1999\/xhtml">/);
  const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  assert.deepEqual(locs.slice(0, 3), ['https://p.example/en/stable/', 'https://p.example/en/latest/', 'https://p.example/en/3.0/?a=1&amp;b=2']);
  assert.deepEqual([...xml.matchAll(/<priority>([^<]+)</g)].map((m) => m[1]), ['1.0', '0.9', '0.8', '0.7', '0.6', '0.5', '0.4', '0.3', '0.2', '0.1', '0.1']);
  assert.deepEqual([...xml.matchAll(/<changefreq>([^<]+)</g)].map((m) => m[1]).slice(0, 4), ['weekly', 'daily', 'monthly', 'monthly']);
  assert.match(xml, /<loc>https:\/\/p.example\/en\/3.0\/\?a=1&amp;b=2<\/loc>\n {4}<xhtml:link rel="alternate" hreflang="es" href="https:\/\/p.example\/es\/3.0\/"\/>\n {4}<xhtml:link rel="alternate" hreflang="en" href="https:\/\/p.example\/en\/3.0\/"\/>/);
  assert.equal([...xml.matchAll(/xhtml:link/g)].length, 2, 'no alternates where none are given');
  assert.deepEqual([...xml.matchAll(/<lastmod>([^<]+)</g)].map((m) => m[1]), ['2025-01-02T03:04:05.000+00:00']);
  assert.match(xml, /<\/urlset>\n$/);
});
