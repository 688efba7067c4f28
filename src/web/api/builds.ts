// /api/v3/projects/<slug>/builds/ and …/versions/<slug>/builds/: list (filters `running`,
// `commit`), trigger, detail, cancel.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isTerminal } from '../../core/build-state.ts';
import { eq, inArray } from 'drizzle-orm';
import { buildLog, getBuild, listBuilds, listBuildSteps } from '../../db/builds.ts';
import { versions } from '../../db/schema.ts';
import { findVersion } from '../../db/versions.ts';
import { requireUser } from '../auth.ts';
import { HttpError, notFound } from '../errors.ts';
import { paginationQuery, projectFor, slugParams, type ApiContext } from './context.ts';
import { page } from './serializers.ts';
import { serializeBuild } from './build-serializer.ts';
import { versionParams } from './versions.ts';
import { routeSchema } from './openapi.ts';

const tags = ['builds'];

const buildParams = {
  type: 'object',
  properties: { project: { type: 'string', maxLength: 255 }, build: { type: 'integer', minimum: 1, maximum: 2147483647 } },
  required: ['project', 'build'],
} as const;

export function buildRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: { project: string }; Querystring: { limit: number; offset: number; running?: boolean; commit?: string } }>(
    '/projects/:project/builds/',
    {
      schema: routeSchema(
        { summary: "A project's builds, newest first; `running=true` keeps those not finished yet.", tags },
        {
          params: slugParams,
          querystring: {
            ...paginationQuery,
            properties: { ...paginationQuery.properties, running: { type: 'boolean' }, commit: { type: 'string', pattern: '^[0-9a-f]{4,64}$' } },
          },
        },
      ),
    },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const { limit, offset, running, commit } = request.query;
      const { count, rows } = await listBuilds(ctx.db, { projectId: project.id, running, commit }, limit, offset);
      const ids = [...new Set(rows.map((b) => b.versionId))];
      const slugs = new Map(
        ids.length ? (await ctx.db.select({ id: versions.id, slug: versions.slug }).from(versions).where(inArray(versions.id, ids))).map((v) => [v.id, v.slug]) : [],
      );
      return page(ctx, `projects/${project.slug}/builds/`, count, limit, offset, rows.map((b) => serializeBuild(b, project, slugs.get(b.versionId) ?? '', ctx)), { running, commit });
    },
  );

  app.get<{ Params: { project: string; version: string }; Querystring: { limit: number; offset: number } }>(
    '/projects/:project/versions/:version/builds/',
    { schema: routeSchema({ summary: "A version's builds, newest first.", tags }, { params: versionParams, querystring: paginationQuery }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const version = await findVersion(ctx.db, project.id, request.params.version);
      if (!version) throw notFound('Version not found.');
      const { limit, offset } = request.query;
      const { count, rows } = await listBuilds(ctx.db, { projectId: project.id, versionId: version.id }, limit, offset);
      return page(ctx, `projects/${project.slug}/versions/${version.slug}/builds/`, count, limit, offset, rows.map((b) => serializeBuild(b, project, version.slug, ctx)));
    },
  );

  app.post<{ Params: { project: string; version: string } }>(
    '/projects/:project/versions/:version/builds/',
    { schema: routeSchema({ summary: 'Build a version now (waiting builds of it are superseded).', tags, status: 202 }, { params: versionParams }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const version = await findVersion(ctx.db, project.id, request.params.version);
      if (!version) throw notFound('Version not found.');
      if (version.type === 'external') throw new HttpError(400, 'Pull request versions are built by their webhook.');
      const build = await ctx.queue.trigger({ projectId: project.id, versionId: version.id, commit: null, trigger: 'api' });
      reply.code(202);
      return { build: serializeBuild(build, project, version.slug, ctx), project: project.slug, version: version.slug, triggered: true };
    },
  );

  const buildOf = async (request: FastifyRequest<{ Params: { project: string; build: number } }>) => {
    const user = await requireUser(ctx.db, request);
    const project = await projectFor(ctx, user, request.params.project);
    const build = await getBuild(ctx.db, request.params.build);
    if (!build || build.projectId !== project.id) throw notFound('Build not found.');
    return { project, build };
  };

  app.post<{ Params: { project: string; build: number } }>(
    '/projects/:project/builds/:build/cancel/',
    { schema: routeSchema({ summary: 'Cancel a build: a waiting one at once, a running one at its next heartbeat.', tags, status: 202 }, { params: buildParams }) },
    async (request, reply) => {
      const { project, build } = await buildOf(request);
      if (isTerminal(build.state)) throw new HttpError(409, `The build is already ${build.state}.`);
      const updated = await ctx.queue.cancel(build);
      const [version] = await ctx.db.select({ slug: versions.slug }).from(versions).where(eq(versions.id, build.versionId));
      reply.code(202);
      return serializeBuild(updated, project, version?.slug ?? '', ctx);
    },
  );

  app.get<{ Params: { project: string; build: number } }>(
    '/projects/:project/builds/:build/',
    { schema: routeSchema({ summary: 'A build, with its steps and log.', tags }, { params: buildParams }) },
    async (request) => {
      const { project, build } = await buildOf(request);
      const [version] = await ctx.db.select({ slug: versions.slug }).from(versions).where(eq(versions.id, build.versionId));
      const [steps, log] = await Promise.all([listBuildSteps(ctx.db, build.id), buildLog(ctx.db, build.id)]);
      return serializeBuild(build, project, version?.slug ?? '', ctx, { steps, log });
    },
  );
}
