// Projects in the shape of Read the Docs' API v3 (ProjectSerializer), so existing clients read them unchanged.
import { displayRepositoryUrl } from '../../core/repository-url.ts';
import { docsOrigin, versionDocsUrl } from '../../core/urls.ts';
import type { ProjectRelations } from '../../db/project-relations.ts';
import type { Project } from '../../db/schema.ts';
import { api, type UrlContext } from './serializers.ts';
import type { serializeVersion } from './version-serializer.ts';

/** What a project is shown with besides its row; loaded with db/project-relations.ts. */
export interface ProjectExtras extends ProjectRelations {
  /** Present when the request asked `?expand=active_versions`. */
  activeVersions?: ReturnType<typeof serializeVersion>[];
}

const NO_RELATIONS: ProjectRelations = { subprojectOf: null, translationOf: null, users: [] };

export function serializeProject(p: Project, ctx: UrlContext, extras: ProjectExtras = NO_RELATIONS) {
  const origin = docsOrigin(ctx.publicUrl, ctx.docsDomain, p.slug);
  return {
    id: p.id,
    name: p.name,
    slug: p.slug,
    created: p.createdAt.toISOString(),
    modified: p.updatedAt.toISOString(),
    language: { code: p.language, name: p.language },
    programming_language: { code: 'words', name: 'Only Words' },
    repository: { url: displayRepositoryUrl(p.repoUrl), type: p.repoType },
    default_version: p.defaultVersion,
    default_branch: p.defaultBranch,
    privacy_level: p.privacyLevel,
    external_builds_enabled: p.externalBuildsEnabled,
    external_builds_privacy_level: p.externalBuildsPrivacyLevel,
    single_version: p.singleVersion,
    versioning_scheme: p.singleVersion ? 'single_version_without_translations' : 'multiple_versions_with_translations',
    documentation_type: p.documentationType,
    description: p.description,
    subproject_of: extras.subprojectOf,
    translation_of: extras.translationOf,
    tags: [],
    users: extras.users.map((username) => ({ username })),
    ...(extras.activeVersions ? { active_versions: extras.activeVersions } : {}),
    urls: {
      documentation: versionDocsUrl(origin, p, p.defaultVersion),
      home: `${ctx.publicUrl}/projects/${p.slug}/`,
      builds: `${ctx.publicUrl}/projects/${p.slug}/builds/`,
      versions: `${ctx.publicUrl}/projects/${p.slug}/versions/`,
    },
    _links: {
      _self: api(ctx, `projects/${p.slug}/`),
      versions: api(ctx, `projects/${p.slug}/versions/`),
      builds: api(ctx, `projects/${p.slug}/builds/`),
      subprojects: api(ctx, `projects/${p.slug}/subprojects/`),
      superproject: api(ctx, `projects/${p.slug}/superproject/`),
      redirects: api(ctx, `projects/${p.slug}/redirects/`),
      translations: api(ctx, `projects/${p.slug}/translations/`),
      environmentvariables: api(ctx, `projects/${p.slug}/environmentvariables/`),
    },
  };
}

