// The robots.txt Bindery writes for a project that ships none: Read the Docs' shape — allow
// everything but hidden versions, and point crawlers at the sitemap.

/** `hiddenPaths` are version roots such as `/en/old/`; `sitemapUrl` is absolute. */
export function robotsTxt(hiddenPaths: readonly string[], sitemapUrl: string): string {
  const lines = ['User-agent: *', ''];
  for (const path of hiddenPaths) lines.push(`Disallow: ${path} # Hidden version`);
  if (hiddenPaths.length) lines.push('');
  lines.push(`Sitemap: ${sitemapUrl}`, '');
  return lines.join('\n');
}

/** A host crawlers must leave alone entirely (pull-request previews). */
export function robotsTxtDisallowAll(): string {
  return ['User-agent: *', 'Disallow: /', ''].join('\n');
}
