// The web tier: the dashboard, REST API v3, webhooks and the builder API.
// Stateless: everything it knows is in the database and storage.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { createLogger, type Logger } from '../log.ts';
import { jsonErrorHandler, type HttpError } from './errors.ts';
import type { ApiContext } from './api/context.ts';
import { builderApiRoutes } from './builder-api.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import { SyncQueue } from '../queue/sync-queue.ts';
import { syncAfterWebhook } from '../domain/webhook-actions.ts';
import { registerDashboard } from './dashboard/plugin.ts';
import type { DashboardContext } from './dashboard/context.ts';
import { registerRateLimit } from './rate-limit.ts';
import { registerJsonSafety } from './api/json-safety.ts';
import { collectApiRoutes } from './api/openapi.ts';
import { apiV3 } from './api/plugin.ts';

export interface WebAppOptions extends Omit<ApiContext, 'allowPrivateWebhookUrls' | 'syncs'> {
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
  // Version syncs (webhooks, API sync-versions, the dashboard's button): one queue for this
  // app, on the build queue's boss, worked by this node after the answers.
  const log = opts.log || undefined;
  const syncs = new SyncQueue(opts.queue.boss, log);
  const syncDeps = { db: opts.db, queue: opts.queue, allowLocalRepositories: opts.allowLocalRepositories, resolveHost: opts.resolveHost, log, publicUrl: opts.publicUrl, previewDomain: opts.previewDomain };
  app.addHook('onReady', async () => syncs.work((job) => syncAfterWebhook(syncDeps, job)));
  app.addHook('onClose', async () => syncs.stop());
  const dashboard: DashboardContext = {
    db: opts.db, queue: opts.queue, syncs, publicUrl: opts.publicUrl, docsDomain: opts.docsDomain, previewDomain: opts.previewDomain,
    allowLocalRepositories: opts.allowLocalRepositories, resolveHost: opts.resolveHost,
    sessionLifetimeMs: opts.sessionLifetimeMs ?? 14 * 86400 * 1000,
    domainVerification: opts.domainVerification, allowPrivateWebhookUrls,
  };
  // The webhook receivers and the builder API answer in JSON; the dashboard and API v3 are
  // encapsulated plugins with their own error and not-found handlers.
  app.setErrorHandler((error, request, reply) => jsonErrorHandler(error as HttpError, request, reply));
  await app.register(async (pages) => registerDashboard(pages, dashboard));
  // Read the Docs' HealthCheckView answers exactly this, on the dashboard's host and on docs hosts.
  app.get('/_/health_check/', async () => ({ status: 200 }));
  await app.register(apiV3, { prefix: '/api/v3', ctx: { ...opts, syncs, allowPrivateWebhookUrls }, records: apiRoutes });
  webhookRoutes(app, { ...syncDeps, syncs });
  builderApiRoutes(app, { db: opts.db, queue: opts.queue, builderSecret: opts.builderSecret, allowLocalRepositories: opts.allowLocalRepositories, resolveHost: opts.resolveHost });
  return app;
}
