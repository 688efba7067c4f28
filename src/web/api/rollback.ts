// POST /api/v3/projects/<slug>/versions/<slug>/rollback/ {build: id}: points a version back
// at one of its recent successful builds (domain/builds.ts rollBack), for maintainers only.
import type { FastifyInstance } from 'fastify';
import { rollBack } from '../../domain/builds.ts';
import { apiActor } from './actor.ts';
import type { ApiContext } from './context.ts';
import { serializeVersion } from './version-serializer.ts';
import { versionParams } from './versions.ts';

export function rollbackRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post<{ Params: { project: string; version: string }; Body: { build: number } }>(
    '/projects/:project/versions/:version/rollback/',
    {
      schema: {
        params: versionParams,
        body: {
          type: 'object',
          properties: { build: { type: 'integer', minimum: 1, maximum: 2147483647 } },
          required: ['build'],
        },
      },
    },
    async (request) => {
      const { project, version } = await rollBack({ ...ctx, log: request.log }, await apiActor(ctx, request), request.params.project, request.params.version, request.body.build);
      return serializeVersion(version, project, ctx);
    },
  );
}
