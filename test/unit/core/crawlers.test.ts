// The generated robots.txt and sitemap.xml: Read the Docs' shape, escaping, hreflang forms.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { robotsTxt } from '../../../src/core/robots.ts';
import { hreflang, sitemapXml } from '../../../src/core/sitemap.ts';

test('robots.txt: everything allowed but hidden versions, then the sitemap', () => {
  assert.equal(robotsTxt([], 'https://p.example/sitemap.xml'), 'User-agent: *\n\nSitemap: https://p.example/sitemap.xml\n');
  assert.equal(
    robotsTxt(['/en/old/', '/es/old/'], 'https://p.example/sitemap.xml'),
    'User-agent: *\n\nDisallow: /en/old/ # Hidden version\nDisallow: /es/old/ # Hidden version\n\nSitemap: https://p.example/sitemap.xml\n',
  );
});

test('hreflang: language-REGION', () => {
  for (const [code, expected] of [['en', 'en'], ['pt-br', 'pt-BR'], ['zh_CN', 'zh-CN'], ['ES', 'es']]) assert.equal(hreflang(code!), expected);
});

test('sitemap.xml: default version first with priority 1, lastmod, alternates only with translations, escaped', () => {
  const at = new Date('2025-01-02T03:04:05Z');
  const xml = sitemapXml([
    { loc: 'https://p.example/en/v1/', slug: 'v1', lastmod: null, alternates: [{ language: 'en', href: 'https://p.example/en/v1/' }] },
    { loc: 'https://p.example/en/latest/', slug: 'latest', lastmod: at, alternates: [] },
    { loc: 'https://p.example/en/stable/?a=1&b=2', slug: 'stable', lastmod: at, alternates: [{ language: 'en', href: 'https://p.example/en/stable/' }, { language: 'pt-br', href: 'https://p.example/pt-br/stable/' }] },
  ], 'stable');
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9" xmlns:xhtml="http:\/\/www.w3.org\/1999\/xhtml">/);
  const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  assert.deepEqual(locs, ['https://p.example/en/stable/?a=1&amp;b=2', 'https://p.example/en/latest/', 'https://p.example/en/v1/']);
  assert.match(xml, /<xhtml:link rel="alternate" hreflang="pt-BR" href="https:\/\/p.example\/pt-br\/stable\/"\/>/);
  assert.equal([...xml.matchAll(/xhtml:link/g)].length, 2, 'a version with no translation lists no alternates');
  assert.equal([...xml.matchAll(/<lastmod>2025-01-02T03:04:05.000Z<\/lastmod>/g)].length, 2);
  assert.deepEqual([...xml.matchAll(/<priority>([^<]+)</g)].map((m) => m[1]), ['1', '0.9', '0.5']);
  assert.deepEqual([...xml.matchAll(/<changefreq>([^<]+)</g)].map((m) => m[1]), ['weekly', 'weekly', 'monthly']);
  assert.match(xml, /<\/urlset>\n$/);
});
