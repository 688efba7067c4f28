// Projects in the shape of Read the Docs' API v3 (ProjectSerializer), so existing clients read
// them unchanged: `homepage` null when empty, languages with their names, `default_branch`
// never null, related projects as `{slug, _links}` (RelatedProjectSerializer: nothing more of
// a project the reader may not see), `urls.downloads` null, `?expand=active_versions` and
// `?expand=permissions`. Bindery's own settings (description, documentation type, previews,
// version warning, analytics) follow Read the Docs' fields.
import { languageName, programmingLanguageName } from '../../core/languages.ts';
import { displayRepositoryUrl } from '../../core/repository-url.ts';
import { docsOrigin, versionDocsUrl } from '../../core/urls.ts';
import { NO_RELATIONS, type ProjectRelations } from '../../db/project-relations.ts';
import type { Project } from '../../db/schema.ts';
import { api, type UrlContext } from './serializers.ts';
import type { serializeVersion } from './version-serializer.ts';

/** What a project is shown with besides its row; loaded with db/project-relations.ts. */
export interface ProjectExtras extends ProjectRelations {
  /** Present when the request asked `?expand=active_versions`. */
  activeVersions?: ReturnType<typeof serializeVersion>[];
  /** Present when the request asked `?expand=permissions`: whether the reader administers the project. */
  admin?: boolean;
}

/** Git's branch when Bindery has not read the repository yet (Read the Docs' fallback for git). */
const FALLBACK_BRANCH = 'master';

/** Read the Docs' ProjectLinksSerializer. */
function projectLinks(ctx: UrlContext, slug: string) {
  const at = (path: string) => api(ctx, `projects/${slug}/${path}`);
  return {
    _self: at(''),
    versions: at('versions/'),
    builds: at('builds/'),
    environmentvariables: at('environmentvariables/'),
    redirects: at('redirects/'),
    subprojects: at('subprojects/'),
    superproject: at('superproject/'),
    translations: at('translations/'),
    notifications: at('notifications/'),
    sync_versions: at('sync-versions/'),
  };
}

/** Read the Docs' RelatedProjectSerializer: the slug and links only, whoever reads it. */
const relatedProject = (ctx: UrlContext, slug: string | null) => (slug === null ? null : { slug, _links: projectLinks(ctx, slug) });

export function serializeProject(p: Project, ctx: UrlContext, extras: ProjectExtras = NO_RELATIONS) {
  const origin = docsOrigin(ctx.publicUrl, ctx.docsDomain, p.slug);
  return {
    id: p.id,
    name: p.name,
    slug: p.slug,
    created: p.createdAt.toISOString(),
    modified: p.updatedAt.toISOString(),
    language: { code: p.language, name: languageName(p.language) },
    programming_language: { code: p.programmingLanguage, name: programmingLanguageName(p.programmingLanguage) },
    homepage: p.homepage || null,
    repository: { url: displayRepositoryUrl(p.repoUrl), type: p.repoType },
    default_version: p.defaultVersion,
    default_branch: p.defaultBranch ?? extras.latestBranch ?? FALLBACK_BRANCH,
    // A translation is never a subproject's child in Read the Docs' answer.
    subproject_of: extras.translationOf === null ? relatedProject(ctx, extras.subprojectOf) : null,
    translation_of: relatedProject(ctx, extras.translationOf),
    urls: {
      documentation: versionDocsUrl(origin, p, p.defaultVersion),
      home: `${ctx.publicUrl}/projects/${p.slug}/`,
      builds: `${ctx.publicUrl}/projects/${p.slug}/builds/`,
      versions: `${ctx.publicUrl}/projects/${p.slug}/versions/`,
      // Read the Docs keeps the key and always answers null.
      downloads: null,
    },
    tags: p.tags,
    privacy_level: p.privacyLevel,
    readthedocs_yaml_path: p.readthedocsYamlPath,
    external_builds_privacy_level: p.externalBuildsPrivacyLevel,
    versioning_scheme: p.versioningScheme,
    custom_prefix: p.customPrefix,
    custom_subproject_prefix: p.customSubprojectPrefix,
    delisted: p.delisted,
    single_version: p.singleVersion,
    _links: projectLinks(ctx, p.slug),
    users: extras.users.map((username) => ({ username })),
    ...(extras.activeVersions ? { active_versions: extras.activeVersions } : {}),
    ...(extras.admin !== undefined ? { permissions: { admin: extras.admin } } : {}),
    // Bindery's own, beside Read the Docs' fields.
    description: p.description,
    documentation_type: p.documentationType,
    external_builds_enabled: p.externalBuildsEnabled,
    show_version_warning: p.showVersionWarning,
    analytics_code: p.analyticsCode || null,
    analytics_disabled: p.analyticsDisabled,
  };
}
