// Versions in the shape of Read the Docs' API v3 (VersionSerializer).
import { displayRepositoryUrl } from '../../core/repository-url.ts';
import { DOWNLOAD_FORMATS } from '../../core/docs-path.ts';
import { docsOrigin } from '../../core/urls.ts';
import { documentationUrl } from '../../core/previews.ts';
import type { Project, Version } from '../../db/schema.ts';
import { api, type UrlContext } from './serializers.ts';

/**
 * `formats`: the offline formats of the version's live build (db/versions.ts liveFormats),
 * each linked where the docs server hands it out.
 */
export function serializeVersion(v: Version, p: Project, ctx: UrlContext, formats: string[] = []) {
  const origin = docsOrigin(ctx.publicUrl, ctx.docsDomain, p.slug);
  const external = v.type === 'external';
  const downloads = Object.fromEntries(
    formats.filter((f) => Object.hasOwn(DOWNLOAD_FORMATS, f)).map((f) => [f, `${origin}/_/downloads/${encodeURIComponent(p.language)}/${encodeURIComponent(v.slug)}/${encodeURIComponent(f)}/`]),
  );
  return {
    id: v.id,
    slug: v.slug,
    verbose_name: v.verboseName,
    identifier: v.commit ?? v.identifier,
    ref: v.machine ? v.identifier : null,
    built: v.built,
    active: v.active,
    hidden: v.hidden,
    type: v.type,
    // A preview's privacy is the project's setting for previews, as on Read the Docs.
    privacy_level: external ? p.externalBuildsPrivacyLevel : v.privacyLevel,
    downloads: external ? {} : downloads,
    urls: {
      documentation: documentationUrl(ctx, p, v),
      dashboard: { edit: `${ctx.publicUrl}/dashboard/${p.slug}/version/${v.slug}/edit/` },
      vcs: displayRepositoryUrl(p.repoUrl),
    },
    _links: {
      _self: api(ctx, `projects/${p.slug}/versions/${v.slug}/`),
      builds: api(ctx, `projects/${p.slug}/versions/${v.slug}/builds/`),
      project: api(ctx, `projects/${p.slug}/`),
    },
  };
}

