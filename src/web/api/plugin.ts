// API v3 as one encapsulated Fastify plugin, registered under `/api/v3`: its routes, its
// not-found answer and its error handler live here, apart from the dashboard's.
import type { FastifyInstance } from 'fastify';
import { jsonErrorHandler, type HttpError } from '../errors.ts';
import type { ApiContext } from './context.ts';
import { projectRoutes } from './projects.ts';
import { versionRoutes } from './versions.ts';
import { buildRoutes } from './builds.ts';
import { buildLogStreamRoutes } from './build-log-stream.ts';
import { rollbackRoutes } from './rollback.ts';
import { integrationRoutes } from './integrations.ts';
import { openApiRoutes, type RouteRecord } from './openapi.ts';
import { tokenRoutes } from './tokens.ts';
import { redirectRoutes } from './redirects.ts';
import { environmentVariableRoutes } from './environment-variables.ts';
import { subprojectRoutes } from './subprojects.ts';
import { translationRoutes } from './translations.ts';
import { domainRoutes } from './domains.ts';
import { automationRuleRoutes } from './automation-rules.ts';
import { maintainerRoutes } from './maintainers.ts';
import { notificationRoutes } from './notifications.ts';
import { rootRoutes } from './root.ts';

export interface ApiPluginOptions {
  ctx: ApiContext;
  /** The routes recorded for the OpenAPI document (openapi.ts collectApiRoutes). */
  records: RouteRecord[];
  /** Private hook addresses allowed (ALLOW_LOCAL_REPOSITORIES), else for instance admins only. */
  allowPrivateWebhookUrls: boolean;
}

export async function apiV3(api: FastifyInstance, opts: ApiPluginOptions): Promise<void> {
  const { ctx } = opts;
  api.setErrorHandler((error, request, reply) => jsonErrorHandler(error as HttpError, request, reply));
  api.setNotFoundHandler((_request, reply) => reply.code(404).send({ detail: 'Not found.' }));
  rootRoutes(api, ctx);
  projectRoutes(api, ctx);
  versionRoutes(api, ctx);
  buildRoutes(api, ctx);
  buildLogStreamRoutes(api, ctx);
  rollbackRoutes(api, ctx);
  tokenRoutes(api, ctx);
  redirectRoutes(api, ctx);
  environmentVariableRoutes(api, ctx);
  subprojectRoutes(api, ctx);
  translationRoutes(api, ctx);
  domainRoutes(api, ctx);
  automationRuleRoutes(api, ctx);
  maintainerRoutes(api, ctx);
  notificationRoutes(api, ctx);
  integrationRoutes(api, ctx, { allowPrivateAddresses: opts.allowPrivateWebhookUrls });
  openApiRoutes(api, ctx, opts.records);
}
