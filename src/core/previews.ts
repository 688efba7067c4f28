// Where pull-request previews live: `<project>--<number>.<PREVIEW_DOMAIN>`, a host of their
// own (Read the Docs' `<project>--<number>.readthedocs.build`), so a preview's pages never
// share a host or a cookie scope with the project's real documentation. Pure.
import { docsOrigin, versionDocsUrl, type ProjectUrlLayout } from './urls.ts';

/** The project and the preview version a preview host names. */
export interface PreviewHost {
  slug: string;
  /** The external version's slug: the request's number, as the webhook created it. */
  version: string;
}

const SLUG = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * `<project>--<number>.<previewDomain>` → its project and preview; null for any other host.
 * The last `--` splits, as Read the Docs' unresolver does, so a slug may itself contain `--`.
 * The number is canonical (no leading zero): one preview has exactly one host.
 */
export function previewFromHost(host: string, previewDomain: string): PreviewHost | null {
  const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const suffix = `.${previewDomain}`;
  if (!name.endsWith(suffix)) return null;
  const m = /^(.+)--([1-9][0-9]{0,9})$/.exec(name.slice(0, -suffix.length));
  if (!m || !SLUG.test(m[1]!) || m[0].length > 63) return null;
  return { slug: m[1]!, version: m[2]! };
}

/** The origin of one preview, with the scheme and port of the public URL. */
export function previewOrigin(publicUrl: string, previewDomain: string, slug: string, version: string): string {
  const base = new URL(publicUrl);
  return `${base.protocol}//${slug}--${version}.${previewDomain}${base.port ? `:${base.port}` : ''}`;
}

/**
 * The URL of a preview on its host, in the project's layout (`/<lang>/<number>/`, `/<number>/`,
 * or `/`); a language alone stands for the default layout.
 */
export function previewUrl(origin: string, project: ProjectUrlLayout | string, version: string): string {
  return versionDocsUrl(origin, typeof project === 'string' ? { language: project, singleVersion: false } : project, version);
}

/**
 * Where readers find a version: a preview on its preview host, any other version on the
 * project's docs host — both in the project's URL layout, as Read the Docs' resolver builds them.
 */
export function documentationUrl(
  hosts: { publicUrl: string; docsDomain: string; previewDomain: string },
  project: { slug: string } & ProjectUrlLayout,
  version: { slug: string; type: string },
): string {
  const origin = version.type === 'external'
    ? previewOrigin(hosts.publicUrl, hosts.previewDomain, project.slug, version.slug)
    : docsOrigin(hosts.publicUrl, hosts.docsDomain, project.slug);
  return versionDocsUrl(origin, project, version.slug);
}

/**
 * Whether a version may be served on a host: an external version only on its own preview
 * host, every other version only on the project's own hosts. `preview` is the version the
 * preview host names, null on any other host.
 */
export function servedOnHost(version: { type: string; slug: string }, preview: string | null): boolean {
  return preview === null ? version.type !== 'external' : version.type === 'external' && version.slug === preview;
}

/**
 * Whether a project's previews may be read at all: only while previews are on (turning them
 * off takes them down), and only when public, since private documentation is not served
 * to anyone yet (the docs server has no reader sign-in).
 */
export function previewsReadable(project: { privacyLevel: string; externalBuildsEnabled: boolean; externalBuildsPrivacyLevel: string }): boolean {
  return project.externalBuildsEnabled && project.externalBuildsPrivacyLevel === 'public' && project.privacyLevel === 'public';
}
