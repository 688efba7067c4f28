// /api/v3/projects/<slug>/maintainers/: who may see and change a project. Any maintainer may
// add a user by username or remove one (themselves included), but never the last one.
import type { FastifyInstance } from 'fastify';
import { addMaintainer, listMaintainers, removeMaintainer } from '../../db/maintainers.ts';
import { findUserByUsername } from '../../db/users.ts';
import type { Db } from '../../db/database.ts';
import { requireUser } from '../auth.ts';
import { fieldError, notFound } from '../errors.ts';
import { guarded, paginationQuery, projectFor, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { api, page } from './serializers.ts';

const tags = ['maintainers'];
const USERNAME = { type: 'string', minLength: 1, maxLength: 150 } as const;
const userParams = { type: 'object', properties: { project: { type: 'string', maxLength: 255 }, username: USERNAME }, required: ['project', 'username'] } as const;

/** Makes the user `username` a maintainer; 400 when there is no such user, 409 when they already are one. Answers their username. */
export async function addMaintainerByName(db: Db, projectId: number, username: string): Promise<string> {
  const other = await findUserByUsername(db, username);
  if (!other) throw fieldError('username', `no user named "${username}"`);
  await guarded(() => addMaintainer(db, projectId, other.id, other.username));
  return other.username;
}

/** Removes the maintainer `username`; false when they are not one, 409 when they are the last. */
export async function removeMaintainerByName(db: Db, projectId: number, username: string): Promise<boolean> {
  const other = await findUserByUsername(db, username);
  return other !== null && (await guarded(() => removeMaintainer(db, projectId, other.id)));
}

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
      const username = await addMaintainerByName(ctx.db, project.id, request.body.username);
      reply.code(201);
      return show(project.slug, username);
    },
  );

  app.delete<{ Params: { project: string; username: string } }>(
    '/api/v3/projects/:project/maintainers/:username/',
    { schema: routeSchema({ summary: 'Remove a maintainer (never the last one).', tags }, { params: userParams }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      if (!(await removeMaintainerByName(ctx.db, project.id, request.params.username))) throw notFound('Maintainer not found.');
      reply.code(204);
    },
  );
}
