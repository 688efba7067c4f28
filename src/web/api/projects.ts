// /api/v3/projects/: list, import, detail, sync versions.
import type { FastifyInstance } from 'fastify';
import { SlugTakenError, listProjectsOf } from '../../db/projects.ts';
import { ImportError, importProject } from '../../projects/import-project.ts';
import { syncProjectVersions } from '../../projects/sync-versions.ts';
import { BuildError } from '../../core/errors.ts';
import { requireUser } from '../auth.ts';
import { HttpError, fieldError } from '../errors.ts';
import { paginationQuery, projectFor, slugParams, type ApiContext } from './context.ts';
import { page, serializeProject, serializeVersion } from './serializers.ts';

interface CreateBody {
  name: string;
  slug?: string;
  repository: { url: string; type?: 'git' };
  default_branch?: string | null;
  language?: string;
}

export function projectRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: { limit: number; offset: number } }>('/api/v3/projects/', { schema: { querystring: paginationQuery } }, async (request) => {
    const user = await requireUser(ctx.db, request);
    const { limit, offset } = request.query;
    const { count, rows } = await listProjectsOf(ctx.db, user.id, limit, offset);
    return page(ctx, 'projects/', count, limit, offset, rows.map((p) => serializeProject(p, ctx)));
  });

  app.post<{ Body: CreateBody }>(
    '/api/v3/projects/',
    {
      schema: {
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
            default_branch: { type: ['string', 'null'], maxLength: 255 },
            language: { type: 'string', pattern: '^[a-z]{2,3}([-_][a-zA-Z]{2,4})?$' },
          },
        },
      },
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
          { allowLocalRepositories: ctx.allowLocalRepositories, trigger: 'api' },
        );
        reply.code(201).header('location', `${ctx.publicUrl}/api/v3/projects/${result.project.slug}/`);
        return serializeProject(result.project, ctx);
      } catch (err) {
        if (err instanceof ImportError) throw fieldError(err.field, err.message);
        if (err instanceof SlugTakenError) throw new HttpError(409, err.message, { slug: [err.message] });
        throw err;
      }
    },
  );

  app.get<{ Params: { project: string } }>('/api/v3/projects/:project/', { schema: { params: slugParams } }, async (request) => {
    const user = await requireUser(ctx.db, request);
    return serializeProject(await projectFor(ctx, user, request.params.project), ctx);
  });

  app.post<{ Params: { project: string } }>('/api/v3/projects/:project/sync-versions/', { schema: { params: slugParams } }, async (request, reply) => {
    const user = await requireUser(ctx.db, request);
    const project = await projectFor(ctx, user, request.params.project);
    try {
      const versions = await syncProjectVersions(ctx.db, project, ctx.allowLocalRepositories);
      reply.code(202);
      return { detail: `${versions.length} versions synced.`, results: versions.map((v) => serializeVersion(v, project, ctx)) };
    } catch (err) {
      if (err instanceof BuildError) throw new HttpError(502, err.message);
      throw err;
    }
  });
}
