// /api/v3/projects/<slug>/notifications/, …/builds/<id>/notifications/ and
// /api/v3/users/<username>/notifications/: Read the Docs' notifications — list (filter
// `state`, `state__in`), detail, and PATCH/PUT of `state` (204, as Read the Docs' UpdateMixin
// answers). A thin adapter over src/domain/notifications.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  attachmentOf, buildNotifications, changeNotificationState, listScopeNotifications, projectNotifications, renderMessage, scopeNotification, userNotifications,
  type NotificationScope,
} from '../../domain/notifications.ts';
import type { Notification } from '../../db/schema.ts';
import { requireUser } from '../auth.ts';
import { apiActor } from './actor.ts';
import { paginationQuery, type ApiContext } from './context.ts';
import { api, page, type UrlContext } from './serializers.ts';
import { routeSchema } from './openapi.ts';

const tags = ['notifications'];
const id = { type: 'integer', minimum: 1, maximum: 2147483647 } as const;
const slug = { type: 'string', maxLength: 255 } as const;

/** Where a scope's notifications live in the API (for `_links._self` and the page links). */
function basePath(scope: NotificationScope): string {
  if (scope.buildId !== undefined) return `projects/${scope.project!.slug}/builds/${scope.buildId}/notifications/`;
  if (scope.project) return `projects/${scope.project.slug}/notifications/`;
  return `users/${scope.user!.username}/notifications/`;
}

/** Read the Docs' NotificationSerializer. */
export function serializeNotification(n: Notification, scope: NotificationScope, ctx: UrlContext) {
  const message = renderMessage(n);
  const attached = attachmentOf(n);
  return {
    id: n.id,
    state: n.state,
    dismissable: false,
    news: false,
    attached_to_content_type: attached.contentType,
    attached_to_id: attached.id,
    message: { id: message.id, header: message.header, body: message.body, type: message.type, icon_classes: message.iconClasses },
    _links: { _self: api(ctx, `${basePath(scope)}${n.id}/`) },
  };
}

interface ListQuery {
  limit: number;
  offset: number;
  state?: string;
  state__in?: string;
}

const listQuery = {
  ...paginationQuery,
  properties: { ...paginationQuery.properties, state: { type: 'string', maxLength: 64 }, state__in: { type: 'string', maxLength: 500 } },
} as const;

/** django-filter's `state` (exact) and `state__in` (comma-separated); both narrow the list. */
function statesOf(q: ListQuery): string[] | undefined {
  let states: string[] | undefined;
  if (q.state__in !== undefined) states = q.state__in.split(',').filter(Boolean);
  if (q.state !== undefined) states = (states ?? [q.state]).filter((s) => s === q.state);
  return states;
}

const stateBody = { type: 'object', properties: { state: { type: 'string', maxLength: 64 } } } as const;

export function notificationRoutes(app: FastifyInstance, ctx: ApiContext): void {
  /** One resource's three routes: list, detail, and PATCH/PUT of the state. */
  const resource = <P extends Record<string, unknown>>(
    path: string,
    params: object,
    scopeOf: (request: FastifyRequest<{ Params: P }>, write: boolean) => Promise<NotificationScope>,
    what: string,
  ) => {
    app.get<{ Params: P; Querystring: ListQuery }>(
      path,
      { schema: routeSchema({ summary: `${what}, newest first; filters \`state\` and \`state__in\`.`, tags }, { params, querystring: listQuery }) },
      async (request) => {
        const scope = await scopeOf(request, false);
        const { limit, offset } = request.query;
        const { count, rows } = await listScopeNotifications(ctx, scope, statesOf(request.query), limit, offset);
        return page(ctx, basePath(scope), count, limit, offset, rows.map((n) => serializeNotification(n, scope, ctx)), { state: request.query.state, state__in: request.query.state__in });
      },
    );
    const detailParams = { type: 'object', properties: { ...(params as { properties: object }).properties, notification: id }, required: [...(params as { required: string[] }).required, 'notification'] };
    app.get<{ Params: P & { notification: number } }>(
      `${path}:notification/`,
      { schema: routeSchema({ summary: `One of ${what.toLowerCase()}.`, tags }, { params: detailParams }) },
      async (request) => {
        const scope = await scopeOf(request, false);
        return serializeNotification(await scopeNotification(ctx, scope, (request.params as { notification: number }).notification), scope, ctx);
      },
    );
    const change = async (request: FastifyRequest<{ Params: P & { notification: number }; Body: { state?: unknown } | undefined }>, reply: FastifyReply) => {
      const scope = await scopeOf(request, true);
      await changeNotificationState(ctx, scope, (request.params as { notification: number }).notification, request.body?.state);
      return reply.code(204).send();
    };
    for (const method of ['PATCH', 'PUT'] as const) {
      app.route<{ Params: P & { notification: number }; Body: { state?: unknown } | undefined }>({
        method,
        url: `${path}:notification/`,
        schema: routeSchema({ summary: `Mark one of ${what.toLowerCase()} read, unread, dismissed or cancelled; answers 204.`, tags, status: 204 }, { params: detailParams, body: stateBody }),
        handler: change,
      });
    }
  };

  resource<{ project: string }>(
    '/projects/:project/notifications/',
    { type: 'object', properties: { project: slug }, required: ['project'] },
    // Read the Docs: authenticated project admins only (anonymous: 401).
    async (request) => projectNotifications(ctx, await requireUser(ctx.db, request), request.params.project),
    "A project's notifications",
  );
  resource<{ project: string; build: number }>(
    '/projects/:project/builds/:build/notifications/',
    { type: 'object', properties: { project: slug, build: id }, required: ['project', 'build'] },
    async (request, write) => buildNotifications(ctx, await apiActor(ctx, request), request.params.project, request.params.build, write),
    "A build's notifications",
  );
  resource<{ username: string }>(
    '/users/:username/notifications/',
    { type: 'object', properties: { username: slug }, required: ['username'] },
    // Read the Docs: authenticated users only, and only their own.
    async (request) => userNotifications(await requireUser(ctx.db, request), request.params.username),
    "The user's notifications",
  );
}
