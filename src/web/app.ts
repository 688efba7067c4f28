// The web tier: the dashboard, REST API v3, webhooks and the builder API.
// Stateless: everything it knows is in the database and storage.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { createLogger, type Logger } from '../log.ts';
import { jsonErrorHandler, type HttpError } from './errors.ts';
import type { ApiContext } from './api/context.ts';
import { projectRoutes } from './api/projects.ts';
import { versionRoutes } from './api/versions.ts';
import { buildRoutes } from './api/builds.ts';
import { builderApiRoutes } from './builder-api.ts';
import { buildLogStreamRoutes } from './api/build-log-stream.ts';
import { rollbackRoutes } from './api/rollback.ts';
import { integrationRoutes } from './api/integrations.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import { dashboardError, isPageRequest, registerDashboard } from './dashboard/plugin.ts';
import { html } from './html.ts';
import { page } from './dashboard/layout.ts';
import type { DashboardContext } from './dashboard/context.ts';
import { registerRateLimit } from './rate-limit.ts';
import { registerJsonSafety } from './api/json-safety.ts';
import { collectApiRoutes, openApiRoutes } from './api/openapi.ts';
import { tokenRoutes } from './api/tokens.ts';
import { redirectRoutes } from './api/redirects.ts';
import { environmentVariableRoutes } from './api/environment-variables.ts';
import { subprojectRoutes } from './api/subprojects.ts';
import { translationRoutes } from './api/translations.ts';
import { domainRoutes } from './api/domains.ts';
import { automationRuleRoutes } from './api/automation-rules.ts';
import { maintainerRoutes } from './api/maintainers.ts';

export interface WebAppOptions extends ApiContext {
  log: Logger | false;
  /** Secret builders present; null → this node serves no builders. */
  builderSecret: string | null;
  /** How long a dashboard session lasts (default two weeks). */
  sessionLifetimeMs?: number;
  /** Addresses of the proxies whose X-Forwarded-* headers are believed (default: none). */
  trustProxy?: string[];
}

export async function createWebApp(opts: WebAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: (opts.log || createLogger('silent')) as FastifyBaseLogger,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    bodyLimit: 1024 * 1024,
    // Only the proxies in front of this node may name the client (X-Forwarded-For/-Host).
    trustProxy: opts.trustProxy?.length ? opts.trustProxy : false,
  });
  app.decorateRequest('user', null);
  // Before any route: the OpenAPI document records /api/v3 routes as they are added.
  const apiRoutes = collectApiRoutes(app);
  registerRateLimit(app, opts.db, opts.rateLimit);
  registerJsonSafety(app);
  // Private hook addresses are allowed to everyone where local repositories are (ALLOW_LOCAL_REPOSITORIES), else to instance admins.
  const allowPrivateWebhookUrls = opts.allowLocalRepositories;
  const dashboard: DashboardContext = {
    db: opts.db, queue: opts.queue, publicUrl: opts.publicUrl, docsDomain: opts.docsDomain, previewDomain: opts.previewDomain,
    allowLocalRepositories: opts.allowLocalRepositories, resolveHost: opts.resolveHost,
    sessionLifetimeMs: opts.sessionLifetimeMs ?? 14 * 86400 * 1000,
    domainVerification: opts.domainVerification, allowPrivateWebhookUrls,
  };
  // Pages answer errors with pages, the APIs with JSON.
  app.setErrorHandler((error, request, reply) => (isPageRequest(request) ? dashboardError(error as Error, request, reply, dashboard) : jsonErrorHandler(error as HttpError, request, reply)));
  app.setNotFoundHandler((request, reply) => {
    if (isPageRequest(request)) return page(request, reply, dashboard, { title: 'Not found', status: 404, body: html`<h1>Not found</h1><p>There is no page here.</p><p><a href="/">Home</a></p>` });
    return reply.code(404).send({ detail: 'Not found.' });
  });
  await registerDashboard(app, dashboard);
  app.get('/_/health_check/', async () => ({ status: 'ok' }));
  projectRoutes(app, opts);
  versionRoutes(app, opts);
  buildRoutes(app, opts);
  buildLogStreamRoutes(app, opts);
  rollbackRoutes(app, opts);
  tokenRoutes(app, opts);
  redirectRoutes(app, opts);
  environmentVariableRoutes(app, opts);
  subprojectRoutes(app, opts);
  translationRoutes(app, opts);
  domainRoutes(app, opts);
  automationRuleRoutes(app, opts);
  maintainerRoutes(app, opts);
  openApiRoutes(app, opts, apiRoutes);
  integrationRoutes(app, opts, { allowPrivateAddresses: allowPrivateWebhookUrls });
  webhookRoutes(app, { db: opts.db, queue: opts.queue, allowLocalRepositories: opts.allowLocalRepositories, resolveHost: opts.resolveHost, log: opts.log || undefined, publicUrl: opts.publicUrl, previewDomain: opts.previewDomain });
  builderApiRoutes(app, { db: opts.db, queue: opts.queue, builderSecret: opts.builderSecret, allowLocalRepositories: opts.allowLocalRepositories, resolveHost: opts.resolveHost });
  return app;
}
