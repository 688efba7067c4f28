// /api/v3/projects/<slug>/versions/ (list with Read the Docs' filters, detail, PATCH/PUT) and
// /api/v3/projects/<slug>/sync-versions/. Public versions of public projects are readable
// without a token; changes are for maintainers. The rules are the domain's (domain/versions.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { changeVersion, projectVersion, projectVersions, requestVersionSync } from '../../domain/versions.ts';
import { requireUser } from '../auth.ts';
import { apiActor } from './actor.ts';
import { paginationQuery, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { page } from './serializers.ts';
import { serializeVersion, serializeVersions } from './version-serializer.ts';

export const versionParams = {
  type: 'object',
  properties: { project: { type: 'string', maxLength: 255 }, version: { type: 'string', maxLength: 255 } },
  required: ['project', 'version'],
} as const;

const tags = ['versions'];

interface ListQuery extends PageQuery {
  slug?: string;
  verbose_name?: string;
  active?: boolean;
  built?: boolean;
  uploaded?: boolean;
  privacy_level?: string;
  type?: string;
}

// Read the Docs' VersionFilter: slug and verbose_name match a part in any case; the others exactly.
const filters = {
  slug: { type: 'string', maxLength: 255 },
  verbose_name: { type: 'string', maxLength: 255 },
  active: { type: 'boolean' },
  built: { type: 'boolean' },
  uploaded: { type: 'boolean' },
  privacy_level: { type: 'string', maxLength: 64 },
  type: { type: 'string', maxLength: 64 },
} as const;

interface ChangeBody {
  active?: boolean;
  hidden?: boolean;
  privacy_level?: string;
}

// Read the Docs' VersionUpdateSerializer; other fields are ignored, as there.
const changeBody = {
  type: 'object',
  properties: { active: { type: 'boolean' }, hidden: { type: 'boolean' }, privacy_level: { type: 'string', maxLength: 64 } },
} as const;

export function versionRoutes(app: FastifyInstance, apiCtx: ApiContext): void {
  const ctx = apiCtx;
  app.get<{ Params: { project: string }; Querystring: ListQuery }>(
    '/projects/:project/versions/',
    {
      schema: routeSchema(
        { summary: "A project's branch and tag versions, newest name first; Read the Docs' filters.", tags },
        { params: slugParams, querystring: { ...paginationQuery, properties: { ...paginationQuery.properties, ...filters } } },
      ),
    },
    async (request) => {
      const { limit, offset, ...q } = request.query;
      const { project, versions, family } = await projectVersions(ctx, await apiActor(ctx, request), request.params.project, {
        slug: q.slug, verboseName: q.verbose_name, active: q.active, built: q.built, uploaded: q.uploaded, privacyLevel: q.privacy_level, type: q.type,
      });
      const shown = versions.slice(offset, offset + limit);
      return page(ctx, `projects/${project.slug}/versions/`, versions.length, limit, offset, serializeVersions(shown, project, ctx, family), q);
    },
  );

  app.get<{ Params: { project: string; version: string } }>(
    '/projects/:project/versions/:version/',
    { schema: routeSchema({ summary: 'A version, with the offline formats readers can download.', tags }, { params: versionParams }) },
    async (request) => {
      const { project, version, family } = await projectVersion(ctx, await apiActor(ctx, request), request.params.project, request.params.version);
      return serializeVersion(version, project, ctx, family.formats.get(version.id), family);
    },
  );

  const change = async (request: FastifyRequest<{ Params: { project: string; version: string }; Body: ChangeBody }>, reply: FastifyReply) => {
    const user = await requireUser(ctx.db, request);
    const { active, hidden, privacy_level } = request.body;
    await changeVersion({ ...ctx, log: request.log }, user, request.params.project, request.params.version, { active, hidden, privacyLevel: privacy_level }, 'api');
    return reply.code(204).send();
  };
  for (const method of ['PATCH', 'PUT'] as const) {
    app.route<{ Params: { project: string; version: string }; Body: ChangeBody }>({
      method,
      url: '/projects/:project/versions/:version/',
      schema: routeSchema(
        { summary: 'Activate, hide or change the privacy of a version; answers 204 as Read the Docs does.', tags, status: 204 },
        { params: versionParams, body: changeBody },
      ),
      handler: change,
    });
  }

  app.post<{ Params: { project: string } }>(
    '/projects/:project/sync-versions/',
    { schema: routeSchema({ summary: 'Read branches and tags again (automation rules included); answers 202 {"triggered": true}.', tags, status: 202 }, { params: slugParams }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      // Read the Docs' answer: the sync is queued, and a repository that cannot be read shows in the server log.
      await requestVersionSync({ ...ctx, log: request.log }, user, request.params.project, 'api');
      return reply.code(202).send({ triggered: true });
    },
  );
}
