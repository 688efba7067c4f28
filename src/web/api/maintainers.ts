// /api/v3/projects/<slug>/maintainers/ and …/invitations/: who may see and change a project.
// Read the Docs' API v3 shows maintainers only as a project's `users`; these endpoints follow
// its conventions: anyone who may read the project lists its maintainers (as `users` shows
// them), changes and pending invitations are for maintainers (others who can see the project
// get 403, the rest 404). A maintainer invites a user by username (they become a maintainer
// once they accept, on their dashboard), revokes a pending invitation, or removes a maintainer
// (themselves included), never the last one. The rules are src/domain/maintainers.ts's.
import type { FastifyInstance } from 'fastify';
import { inviteMaintainer, listMaintainers, pendingInvitations, removeMaintainer, revokeInvitation, type Invitation } from '../../domain/maintainers.ts';
import { maintainedProject } from '../../domain/access.ts';
import { requireUser } from '../auth.ts';
import { apiActor } from './actor.ts';
import { paginationQuery, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { api, page } from './serializers.ts';

const tags = ['maintainers'];
const USERNAME = { type: 'string', maxLength: 150 } as const;
const userParams = { type: 'object', properties: { project: { type: 'string', maxLength: 255 }, username: USERNAME }, required: ['project', 'username'] } as const;

export function maintainerRoutes(app: FastifyInstance, apiCtx: ApiContext): void {
  const ctx = apiCtx;
  const show = (slug: string, username: string) => ({ username, _links: { _self: api(ctx, `projects/${slug}/maintainers/${encodeURIComponent(username)}/`) } });

  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/maintainers/',
    { schema: routeSchema({ summary: "A project's maintainers, by username.", tags, public: true }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const { limit, offset } = request.query;
      const { project, count, rows } = await listMaintainers(ctx, await apiActor(ctx, request), request.params.project, { limit, offset });
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
    { schema: routeSchema({ summary: 'Invite a user to maintain the project; they become a maintainer when they accept.', tags, status: 202 }, { params: slugParams, body: { type: 'object', required: ['username'], properties: { username: USERNAME } } }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const project = await maintainedProject(ctx, user, request.params.project);
      const invited = await inviteMaintainer(ctx, user, project, request.body.username);
      reply.code(202);
      return invitation(project.slug, invited);
    },
  );

  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/invitations/',
    { schema: routeSchema({ summary: "A project's pending maintainer invitations.", tags }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await maintainedProject(ctx, user, request.params.project);
      const { limit, offset } = request.query;
      const all = await pendingInvitations(ctx, project);
      return page(ctx, `projects/${project.slug}/invitations/`, all.length, limit, offset, all.slice(offset, offset + limit).map((i) => invitation(project.slug, i)));
    },
  );

  app.delete<{ Params: { project: string; username: string } }>(
    '/projects/:project/invitations/:username/',
    { schema: routeSchema({ summary: 'Revoke a pending invitation.', tags }, { params: userParams }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      await revokeInvitation(ctx, await maintainedProject(ctx, user, request.params.project), request.params.username);
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: { project: string; username: string } }>(
    '/projects/:project/maintainers/:username/',
    { schema: routeSchema({ summary: 'Remove a maintainer (never the last one).', tags }, { params: userParams }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      await removeMaintainer(ctx, await maintainedProject(ctx, user, request.params.project), request.params.username);
      return reply.code(204).send();
    },
  );
}
