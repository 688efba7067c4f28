// /api/v3/projects/<slug>/builds/ and …/versions/<slug>/builds/: list (Read the Docs' filters
// `running` and `commit` on both lists), trigger, detail (`?expand=config`), cancel. A thin
// adapter over src/domain/builds.ts: read the request, call the domain, show the result.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { buildCommands, cancelBuild, listProjectBuilds, readBuild, triggerBuild } from '../../domain/builds.ts';
import { stepsOfBuilds } from '../../db/builds.ts';
import { liveFormats } from '../../db/versions.ts';
import type { Build } from '../../db/schema.ts';
import { apiActor } from './actor.ts';
import { paginationQuery, slugParams, type ApiContext } from './context.ts';
import { page } from './serializers.ts';
import { serializeBuild, type BuildDetail } from './build-serializer.ts';
import { serializeVersion } from './version-serializer.ts';
import { showProjects } from './projects.ts';
import { versionParams } from './versions.ts';
import { routeSchema } from './openapi.ts';
import { notFound } from '../errors.ts';

const tags = ['builds'];

const buildParams = {
  type: 'object',
  properties: { project: { type: 'string', maxLength: 255 }, build: { type: 'integer', minimum: 1, maximum: 2147483647 } },
  required: ['project', 'build'],
} as const;

// Read the Docs' BuildFilter: `running` is a django-filter boolean (a value it cannot read is
// ignored, see filters.ts), `commit` an exact match. Other parameters are ignored.
const listQuery = {
  ...paginationQuery,
  properties: { ...paginationQuery.properties, running: { type: 'boolean' }, commit: { type: 'string', maxLength: 255 } },
} as const;

/** `?expand=config` (a comma-separated list, as drf-flex-fields reads it). */
const expandQuery = { type: 'object', properties: { expand: { type: 'string', maxLength: 200 } } } as const;
const expands = (expand: string | undefined, field: string) => (expand ?? '').split(',').map((s) => s.trim()).includes(field);

interface ListQuery {
  limit: number;
  offset: number;
  running?: boolean;
  commit?: string;
  expand?: string;
}

/** Each build's steps and their output, for Read the Docs' `commands`. */
async function detailsOf(ctx: ApiContext, list: Build[]): Promise<Map<number, BuildDetail>> {
  const { steps, log } = await stepsOfBuilds(ctx.db, list.map((b) => b.id));
  const byBuild = new Map<number, BuildDetail>(list.map((b) => [b.id, { steps: [], log: [] }]));
  for (const s of steps) byBuild.get(s.buildId)?.steps.push(s);
  for (const l of log) byBuild.get(l.buildId)?.log.push(l);
  return byBuild;
}

export function buildRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const list = async (request: FastifyRequest<{ Querystring: ListQuery }>, projectSlug: string, versionSlug?: string) => {
    const { limit, offset, running, commit, expand } = request.query;
    const { project, count, rows } = await listProjectBuilds(ctx, await apiActor(ctx, request), projectSlug, { versionSlug, running, commit }, limit, offset);
    const details = await detailsOf(ctx, rows.map((r) => r.build));
    const expandConfig = expands(expand, 'config');
    const path = versionSlug === undefined ? `projects/${project.slug}/builds/` : `projects/${project.slug}/versions/${versionSlug}/builds/`;
    const results = rows.map(({ build, version }) => {
      const shown = serializeBuild(build, project, version, ctx, { expandConfig });
      // Read the Docs lists each build's commands; Bindery's own steps/log stay on the detail.
      return { ...shown, commands: serializeBuild(build, project, version, ctx, { detail: details.get(build.id) }).commands };
    });
    return page(ctx, path, count, limit, offset, results, { running, commit, expand });
  };

  app.get<{ Params: { project: string }; Querystring: ListQuery }>(
    '/projects/:project/builds/',
    {
      schema: routeSchema(
        { summary: "A project's builds, newest first; filters `running` (true: not finished or cancelled yet) and `commit`.", tags },
        { params: slugParams, querystring: { ...listQuery, properties: { ...listQuery.properties, ...expandQuery.properties } } },
      ),
    },
    async (request) => {
      return list(request, request.params.project);
    },
  );

  app.get<{ Params: { project: string; version: string }; Querystring: ListQuery }>(
    '/projects/:project/versions/:version/builds/',
    {
      schema: routeSchema(
        { summary: "A version's builds, newest first; filters `running` and `commit`.", tags },
        { params: versionParams, querystring: { ...listQuery, properties: { ...listQuery.properties, ...expandQuery.properties } } },
      ),
    },
    async (request) => {
      return list(request, request.params.project, request.params.version);
    },
  );

  app.post<{ Params: { project: string; version: string } }>(
    '/projects/:project/versions/:version/builds/',
    {
      schema: routeSchema(
        { summary: 'Build a version now (waiting builds of it are superseded); answers 202 with the build, the project and the version.', tags, status: 202 },
        { params: versionParams },
      ),
    },
    async (request, reply) => {
      const { build, project, version } = await triggerBuild({ ...ctx, log: request.log }, await apiActor(ctx, request), request.params.project, request.params.version, 'api');
      const [shownProject] = await showProjects(ctx, [project]);
      const formats = await liveFormats(ctx.db, [version.id]);
      reply.code(202);
      return { build: serializeBuild(build, project, version, ctx), project: shownProject, version: serializeVersion(version, project, ctx, formats.get(version.id)), triggered: true };
    },
  );

  app.post<{ Params: { project: string; build: number } }>(
    '/projects/:project/builds/:build/cancel/',
    { schema: routeSchema({ summary: 'Cancel a build: a waiting one at once, a running one at its next heartbeat; 409 once it has ended.', tags, status: 202 }, { params: buildParams }) },
    async (request, reply) => {
      const { project, build, version } = await cancelBuild({ ...ctx, log: request.log }, await apiActor(ctx, request), request.params.project, request.params.build);
      reply.code(202);
      return serializeBuild(build, project, version, ctx);
    },
  );

  const detail = async (request: FastifyRequest<{ Params: { project: string; build: number; version?: string }; Querystring: { expand?: string } }>) => {
    const { project, build, version } = await readBuild(ctx, await apiActor(ctx, request), request.params.project, request.params.build);
    // Read the Docs also answers a build under its version (…/versions/<slug>/builds/<id>/), and only there.
    if (request.params.version !== undefined && version?.slug !== request.params.version) throw notFound('Not found.');
    const commands = await buildCommands(ctx, build);
    return serializeBuild(build, project, version, ctx, { detail: commands, expandConfig: expands(request.query.expand, 'config') });
  };
  const summary = 'A build, with its commands (steps and their output) and log; `?expand=config` adds the configuration it read.';
  app.get<{ Params: { project: string; build: number }; Querystring: { expand?: string } }>(
    '/projects/:project/builds/:build/',
    { schema: routeSchema({ summary, tags }, { params: buildParams, querystring: expandQuery }) },
    detail,
  );
  app.get<{ Params: { project: string; version: string; build: number }; Querystring: { expand?: string } }>(
    '/projects/:project/versions/:version/builds/:build/',
    {
      schema: routeSchema(
        { summary, tags },
        {
          params: { type: 'object', properties: { ...versionParams.properties, build: buildParams.properties.build }, required: ['project', 'version', 'build'] },
          querystring: expandQuery,
        },
      ),
    },
    detail,
  );
}
