// /api/v3/projects/<slug>/integrations/ (incoming webhooks, each with its generated
// secret and webhook URL) and /api/v3/projects/<slug>/webhooks/ (outgoing build
// notifications). Maintainers only; secrets are shown on create and detail, not in lists.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkWebhookUrl } from '../../core/webhook-url.ts';
import { PROVIDERS, createIntegration, deleteIntegration, findIntegration, listIntegrations, type Provider } from '../../db/integrations.ts';
import {
  HOOK_EVENTS, createProjectWebhook, deleteProjectWebhook, findProjectWebhook, listAttempts, listProjectWebhooks, type ProjectWebhook,
} from '../../db/project-webhooks.ts';
import type { Db } from '../../db/database.ts';
import type { Integration, Project } from '../../db/schema.ts';
import { requireUser } from '../auth.ts';
import { fieldError, notFound } from '../errors.ts';
import { paginationQuery, projectFor, slugParams, type ApiContext } from './context.ts';
import { page } from './serializers.ts';

export interface IntegrationRouteOptions {
  /** Every user's hooks may point at loopback and private addresses (ALLOW_LOCAL_REPOSITORIES); instance admins' always may. */
  allowPrivateAddresses: boolean;
}

const itemParams = {
  type: 'object',
  properties: { project: { type: 'string', maxLength: 255 }, id: { type: 'integer', minimum: 1, maximum: 2147483647 } },
  required: ['project', 'id'],
} as const;

const api = (ctx: ApiContext, path: string) => `${ctx.publicUrl}/api/v3/${path}`;

/** Where a provider sends the deliveries of an integration. */
export function integrationWebhookUrl(publicUrl: string, slug: string, id: number): string {
  return `${publicUrl}/api/v2/webhook/${slug}/${id}/`;
}

/**
 * Adds an outgoing hook after checking its URL (no private addresses unless allowed) and its
 * events (default: build:passed and build:failed); throws 400 naming the field.
 */
export async function addProjectWebhook(db: Db, projectId: number, rawUrl: string, events: string[] | undefined, allowPrivateAddresses: boolean): Promise<ProjectWebhook> {
  const url = checkWebhookUrl(rawUrl, allowPrivateAddresses);
  if (!url.ok) throw fieldError('url', url.reason);
  if (events !== undefined) {
    if (events.length === 0) throw fieldError('events', 'choose at least one event');
    if (new Set(events).size !== events.length || events.some((e) => !(HOOK_EVENTS as readonly string[]).includes(e))) {
      throw fieldError('events', `events are some of ${HOOK_EVENTS.join(', ')}, each once`);
    }
  }
  return createProjectWebhook(db, projectId, url.url, events ?? ['build:passed', 'build:failed']);
}

function serializeIntegration(i: Integration, p: Project, ctx: ApiContext, withSecret: boolean) {
  return {
    id: i.id,
    type: i.provider,
    webhook_url: integrationWebhookUrl(ctx.publicUrl, p.slug, i.id),
    ...(withSecret ? { secret: i.secret } : {}),
    created: i.createdAt.toISOString(),
    _links: { _self: api(ctx, `projects/${p.slug}/integrations/${i.id}/`), project: api(ctx, `projects/${p.slug}/`) },
  };
}

function serializeHook(h: ProjectWebhook, p: Project, ctx: ApiContext, withSecret: boolean) {
  return {
    id: h.id,
    url: h.url,
    events: h.events,
    ...(withSecret ? { secret: h.secret } : {}),
    created: h.createdAt.toISOString(),
    _links: { _self: api(ctx, `projects/${p.slug}/webhooks/${h.id}/`), project: api(ctx, `projects/${p.slug}/`) },
  };
}

