// The sitemap.xml Bindery writes, as Read the Docs does (always generated, never a build's
// own): one <url> per public, active, non-hidden version, ordered version-aware (latest and
// stable above numbered versions, newest first, then other names; stable swapped before
// latest), priorities 1.0, 0.9, … down to 0.1 and change frequencies weekly, daily, then
// monthly in that order, the last build date, and hreflang alternates when the project has
// translations (each translation's same-named version, then the project itself).

export interface SitemapVersion {
  /** Absolute URL of the version's root. */
  loc: string;
  slug: string;
  lastmod: Date | null;
  /** Same-named versions in other languages, then the project's own (empty without translations). */
  alternates: ReadonlyArray<{ hreflang: string; href: string }>;
}

/** Read the Docs' hreflang form of a language code: underscores become hyphens, nothing else changes. */
export function hreflang(language: string): string {
  return language.replace(/_/g, '-');
}

type Comparable = { rank: number; release: number[]; suffix: number; post: number };

const SUFFIX: Record<string, number> = { dev: 0, a: 1, alpha: 1, b: 2, beta: 2, c: 3, rc: 3, pre: 3, preview: 3 };

/**
 * A version name made comparable as Read the Docs does: latest above stable above every
 * release (PEP 440 numbers, pre-releases below their release), names that are no version last.
 */
export function comparableVersion(name: string): Comparable {
  if (name === 'latest') return { rank: 3, release: [], suffix: 0, post: 0 };
  if (name === 'stable') return { rank: 2, release: [], suffix: 0, post: 0 };
  const m = /^v?(\d+(?:\.\d+)*)(?:[-_.]?(dev|a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:[-_.]?(?:post|r|rev)[-_.]?(\d+))?$/i.exec(name.trim());
  if (!m) return { rank: 0, release: [], suffix: 0, post: 0 };
  const release = m[1]!.split('.').map(Number);
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  const suffix = m[2] ? SUFFIX[m[2].toLowerCase()]! * 1e6 + Number(m[3] || 0) : 4e6;
  return { rank: 1, release, suffix, post: m[4] ? Number(m[4]) + 1 : 0 };
}

function compare(a: Comparable, b: Comparable): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  for (let i = 0; i < Math.max(a.release.length, b.release.length); i++) {
    const d = (a.release[i] ?? 0) - (b.release[i] ?? 0);
    if (d) return d;
  }
  return a.suffix - b.suffix || a.post - b.post;
}

/** Newest first; equal names keep their order (a stable sort). */
export function sortVersionAware<T extends { slug: string }>(versions: readonly T[]): T[] {
  const keyed = versions.map((v) => ({ v, k: comparableVersion(v.slug) }));
  return keyed.sort((a, b) => compare(b.k, a.k)).map((x) => x.v);
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** Read the Docs' lastmod: an ISO 8601 date-time with its UTC offset. */
const isoDate = (d: Date) => d.toISOString().replace(/Z$/, '+00:00');

export function sitemapXml(versions: readonly SitemapVersion[]): string {
  const sorted = sortVersionAware(versions);
  // Stable first with the top priority, latest after it (Read the Docs' swap).
  if (sorted.length >= 2 && sorted[0]!.slug === 'latest' && sorted[1]!.slug === 'stable') [sorted[0], sorted[1]] = [sorted[1]!, sorted[0]!];
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
  ];
  sorted.forEach((v, i) => {
    out.push('  <url>', `    <loc>${xml(v.loc)}</loc>`);
    for (const a of v.alternates) out.push(`    <xhtml:link rel="alternate" hreflang="${xml(a.hreflang)}" href="${xml(a.href)}"/>`);
    if (v.lastmod) out.push(`    <lastmod>${isoDate(v.lastmod)}</lastmod>`);
    const changefreq = i === 0 ? 'weekly' : i === 1 ? 'daily' : 'monthly';
    const priority = Math.max(1, 10 - i) / 10;
    out.push(`    <changefreq>${changefreq}</changefreq>`, `    <priority>${priority.toFixed(1)}</priority>`, '  </url>');
  });
  out.push('</urlset>', '');
  return out.join('\n');
}
