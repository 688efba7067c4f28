// Bindery rows in the shapes of Read the Docs' API v3, so existing clients read them unchanged.
import { BUILD_STATE_NAMES, type BuildState } from '../../core/build-state.ts';
import { displayRepositoryUrl } from '../../core/repository-url.ts';
import { DOWNLOAD_FORMATS } from '../../core/docs-path.ts';
import { docsOrigin, versionDocsUrl } from '../../core/urls.ts';
import { documentationUrl } from '../../core/previews.ts';
import type { ProjectRelations } from '../../db/project-relations.ts';
import type { Build, BuildLogLine, BuildStep, Project, Version } from '../../db/schema.ts';

export interface UrlContext {
  publicUrl: string;
  docsDomain: string;
  previewDomain: string;
}

export const api = (ctx: UrlContext, path: string) => `${ctx.publicUrl}/api/v3/${path}`;

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

export interface BuildDetail {
  steps: BuildStep[];
  log: BuildLogLine[];
}

export function serializeBuild(b: Build, p: Project, versionSlug: string, ctx: UrlContext, detail?: BuildDetail) {
  const duration = b.startedAt && b.finishedAt ? Math.round((b.finishedAt.getTime() - b.startedAt.getTime()) / 1000) : null;
  return {
    id: b.id,
    version: versionSlug,
    project: p.slug,
    commit: b.commit,
    created: b.createdAt.toISOString(),
    started: b.startedAt?.toISOString() ?? null,
    finished: b.finishedAt?.toISOString() ?? null,
    duration,
    state: { code: b.state, name: BUILD_STATE_NAMES[b.state as BuildState] ?? b.state },
    success: b.success,
    error: b.error ?? '',
    error_code: b.errorCode,
    trigger: b.trigger,
    builder: b.builder,
    urls: {
      build: `${ctx.publicUrl}/projects/${p.slug}/builds/${b.id}/`,
      project: `${ctx.publicUrl}/projects/${p.slug}/`,
      version: `${ctx.publicUrl}/dashboard/${p.slug}/version/${versionSlug}/edit/`,
    },
    _links: {
      _self: api(ctx, `projects/${p.slug}/builds/${b.id}/`),
      project: api(ctx, `projects/${p.slug}/`),
      version: api(ctx, `projects/${p.slug}/versions/${versionSlug}/`),
    },
    ...(detail
      ? {
          steps: detail.steps.map((s) => ({
            name: s.name,
            command: s.command,
            exit_code: s.exitCode,
            start_time: s.startedAt.toISOString(),
            end_time: s.finishedAt?.toISOString() ?? null,
            duration: s.finishedAt ? (s.finishedAt.getTime() - s.startedAt.getTime()) / 1000 : null,
          })),
          log: detail.log.map((l) => ({ seq: l.seq, step: l.step, stream: l.stream, line: l.line })),
        }
      : {}),
  };
}

/** A limit/offset page in Read the Docs' (Django REST framework's) shape. */
export function page<T>(ctx: UrlContext, path: string, count: number, limit: number, offset: number, results: T[], filters: Record<string, unknown> = {}) {
  // Filters travel with the page links, or the next page would list something else.
  const extra = Object.entries(filters)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `&${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('');
  const link = (o: number) => `${api(ctx, path)}?limit=${limit}&offset=${o}${extra}`;
  return {
    count,
    next: offset + limit < count ? link(offset + limit) : null,
    previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    results,
  };
}
