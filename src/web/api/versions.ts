// /api/v3/projects/<slug>/versions/: list, detail (with `downloads`), update. Activating a
// version that was never built queues its build, as Read the Docs does.
import type { FastifyInstance } from 'fastify';
import { findVersion, listVersions, liveFormats, updateVersion, type VersionPatch } from '../../db/versions.ts';
import { servingChanged } from '../../core/changes.ts';
import { requireUser } from '../auth.ts';
import { HttpError, fieldError, notFound } from '../errors.ts';
import { projectMayReachInside, userMayReachInside } from '../../projects/repository-access.ts';
import { syncProjectVersions } from '../../projects/sync-versions.ts';
import { BuildError } from '../../core/errors.ts';
import { paginationQuery, projectFor, slugParams, type ApiContext } from './context.ts';
import { routeSchema } from './openapi.ts';
import { page } from './serializers.ts';
import { serializeVersion } from './version-serializer.ts';

export const versionParams = {
  type: 'object',
  properties: { project: { type: 'string', maxLength: 255 }, version: { type: 'string', maxLength: 255 } },
  required: ['project', 'version'],
} as const;

const tags = ['versions'];

export function versionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: { project: string }; Querystring: { limit: number; offset: number; active?: boolean; built?: boolean; type?: string } }>(
    '/projects/:project/versions/',
    {
      schema: routeSchema(
        { summary: "A project's versions, by slug.", tags },
        {
          params: slugParams,
          querystring: {
            ...paginationQuery,
            properties: { ...paginationQuery.properties, active: { type: 'boolean' }, built: { type: 'boolean' }, type: { type: 'string', enum: ['branch', 'tag', 'external'] } },
          },
        },
      ),
    },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const { limit, offset, active, built, type } = request.query;
      const all = (await listVersions(ctx.db, project.id)).filter(
        (v) => (active === undefined || v.active === active) && (built === undefined || v.built === built) && (type === undefined || v.type === type),
      );
      const shown = all.slice(offset, offset + limit);
      const formats = await liveFormats(ctx.db, shown.map((v) => v.id));
      return page(ctx, `projects/${project.slug}/versions/`, all.length, limit, offset, shown.map((v) => serializeVersion(v, project, ctx, formats.get(v.id))), { active, built, type });
    },
  );

  app.get<{ Params: { project: string; version: string } }>(
    '/projects/:project/versions/:version/',
    { schema: routeSchema({ summary: 'A version, with the offline formats readers can download.', tags }, { params: versionParams }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const version = await findVersion(ctx.db, project.id, request.params.version);
      if (!version) throw notFound('Version not found.');
      const formats = await liveFormats(ctx.db, [version.id]);
      return serializeVersion(version, project, ctx, formats.get(version.id));
    },
  );

  app.patch<{ Params: { project: string; version: string }; Body: { active?: boolean; hidden?: boolean; privacy_level?: 'public' | 'private' } }>(
    '/projects/:project/versions/:version/',
    {
      schema: routeSchema(
        { summary: 'Activate, hide or change the privacy of a version; answers 204 as Read the Docs does.', tags, status: 204 },
        {
          params: versionParams,
          body: {
            type: 'object',
            additionalProperties: false,
            properties: { active: { type: 'boolean' }, hidden: { type: 'boolean' }, privacy_level: { type: 'string', enum: ['public', 'private'] } },
          },
        },
      ),
    },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const version = await findVersion(ctx.db, project.id, request.params.version);
      if (!version) throw notFound('Version not found.');
      const { active, hidden, privacy_level } = request.body;
      if (active === false && version.slug === project.defaultVersion) {
        throw fieldError('active', `${version.slug} is the default version of the project: it stays active (choose another default version first)`);
      }
      const patch: VersionPatch = {};
      if (active !== undefined) patch.active = active;
      if (hidden !== undefined) patch.hidden = hidden;
      if (privacy_level !== undefined) patch.privacyLevel = privacy_level;
      const updated = Object.keys(patch).length ? await updateVersion(ctx.db, version.id, patch) : version;
      if (!updated) throw notFound('Version not found.');
      if (!version.active && updated.active && !updated.built && updated.type !== 'external') {
        await ctx.queue.trigger({ projectId: project.id, versionId: updated.id, commit: null, trigger: 'api' });
      }
      servingChanged();
      reply.code(204);
    },
  );

  app.post<{ Params: { project: string } }>(
    '/projects/:project/sync-versions/',
    { schema: routeSchema({ summary: 'Read branches and tags again and apply automation rules to new ones.', tags, status: 202 }, { params: slugParams }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      try {
        const mayReachInside = userMayReachInside(ctx, user) || (await projectMayReachInside(ctx.db, ctx, project.id));
        const versions = await syncProjectVersions(ctx.db, project, { mayReachInside, resolveHost: ctx.resolveHost, log: request.log }, ctx.queue);
        reply.code(202);
        return { detail: `${versions.length} versions synced.`, results: versions.map((v) => serializeVersion(v, project, ctx)) };
      } catch (err) {
        if (err instanceof BuildError) throw new HttpError(502, err.message);
        throw err;
      }
    },
  );
}
