// /api/v3/projects/<slug>/versions/: list and detail.
import type { FastifyInstance } from 'fastify';
import { findVersion, listVersions } from '../../db/versions.ts';
import { requireUser } from '../auth.ts';
import { notFound } from '../errors.ts';
import { paginationQuery, projectFor, type ApiContext } from './context.ts';
import { page, serializeVersion } from './serializers.ts';

export const versionParams = {
  type: 'object',
  properties: { project: { type: 'string', maxLength: 255 }, version: { type: 'string', maxLength: 255 } },
  required: ['project', 'version'],
} as const;

export function versionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: { project: string }; Querystring: { limit: number; offset: number; active?: boolean; built?: boolean; type?: string } }>(
    '/api/v3/projects/:project/versions/',
    {
      schema: {
        querystring: {
          ...paginationQuery,
          properties: { ...paginationQuery.properties, active: { type: 'boolean' }, built: { type: 'boolean' }, type: { type: 'string', enum: ['branch', 'tag', 'external'] } },
        },
      },
    },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, (request.params as { project: string }).project);
      const { limit, offset, active, built, type } = request.query;
      const all = (await listVersions(ctx.db, project.id)).filter(
        (v) => (active === undefined || v.active === active) && (built === undefined || v.built === built) && (type === undefined || v.type === type),
      );
      return page(ctx, `projects/${project.slug}/versions/`, all.length, limit, offset, all.slice(offset, offset + limit).map((v) => serializeVersion(v, project, ctx)), { active, built, type });
    },
  );

  app.get<{ Params: { project: string; version: string } }>('/api/v3/projects/:project/versions/:version/', { schema: { params: versionParams } }, async (request) => {
    const user = await requireUser(ctx.db, request);
    const project = await projectFor(ctx, user, request.params.project);
    const version = await findVersion(ctx.db, project.id, request.params.version);
    if (!version) throw notFound('Version not found.');
    return serializeVersion(version, project, ctx);
  });
}
