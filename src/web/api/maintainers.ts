// /api/v3/projects/<slug>/maintainers/: who may see and change a project. Any maintainer may
// invite a user by username (they become a maintainer once they accept, on their dashboard),
// list and revoke pending invitations (/invitations/), or remove a maintainer (themselves
// included), but never the last one.
import type { FastifyInstance } from 'fastify';
import { listMaintainers, removeMaintainer } from '../../db/maintainers.ts';
import { inviteMaintainer, projectInvitations, revokeInvitation, type Invitation } from '../../db/maintainer-invitations.ts';
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

/** Invites the user `username` to maintain the project; 400 when there is no such user, 409 when they already maintain it. */
export async function inviteMaintainerByName(db: Db, projectId: number, username: string, invitedById: number): Promise<Invitation> {
  const other = await findUserByUsername(db, username);
  if (!other) throw fieldError('username', `no user named "${username}"`);
  return guarded(() => inviteMaintainer(db, projectId, other, invitedById));
}

/** Withdraws the pending invitation of `username`; false when there is none. */
export async function revokeInvitationByName(db: Db, projectId: number, username: string): Promise<boolean> {
  const other = await findUserByUsername(db, username);
  return other !== null && (await revokeInvitation(db, projectId, other.id));
}

/** Removes the maintainer `username`; false when they are not one, 409 when they are the last. */
export async function removeMaintainerByName(db: Db, projectId: number, username: string): Promise<boolean> {
  const other = await findUserByUsername(db, username);
  return other !== null && (await guarded(() => removeMaintainer(db, projectId, other.id)));
}

export function maintainerRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const show = (slug: string, username: string) => ({ username, _links: { _self: api(ctx, `projects/${slug}/maintainers/${encodeURIComponent(username)}/`) } });

  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/maintainers/',
    { schema: routeSchema({ summary: "A project's maintainers, by username.", tags }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const { limit, offset } = request.query;
      const { count, rows } = await listMaintainers(ctx.db, project.id, limit, offset);
      return page(ctx, `projects/${project.slug}/maintainers/`, count, limit, offset, rows.map((m) => show(project.slug, m.username)));
    },
  );

  // An invitation reads like the maintainer it may become, plus who invited and until when.
  const invitation = (slug: string, i: Invitation) => ({
    username: i.username, invited_by: i.invitedBy, created: i.createdAt.toISOString(), expires: i.expiresAt.toISOString(),
    _links: { _self: api(ctx, `projects/${slug}/invitations/${encodeURIComponent(i.username)}/`), project: api(ctx, `projects/${slug}/`) },
  });

  app.post<{ Params: { project: string }; Body: { username: string } }>(
    '/projects/:project/maintainers/',
    { schema: routeSchema({ summary: 'Invite a user to maintain the project; they become a maintainer when they accept.', tags, status: 202 }, { params: slugParams, body: { type: 'object', required: ['username'], additionalProperties: false, properties: { username: USERNAME } } }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const invited = await inviteMaintainerByName(ctx.db, project.id, request.body.username, user.id);
      reply.code(202);
      return invitation(project.slug, invited);
    },
  );

  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/invitations/',
    { schema: routeSchema({ summary: "A project's pending maintainer invitations.", tags }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const { limit, offset } = request.query;
      const all = await projectInvitations(ctx.db, project.id);
      return page(ctx, `projects/${project.slug}/invitations/`, all.length, limit, offset, all.slice(offset, offset + limit).map((i) => invitation(project.slug, i)));
    },
  );

  app.delete<{ Params: { project: string; username: string } }>(
    '/projects/:project/invitations/:username/',
    { schema: routeSchema({ summary: 'Revoke a pending invitation.', tags }, { params: userParams }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      if (!(await revokeInvitationByName(ctx.db, project.id, request.params.username))) throw notFound('Invitation not found.');
      reply.code(204);
    },
  );

  app.delete<{ Params: { project: string; username: string } }>(
    '/projects/:project/maintainers/:username/',
    { schema: routeSchema({ summary: 'Remove a maintainer (never the last one).', tags }, { params: userParams }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      if (!(await removeMaintainerByName(ctx.db, project.id, request.params.username))) throw notFound('Maintainer not found.');
      reply.code(204);
    },
  );
}
