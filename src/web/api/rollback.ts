// POST /api/v3/projects/<slug>/versions/<slug>/rollback/ {build: id}: points a version back
// at one of its recent successful builds (db/deploys.ts), for maintainers only.
import type { FastifyInstance } from 'fastify';
import { RollbackRefusedError, rollbackVersion } from '../../db/deploys.ts';
import { findVersion } from '../../db/versions.ts';
import { servingChanged } from '../../core/changes.ts';
import { requireUser } from '../auth.ts';
import { fieldError, notFound } from '../errors.ts';
import { projectFor, type ApiContext } from './context.ts';
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
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const version = await findVersion(ctx.db, project.id, request.params.version);
      if (!version) throw notFound('Version not found.');
      try {
        const updated = await rollbackVersion(ctx.db, version.id, request.body.build);
        // A docs server in this process reads the new pointer at once; others within their cache TTL.
        servingChanged();
        return serializeVersion(updated, project, ctx);
      } catch (err) {
        if (err instanceof RollbackRefusedError) throw fieldError('build', err.message);
        throw err;
      }
    },
  );
}