export function integrationRoutes(app: FastifyInstance, ctx: ApiContext, opts: IntegrationRouteOptions): void {
  const project = async (request: FastifyRequest) => projectFor(ctx, await requireUser(ctx.db, request), (request.params as { project: string }).project);

  app.get<{ Params: { project: string }; Querystring: { limit: number; offset: number } }>(
    '/projects/:project/integrations/',
    { schema: { params: slugParams, querystring: paginationQuery } },
    async (request) => {
      const p = await project(request);
      const { limit, offset } = request.query;
      const all = await listIntegrations(ctx.db, p.id);
      return page(ctx, `projects/${p.slug}/integrations/`, all.length, limit, offset, all.slice(offset, offset + limit).map((i) => serializeIntegration(i, p, ctx, false)));
    },
  );

  app.post<{ Params: { project: string }; Body: { type: Provider } }>(
    '/projects/:project/integrations/',
    { schema: { params: slugParams, body: { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: [...PROVIDERS] } } } } },
    async (request, reply) => {
      const p = await project(request);
      const integration = await createIntegration(ctx.db, p.id, request.body.type);
      reply.code(201).header('location', api(ctx, `projects/${p.slug}/integrations/${integration.id}/`));
      return serializeIntegration(integration, p, ctx, true);
    },
  );

  app.get<{ Params: { project: string; id: number } }>('/projects/:project/integrations/:id/', { schema: { params: itemParams } }, async (request) => {
    const p = await project(request);
    const integration = await findIntegration(ctx.db, p.id, request.params.id);
    if (!integration) throw notFound('Integration not found.');
    return serializeIntegration(integration, p, ctx, true);
  });

  app.delete<{ Params: { project: string; id: number } }>('/projects/:project/integrations/:id/', { schema: { params: itemParams } }, async (request, reply) => {
    const p = await project(request);
    if (!(await deleteIntegration(ctx.db, p.id, request.params.id))) throw notFound('Integration not found.');
    return reply.code(204).send();
  });

  app.get<{ Params: { project: string }; Querystring: { limit: number; offset: number } }>(
    '/projects/:project/webhooks/',
    { schema: { params: slugParams, querystring: paginationQuery } },
    async (request) => {
      const p = await project(request);
      const { limit, offset } = request.query;
      const all = await listProjectWebhooks(ctx.db, p.id);
      return page(ctx, `projects/${p.slug}/webhooks/`, all.length, limit, offset, all.slice(offset, offset + limit).map((h) => serializeHook(h, p, ctx, false)));
    },
  );

  app.post<{ Params: { project: string }; Body: { url: string; events?: string[] } }>(
    '/projects/:project/webhooks/',
    {
      schema: {
        params: slugParams,
        body: {
          type: 'object',
          required: ['url'],
          properties: {
            url: { type: 'string', minLength: 1, maxLength: 2048 },
            events: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: [...HOOK_EVENTS] } },
          },
        },
      },
    },
    async (request, reply) => {
      const p = await project(request);
      // Private destinations: everyone's when the operator allows local repositories, else instance admins' only.
      const mayReachInside = opts.allowPrivateAddresses || (await requireUser(ctx.db, request)).isAdmin;
      const hook = await addProjectWebhook(ctx.db, p.id, request.body.url, request.body.events, mayReachInside);
      reply.code(201).header('location', api(ctx, `projects/${p.slug}/webhooks/${hook.id}/`));
      return serializeHook(hook, p, ctx, true);
    },
  );

  app.get<{ Params: { project: string; id: number } }>('/projects/:project/webhooks/:id/', { schema: { params: itemParams } }, async (request) => {
    const p = await project(request);
    const hook = await findProjectWebhook(ctx.db, p.id, request.params.id);
    if (!hook) throw notFound('Webhook not found.');
    const attempts = await listAttempts(ctx.db, hook.id, 20);
    return {
      ...serializeHook(hook, p, ctx, true),
      // Why a receiver did not hear about a build: the latest tries, newest first.
      recent_attempts: attempts.map((a) => ({ event: a.event, attempt: a.attempt, status_code: a.statusCode, error: a.error, created: a.createdAt.toISOString() })),
    };
  });

  app.delete<{ Params: { project: string; id: number } }>('/projects/:project/webhooks/:id/', { schema: { params: itemParams } }, async (request, reply) => {
    const p = await project(request);
    if (!(await deleteProjectWebhook(ctx.db, p.id, request.params.id))) throw notFound('Webhook not found.');
    return reply.code(204).send();
  });
}
