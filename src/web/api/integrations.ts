// /api/v3/projects/<slug>/integrations/ (incoming webhooks, each with its generated secret and
// webhook URL) and /api/v3/projects/<slug>/webhooks/ (outgoing build notifications). Bindery's
// own (Read the Docs' API v3 has neither), with its conventions: maintainers only (others who
// can see the project 403, the rest 404); secrets are shown on create and detail, not in
// lists. The rules are src/domain/integrations.ts's and src/domain/outgoing-webhooks.ts's.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PROVIDERS, addIntegration, getIntegration, integrationWebhookUrl, integrationsOf, removeIntegration } from '../../domain/integrations.ts';
import { HOOK_EVENTS, addWebhook, getWebhook, removeWebhook, webhooksOf, type ProjectWebhook } from '../../domain/outgoing-webhooks.ts';
import { maintainedProject } from '../../domain/access.ts';
import type { Integration, Project } from '../../db/schema.ts';
import { requireUser } from '../auth.ts';
import { idParams, paginationQuery, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { api, page } from './serializers.ts';

const itemParams = idParams('id');

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

export function integrationRoutes(app: FastifyInstance, apiCtx: ApiContext): void {
  const ctx = apiCtx;
  const maintained = async (request: FastifyRequest) => {
    const user = await requireUser(ctx.db, request);
    return { user, project: await maintainedProject(ctx, user, (request.params as { project: string }).project) };
  };
  const integrationTags = ['integrations'];
  const webhookTags = ['webhooks'];

  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/integrations/',
    { schema: routeSchema({ summary: "A project's incoming webhook integrations (without their secrets).", tags: integrationTags }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const { project } = await maintained(request);
      const { limit, offset } = request.query;
      const all = await integrationsOf(ctx, project);
      return page(ctx, `projects/${project.slug}/integrations/`, all.length, limit, offset, all.slice(offset, offset + limit).map((i) => serializeIntegration(i, project, ctx, false)));
    },
  );

  app.post<{ Params: { project: string }; Body: { type: string } }>(
    '/projects/:project/integrations/',
    { schema: routeSchema({ summary: `Add an incoming webhook integration (type: ${PROVIDERS.join(', ')}) with a generated secret.`, tags: integrationTags }, { params: slugParams, body: { type: 'object', required: ['type'], properties: { type: { type: 'string', maxLength: 50 } } } }) },
    async (request, reply) => {
      const { project } = await maintained(request);
      const integration = await addIntegration(ctx, project, request.body.type);
      reply.code(201).header('location', api(ctx, `projects/${project.slug}/integrations/${integration.id}/`));
      return serializeIntegration(integration, project, ctx, true);
    },
  );

  app.get<{ Params: { project: string; id: number } }>(
    '/projects/:project/integrations/:id/',
    { schema: routeSchema({ summary: 'An integration, with its secret.', tags: integrationTags }, { params: itemParams }) },
    async (request) => {
      const { project } = await maintained(request);
      return serializeIntegration(await getIntegration(ctx, project, request.params.id), project, ctx, true);
    },
  );

  app.delete<{ Params: { project: string; id: number } }>(
    '/projects/:project/integrations/:id/',
    { schema: routeSchema({ summary: 'Delete an integration: its webhook URL stops working.', tags: integrationTags }, { params: itemParams }) },
    async (request, reply) => {
      const { project } = await maintained(request);
      await removeIntegration(ctx, project, request.params.id);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/webhooks/',
    { schema: routeSchema({ summary: "A project's outgoing webhooks (without their secrets).", tags: webhookTags }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const { project } = await maintained(request);
      const { limit, offset } = request.query;
      const all = await webhooksOf(ctx, project);
      return page(ctx, `projects/${project.slug}/webhooks/`, all.length, limit, offset, all.slice(offset, offset + limit).map((h) => serializeHook(h, project, ctx, false)));
    },
  );

  app.post<{ Params: { project: string }; Body: { url: string; events?: string[] } }>(
    '/projects/:project/webhooks/',
    {
      schema: routeSchema(
        { summary: `Add an outgoing webhook: signed JSON POSTed to url on events (${HOOK_EVENTS.join(', ')}; default build:passed and build:failed).`, tags: webhookTags },
        { params: slugParams, body: { type: 'object', required: ['url'], properties: { url: { type: 'string', maxLength: 4096 }, events: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 50 } } } } },
      ),
    },
    async (request, reply) => {
      const { user, project } = await maintained(request);
      const hook = await addWebhook(ctx, user, project, { url: request.body.url, events: request.body.events });
      reply.code(201).header('location', api(ctx, `projects/${project.slug}/webhooks/${hook.id}/`));
      return serializeHook(hook, project, ctx, true);
    },
  );

  app.get<{ Params: { project: string; id: number } }>(
    '/projects/:project/webhooks/:id/',
    { schema: routeSchema({ summary: 'An outgoing webhook, with its secret and its latest delivery attempts.', tags: webhookTags }, { params: itemParams }) },
    async (request) => {
      const { project } = await maintained(request);
      const { hook, attempts } = await getWebhook(ctx, project, request.params.id);
      return {
        ...serializeHook(hook, project, ctx, true),
        // Why a receiver did not hear about a build: the latest tries, newest first.
        recent_attempts: attempts.map((a) => ({ event: a.event, attempt: a.attempt, status_code: a.statusCode, error: a.error, created: a.createdAt.toISOString() })),
      };
    },
  );

  app.delete<{ Params: { project: string; id: number } }>(
    '/projects/:project/webhooks/:id/',
    { schema: routeSchema({ summary: 'Delete an outgoing webhook.', tags: webhookTags }, { params: itemParams }) },
    async (request, reply) => {
      const { project } = await maintained(request);
      await removeWebhook(ctx, project, request.params.id);
      return reply.code(204).send();
    },
  );
}
