// API v3 as one encapsulated Fastify plugin, registered under `/api/v3`: its routes, its
// not-found answer and its error handler live here, apart from the dashboard's — and what
// every route shares, so that route files hold only their own work:
// - authentication before anything else reads the request (a presented token must be valid;
//   a write needs one), as Django REST framework authenticates before parsing the body;
// - request bodies in JSON, form or multipart encoding (request-bodies.ts), with no NUL or
//   lone surrogate in any string (json-safety.ts);
// - query strings read as Read the Docs reads them, and page links as DRF writes them (filters.ts);
// - `?fields=`/`?omit=` on answers of projects and builds (flex-fields.ts);
// - 405 with an Allow header for a method a known path does not take, and OPTIONS.
import type { FastifyInstance, RouteOptions } from 'fastify';
import { HttpError, jsonErrorHandler } from '../errors.ts';
import { carriesCredentials, requireAuth } from '../auth.ts';
import { normalizeQuery, pageLinks, queryShape, type QueryShape } from './filters.ts';
import { applyFlexFields, takesFlexFields } from './flex-fields.ts';
import { apiPath } from './openapi.ts';
import { answersFlexResource } from './response-schemas.ts';
import { registerBodyParsers } from './request-bodies.ts';
import { refuseUnsafeStrings } from './json-safety.ts';
import type { ApiContext } from './context.ts';
import { maintainedProject } from '../../domain/access.ts';
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
}

/** What the plugin's hooks need to know of a route, worked out once when it is added. */
interface RouteTraits {
  query: QueryShape | null;
  flexFields: boolean;
  /** No token needed even to write (`x-public` in its schema). */
  public: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    api?: RouteTraits;
    /** A 405 answer added by the plugin (kept out of the OpenAPI document). */
    methodNotAllowed?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export async function apiV3(api: FastifyInstance, opts: ApiPluginOptions): Promise<void> {
  const { ctx } = opts;
  api.setErrorHandler((error, request, reply) => jsonErrorHandler(error as HttpError, request, reply));
  api.setNotFoundHandler((_request, reply) => reply.code(404).send({ detail: 'Not found.' }));

  // The methods each path takes, for the 405 answers added once every route is in.
  const methodsOf = new Map<string, Set<string>>();
  api.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.methodNotAllowed) return;
    const schema = (route.schema ?? {}) as Record<string, unknown>;
    const methods = methodsOf.get(route.url) ?? new Set<string>();
    for (const m of [route.method].flat()) methods.add(m);
    const flexFields = takesFlexFields(schema.querystring) || [route.method].flat().some((m) => answersFlexResource(m, apiPath(route.url)));
    route.config = { ...route.config, api: { query: queryShape(schema.querystring), flexFields, public: !!schema['x-public'] } };
    methodsOf.set(route.url, methods);
  });

  // Authentication first: a bad token is 401 on every route, a write without one is 401,
  // before the body is parsed or validated (a route that reads anonymously then gets its
  // user from optionalUser, one that requires a user from requireUser: both already known).
  api.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const anonymousAllowed = SAFE_METHODS.has(request.method) || request.routeOptions.config.api?.public;
    if (carriesCredentials(request) || !anonymousAllowed) await requireAuth(ctx.db, request);
  });

  await registerBodyParsers(api);

  api.addHook('preValidation', async (request) => {
    // Every write to a project's resources is for its maintainers, and that is checked before
    // the body is validated, as Django REST framework checks permissions first: another user
    // learns 403 (public project) or 404 (private), never what a valid body would look like.
    const project = (request.params as { project?: unknown } | undefined)?.project;
    if (!SAFE_METHODS.has(request.method) && typeof project === 'string') await maintainedProject(ctx, request.user, project);
    // After the body parsers' hooks: a multipart body is only there from now on.
    refuseUnsafeStrings(request);
    const shape = request.routeOptions.config.api?.query;
    if (shape && request.query && typeof request.query === 'object') normalizeQuery(request.query as Record<string, unknown>, shape);
  });

  api.addHook('preSerialization', async (request, reply, payload: unknown) => {
    const traits = request.routeOptions.config.api;
    if (!traits || reply.statusCode >= 300) return payload;
    let body = payload;
    const query = request.query as Record<string, unknown>;
    if (traits.query?.paginated && isPage(body) && typeof query.limit === 'number' && typeof query.offset === 'number') {
      body = { ...body, ...pageLinks(`${ctx.publicUrl}${request.url}`, body.count, query.limit, query.offset) };
    }
    return traits.flexFields ? applyFlexFields(body, query) : body;
  });

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
  integrationRoutes(api, ctx);
  openApiRoutes(api, ctx, opts.records);
  methodNotAllowedRoutes(api, methodsOf);
}

function isPage(body: unknown): body is { count: number; next: unknown; previous: unknown; results: unknown[] } {
  const b = body as { count?: unknown; results?: unknown } | null;
  return !!b && typeof b === 'object' && typeof b.count === 'number' && Array.isArray(b.results) && 'next' in b && 'previous' in b;
}

/** For every known path, a 405 answer (with Allow) to each method it does not take, as DRF answers. */
function methodNotAllowedRoutes(api: FastifyInstance, methodsOf: Map<string, Set<string>>): void {
  for (const [url, methods] of methodsOf) {
    const allowed = METHODS.filter((m) => methods.has(m));
    const allow = [...allowed, ...(methods.has('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
    const path = url.replace(/^\/api\/v3/, '');
    // HEAD goes with GET (Fastify answers it); a path without GET refuses it like the others.
    const missing: string[] = [...METHODS.filter((m) => !methods.has(m)), ...(methods.has('GET') ? [] : ['HEAD'])];
    if (missing.length) {
      api.route({
        method: missing,
        url: path,
        config: { methodNotAllowed: true },
        handler: async (request, reply) => {
          reply.header('allow', allow);
          throw new HttpError(405, `Method "${request.method}" not allowed.`);
        },
      });
    }
    // OPTIONS as DRF's metadata answers it (without the per-action field descriptions).
    api.route({
      method: 'OPTIONS',
      url: path,
      config: { methodNotAllowed: true },
      handler: async (_request, reply) => {
        reply.header('allow', allow);
        return {
          name: 'Bindery API v3',
          description: '',
          renders: ['application/json'],
          parses: ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'],
        };
      },
    });
  }
}
