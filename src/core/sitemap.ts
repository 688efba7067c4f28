// The sitemap.xml Bindery writes for a project that ships none: one <url> per public, active,
// non-hidden version, with the last build date and hreflang alternates for the translations
// that have a version of the same name (Read the Docs' shape).

export interface SitemapVersion {
  /** Absolute URL of the version's root. */
  loc: string;
  slug: string;
  lastmod: Date | null;
  /** Same-named versions in other languages (the project's own language included). */
  alternates: ReadonlyArray<{ language: string; href: string }>;
}

/** `pt-br` → `pt-BR`, `zh_CN` → `zh-CN`: the form hreflang expects. */
export function hreflang(language: string): string {
  const [lang, region] = language.split(/[-_]/, 2);
  return region ? `${lang!.toLowerCase()}-${region.toUpperCase()}` : lang!.toLowerCase();
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** Versions in sitemap order: the default first, then latest and stable, then by name. */
export function sitemapXml(versions: readonly SitemapVersion[], defaultVersion: string): string {
  const rank = (v: SitemapVersion) => (v.slug === defaultVersion ? 0 : v.slug === 'latest' || v.slug === 'stable' ? 1 : 2);
  const sorted = [...versions].sort((a, b) => rank(a) - rank(b) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
  ];
  for (const v of sorted) {
    const r = rank(v);
    out.push('  <url>', `    <loc>${xml(v.loc)}</loc>`);
    if (v.alternates.length > 1) {
      for (const a of v.alternates) out.push(`    <xhtml:link rel="alternate" hreflang="${xml(hreflang(a.language))}" href="${xml(a.href)}"/>`);
    }
    if (v.lastmod) out.push(`    <lastmod>${v.lastmod.toISOString()}</lastmod>`);
    out.push(`    <changefreq>${r < 2 ? 'weekly' : 'monthly'}</changefreq>`, `    <priority>${r === 0 ? '1' : r === 1 ? '0.9' : '0.5'}</priority>`, '  </url>');
  }
  out.push('</urlset>', '');
  return out.join('\n');
}
