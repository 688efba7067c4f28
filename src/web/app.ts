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
import { dashboardError, isPageRequest, registerDashboard } from './dashboard/plugin.ts';
import { html } from './html.ts';
import { page } from './dashboard/layout.ts';
import type { DashboardContext } from './dashboard/context.ts';

export interface WebAppOptions extends ApiContext {
  log: Logger | false;
  /** Secret builders present; null → this node serves no builders. */
  builderSecret: string | null;
  /** How long a dashboard session lasts (default two weeks). */
  sessionLifetimeMs?: number;
}

export async function createWebApp(opts: WebAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: (opts.log || createLogger('silent')) as FastifyBaseLogger,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  });
  app.decorateRequest('user', null);
  const dashboard: DashboardContext = {
    db: opts.db, queue: opts.queue, publicUrl: opts.publicUrl, docsDomain: opts.docsDomain,
    allowLocalRepositories: opts.allowLocalRepositories, secureCookies: opts.publicUrl.startsWith('https:'),
    sessionLifetimeMs: opts.sessionLifetimeMs ?? 14 * 86400 * 1000,
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
  builderApiRoutes(app, { db: opts.db, queue: opts.queue, builderSecret: opts.builderSecret });
  return app;
}
