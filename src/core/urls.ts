// Where things are on the outside: the public URLs of a project's documentation.

/**
 * The origin of a project's docs: `<slug>.<docsDomain>`, with the scheme and port of the
 * public URL (so `http://localhost:8000` gives `http://bindery.docs.localhost:8000`).
 */
export function docsOrigin(publicUrl: string, docsDomain: string, slug: string): string {
  const base = new URL(publicUrl);
  return `${base.protocol}//${slug}.${docsDomain}${base.port ? `:${base.port}` : ''}`;
}

/** The URL of one version of a project's docs. */
export function versionDocsUrl(origin: string, project: { language: string; singleVersion: boolean }, versionSlug: string): string {
  return project.singleVersion ? `${origin}/` : `${origin}/${project.language}/${versionSlug}/`;
}

/** The project slug a docs host names, or null when the host is not under the docs domain. */
export function slugFromHost(host: string, docsDomain: string): string | null {
  const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const suffix = `.${docsDomain}`;
  if (!name.endsWith(suffix)) return null;
  const slug = name.slice(0, -suffix.length);
  return /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(slug) ? slug : null;
}
