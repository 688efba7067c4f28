// Versions in the shape of Read the Docs' API v3 (VersionSerializer): `identifier` as Read the
// Docs stores it (a branch's name, a tag's commit), `ref` for the machine `stable` only,
// `aliases` (the active version `latest`/`stable` stand for), `urls.vcs` on the repository's host.
import { displayRepositoryUrl } from '../../core/repository-url.ts';
import { DOWNLOAD_FORMATS } from '../../core/docs-path.ts';
import { docsOrigin } from '../../core/urls.ts';
import { documentationUrl } from '../../core/previews.ts';
import { rtdIdentifier, stableRef, vcsUrl } from '../../core/versions.ts';
import type { Project, Version } from '../../db/schema.ts';
import { aliasesOf, type VersionFamily } from '../../domain/versions.ts';
import { api, type UrlContext } from './serializers.ts';

export interface SerializedVersion {
  aliases: SerializedVersion[];
  id: number;
  slug: string;
  verbose_name: string;
  identifier: string;
  ref: string | null;
  built: boolean;
  active: boolean;
  hidden: boolean;
  type: string;
  privacy_level: string;
  downloads: Record<string, string>;
  urls: { documentation: string; dashboard: { edit: string }; vcs: string };
  _links: { _self: string; builds: string; project: string };
}

/**
 * `formats`: the offline formats of the version's live build (db/versions.ts liveFormats),
 * each linked where the docs server hands it out. `family`: the project's versions the reader
 * sees (domain/versions.ts), for `aliases` and `ref`; without it `aliases` is empty.
 */
export function serializeVersion(v: Version, p: Project, ctx: UrlContext, formats: string[] = [], family?: VersionFamily): SerializedVersion {
  const origin = docsOrigin(ctx.publicUrl, ctx.docsDomain, p.slug);
  const external = v.type === 'external';
  const downloads = Object.fromEntries(
    formats.filter((f) => Object.hasOwn(DOWNLOAD_FORMATS, f)).map((f) => [f, `${origin}/_/downloads/${encodeURIComponent(p.language)}/${encodeURIComponent(v.slug)}/${encodeURIComponent(f)}/`]),
  );
  return {
    aliases: family ? aliasesOf(v, family).map((a) => serializeVersion(a, p, ctx, family.formats.get(a.id))) : [],
    id: v.id,
    slug: v.slug,
    verbose_name: v.verboseName,
    identifier: rtdIdentifier(v),
    ref: stableRef(v, family?.versions ?? []),
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
      vcs: vcsUrl(displayRepositoryUrl(p.repoUrl), v),
    },
    _links: {
      _self: api(ctx, `projects/${p.slug}/versions/${v.slug}/`),
      builds: api(ctx, `projects/${p.slug}/versions/${v.slug}/builds/`),
      project: api(ctx, `projects/${p.slug}/`),
    },
  };
}

/** Every version of a listing, with its downloads and aliases. */
export function serializeVersions(list: Version[], p: Project, ctx: UrlContext, family: VersionFamily): SerializedVersion[] {
  return list.map((v) => serializeVersion(v, p, ctx, family.formats.get(v.id), family));
}
