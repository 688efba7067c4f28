// /api/v3/projects/: list, import, detail (`?expand=active_versions`), update, delete, sync versions.
import type { FastifyInstance } from 'fastify';
import { SlugTakenError, deleteProject, listProjectsOf, updateProject, type ProjectPatch } from '../../db/projects.ts';
import { relationsOf } from '../../db/project-relations.ts';
import { findVersion, listVersions, liveFormats } from '../../db/versions.ts';
import type { Project } from '../../db/schema.ts';
import { credentialsAfterEdit, displayRepositoryUrl } from '../../core/repository-url.ts';
import { setProjectRepository } from '../../db/project-repository.ts';
import { userMayReachInside, vetRepositoryUrl } from '../../projects/repository-access.ts';
import { ImportError, importProject } from '../../projects/import-project.ts';
import { servingChanged } from '../../core/changes.ts';
import { requireUser } from '../auth.ts';
import { HttpError, fieldError } from '../errors.ts';
import { guarded, paginationQuery, projectFor, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { page } from './serializers.ts';
import { serializeProject } from './project-serializer.ts';
import { serializeVersion } from './version-serializer.ts';

interface CreateBody {
  name: string;
  slug?: string;
  repository: { url: string; type?: 'git' };
  default_branch?: string | null;
  language?: string;
}

interface PatchBody {
  name?: string;
  description?: string;
  repository?: { url?: string; type?: 'git' };
  default_branch?: string | null;
  default_version?: string;
  language?: string;
  privacy_level?: 'public' | 'private';
  external_builds_enabled?: boolean;
  external_builds_privacy_level?: 'public' | 'private';
  single_version?: boolean;
  documentation_type?: string;
}

const tags = ['projects'];
const LANGUAGE = { type: 'string', pattern: '^[a-z]{2,3}([-_][a-zA-Z]{2,4})?$' } as const;
// What git accepts in a branch name, less what could be read as an option or a pattern.
const BRANCH = { type: ['string', 'null'], minLength: 1, maxLength: 255, pattern: '^(?!-)[^\\s~^:?*\\[\\\\\\x00-\\x1f\\x7f]+$' } as const;

/** Projects as the API shows them: with their relations, and active versions when asked for. */
export async function showProjects(ctx: ApiContext, projects: Project[], expandActiveVersions = false) {
  const relations = await relationsOf(ctx.db, projects.map((p) => p.id));
  return Promise.all(
    projects.map(async (p) => {
      let activeVersions;
      if (expandActiveVersions) {
        // Previews are not among a project's versions for readers (Read the Docs' internal versions).
        const active = (await listVersions(ctx.db, p.id)).filter((v) => v.active && v.type !== 'external');
        const formats = await liveFormats(ctx.db, active.map((v) => v.id));
        activeVersions = active.map((v) => serializeVersion(v, p, ctx, formats.get(v.id)));
      }
      return serializeProject(p, ctx, { ...relations.get(p.id)!, activeVersions });
    }),
  );
}

export function projectRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: PageQuery }>('/projects/', { schema: routeSchema({ summary: 'Projects the user maintains.', tags }, { querystring: paginationQuery }) }, async (request) => {
    const user = await requireUser(ctx.db, request);
    const { limit, offset } = request.query;
    const { count, rows } = await listProjectsOf(ctx.db, user.id, limit, offset);
    return page(ctx, 'projects/', count, limit, offset, await showProjects(ctx, rows));
  });

  app.post<{ Body: CreateBody }>(
    '/projects/',
    {
      schema: routeSchema(
        { summary: 'Import a project from a repository.', tags },
        {
          body: {
            type: 'object',
            required: ['name', 'repository'],
            additionalProperties: true,
            properties: {
              name: { type: 'string', minLength: 1, maxLength: 100 },
              slug: { type: 'string', minLength: 1, maxLength: 63 },
              repository: {
                type: 'object',
                required: ['url'],
                properties: { url: { type: 'string', minLength: 1, maxLength: 2048 }, type: { type: 'string', enum: ['git'] } },
              },
              default_branch: BRANCH,
              language: LANGUAGE,
            },
          },
        },
      ),
    },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const body = request.body;
      try {
        const result = await importProject(
          ctx.db,
          ctx.queue,
          { name: body.name, slug: body.slug, repoUrl: body.repository.url, defaultBranch: body.default_branch ?? null, language: body.language },
          user.id,
          { mayReachInside: userMayReachInside(ctx, user), resolveHost: ctx.resolveHost, log: request.log, trigger: 'api' },
        );
        reply.code(201).header('location', `${ctx.publicUrl}/api/v3/projects/${result.project.slug}/`);
        return (await showProjects(ctx, [result.project]))[0];
      } catch (err) {
        if (err instanceof ImportError) throw fieldError(err.field, err.message);
        if (err instanceof SlugTakenError) throw new HttpError(409, err.message, { slug: [err.message] });
        throw err;
      }
    },
  );

  app.get<{ Params: { project: string }; Querystring: { expand?: string } }>(
    '/projects/:project/',
    {
      schema: routeSchema(
        { summary: 'A project.', tags },
        { params: slugParams, querystring: { type: 'object', properties: { expand: { type: 'string', pattern: '^active_versions(,active_versions)*$' } } } },
      ),
    },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      return (await showProjects(ctx, [project], request.query.expand !== undefined))[0];
    },
  );

  app.patch<{ Params: { project: string }; Body: PatchBody }>(
    '/projects/:project/',
    {
      schema: routeSchema(
        { summary: "Change a project's settings; answers 204 as Read the Docs does.", tags, status: 204 },
        {
          params: slugParams,
          body: {
            type: 'object',
            additionalProperties: false,
            properties: {
              name: { type: 'string', minLength: 1, maxLength: 100 },
              description: { type: 'string', maxLength: 10_000 },
              repository: {
                type: 'object',
                additionalProperties: false,
                properties: { url: { type: 'string', minLength: 1, maxLength: 2048 }, type: { type: 'string', enum: ['git'] } },
              },
              default_branch: BRANCH,
              default_version: { type: 'string', minLength: 1, maxLength: 255 },
              language: LANGUAGE,
              privacy_level: { type: 'string', enum: ['public', 'private'] },
              external_builds_enabled: { type: 'boolean', description: 'Build and serve pull/merge request previews (off by default).' },
              external_builds_privacy_level: { type: 'string', enum: ['public', 'private'], description: 'Who may read the previews.' },
              single_version: { type: 'boolean' },
              documentation_type: { type: 'string', enum: ['auto', 'sphinx', 'mkdocs', 'builtin'] },
            },
          },
        },
      ),
    },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const b = request.body;
      const patch: ProjectPatch = {};
      if (b.name !== undefined) {
        if (!b.name.trim()) throw fieldError('name', 'a project name is required');
        patch.name = b.name.trim();
      }
      if (b.description !== undefined) patch.description = b.description;
      let repository: { url: string; credentials: string | null } | null = null;
      // Sending the URL back as it is shown changes nothing (an admin may have set an inside URL).
      if (b.repository?.url !== undefined && b.repository.url.trim() !== displayRepositoryUrl(project.repoUrl)) {
        const url = await vetRepositoryUrl(b.repository.url, userMayReachInside(ctx, user), ctx.resolveHost);
        if (!url.ok) throw fieldError('repository.url', url.reason);
        repository = { url: url.url, credentials: credentialsAfterEdit(project.repoUrl, project.repoCredentials, url) };
      }
      if (b.default_branch !== undefined) patch.defaultBranch = b.default_branch;
      if (b.default_version !== undefined && b.default_version !== project.defaultVersion) {
        const version = await findVersion(ctx.db, project.id, b.default_version);
        // A preview is never the default: it is served only on its own preview host.
        if (!version || !version.active || version.type === 'external') throw fieldError('default_version', `"${b.default_version}" is not an active version of this project`);
        patch.defaultVersion = version.slug;
      }
      if (b.language !== undefined) patch.language = b.language;
      if (b.privacy_level !== undefined) patch.privacyLevel = b.privacy_level;
      if (b.external_builds_enabled !== undefined) patch.externalBuildsEnabled = b.external_builds_enabled;
      if (b.external_builds_privacy_level !== undefined) patch.externalBuildsPrivacyLevel = b.external_builds_privacy_level;
      if (b.single_version !== undefined) patch.singleVersion = b.single_version;
      if (b.documentation_type !== undefined) patch.documentationType = b.documentation_type;
      await guarded(() => updateProject(ctx.db, project, patch));
      // The URL and its credentials are written together, apart from the other settings.
      if (repository) await setProjectRepository(ctx.db, project.id, repository.url, repository.credentials);
      // A docs server in this process serves the new settings at once; others within their cache TTL.
      servingChanged();
      reply.code(204);
    },
  );

  app.delete<{ Params: { project: string } }>(
    '/projects/:project/',
    { schema: routeSchema({ summary: 'Delete a project with its versions, builds and settings (build files stay in storage).', tags }, { params: slugParams }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      await deleteProject(ctx.db, project.id);
      servingChanged();
      reply.code(204);
    },
  );
}
