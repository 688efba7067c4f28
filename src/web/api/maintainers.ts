// /api/v3/projects/<slug>/maintainers/: who may see and change a project. Any maintainer may
// add a user by username or remove one (themselves included), but never the last one.
import type { FastifyInstance } from 'fastify';
import { addMaintainer, listMaintainers, removeMaintainer } from '../../db/maintainers.ts';
import { findUserByUsername } from '../../db/users.ts';
import { requireUser } from '../auth.ts';
import { fieldError, notFound } from '../errors.ts';
import { guarded, paginationQuery, projectFor, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { api, page } from './serializers.ts';

const tags = ['maintainers'];
const USERNAME = { type: 'string', minLength: 1, maxLength: 150 } as const;
const userParams = { type: 'object', properties: { project: { type: 'string', maxLength: 255 }, username: USERNAME }, required: ['project', 'username'] } as const;

export function maintainerRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const show = (slug: string, username: string) => ({ username, _links: { _self: api(ctx, `projects/${slug}/maintainers/${encodeURIComponent(username)}/`) } });

  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/api/v3/projects/:project/maintainers/',
    { schema: routeSchema({ summary: "A project's maintainers, by username.", tags }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const { limit, offset } = request.query;
      const { count, rows } = await listMaintainers(ctx.db, project.id, limit, offset);
      return page(ctx, `projects/${project.slug}/maintainers/`, count, limit, offset, rows.map((m) => show(project.slug, m.username)));
    },
  );

  app.post<{ Params: { project: string }; Body: { username: string } }>(
    '/api/v3/projects/:project/maintainers/',
    { schema: routeSchema({ summary: 'Make a user a maintainer.', tags }, { params: slugParams, body: { type: 'object', required: ['username'], additionalProperties: false, properties: { username: USERNAME } } }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const other = await findUserByUsername(ctx.db, request.body.username);
      if (!other) throw fieldError('username', `no user named "${request.body.username}"`);
      await guarded(() => addMaintainer(ctx.db, project.id, other.id, other.username));
      reply.code(201);
      return show(project.slug, other.username);
    },
  );

  app.delete<{ Params: { project: string; username: string } }>(
    '/api/v3/projects/:project/maintainers/:username/',
    { schema: routeSchema({ summary: 'Remove a maintainer (never the last one).', tags }, { params: userParams }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const other = await findUserByUsername(ctx.db, request.params.username);
      if (!other || !(await guarded(() => removeMaintainer(ctx.db, project.id, other.id)))) throw notFound('Maintainer not found.');
      reply.code(204);
    },
  );
}
