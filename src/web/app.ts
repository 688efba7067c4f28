// The web tier: REST API v3 (and, as they land, the dashboard, webhooks and builder API).
// Stateless: everything it knows is in the database and storage.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { createLogger, type Logger } from '../log.ts';
import { jsonErrorHandler } from './errors.ts';
import type { ApiContext } from './api/context.ts';
import { projectRoutes } from './api/projects.ts';
import { versionRoutes } from './api/versions.ts';
import { buildRoutes } from './api/builds.ts';
import { builderApiRoutes } from './builder-api.ts';
import { buildLogStreamRoutes } from './api/build-log-stream.ts';

export interface WebAppOptions extends ApiContext {
  log: Logger | false;
  /** Secret builders present; null → this node serves no builders. */
  builderSecret: string | null;
}

export async function createWebApp(opts: WebAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: (opts.log || createLogger('silent')) as FastifyBaseLogger,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  });
  app.decorateRequest('user', null);
  app.setErrorHandler(jsonErrorHandler);
  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).send({ detail: 'Not found.' });
  });
  app.get('/_/health_check/', async () => ({ status: 'ok' }));
  projectRoutes(app, opts);
  versionRoutes(app, opts);
  buildRoutes(app, opts);
  buildLogStreamRoutes(app, opts);
  builderApiRoutes(app, { db: opts.db, queue: opts.queue, builderSecret: opts.builderSecret });
  return app;
}
