// Where things are on the outside: the public URLs of a project's documentation.
import { versionPath, type VersioningScheme } from './docs-path.ts';

/** What a project's URLs depend on: its language and URL layout (versioning scheme, custom prefix). */
export interface ProjectUrlLayout {
  language: string;
  singleVersion: boolean;
  versioningScheme?: string;
  customPrefix?: string | null;
}

/**
 * The origin of a project's docs: `<slug>.<docsDomain>`, with the scheme and port of the
 * public URL (so `http://localhost:8000` gives `http://bindery.docs.localhost:8000`).
 */
export function docsOrigin(publicUrl: string, docsDomain: string, slug: string): string {
  const base = new URL(publicUrl);
  return `${base.protocol}//${slug}.${docsDomain}${base.port ? `:${base.port}` : ''}`;
}

/** The URL of one version of a project's docs, in its layout (`/<lang>/<version>/`, `/<version>/`, `/`, under its prefix). */
export function versionDocsUrl(origin: string, project: ProjectUrlLayout, versionSlug: string): string {
  const scheme = project.versioningScheme as VersioningScheme | undefined;
  return origin + versionPath({ singleVersion: project.singleVersion, versioningScheme: scheme, customPrefix: project.customPrefix ?? null }, project.language, versionSlug);
}

/**
 * A host that names a docs or preview domain without being one of its hosts
 * (`docs.localhost.evil.example`, `a.b.docs.localhost`, the bare domain): Read the Docs
 * answers 400 for such lookalikes, and 404 for a well-formed host of no project.
 */
export function isLookalikeHost(host: string, domains: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const root = name.slice(name.indexOf('.') + 1);
  return domains.some((domain) => name.includes(domain) && (name.indexOf('.') < 0 || root !== domain));
}

/** The project slug a docs host names, or null when the host is not under the docs domain. */
export function slugFromHost(host: string, docsDomain: string): string | null {
  const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const suffix = `.${docsDomain}`;
  if (!name.endsWith(suffix)) return null;
  const slug = name.slice(0, -suffix.length);
  return /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(slug) ? slug : null;
}
