// GET /api/v3/openapi.json: the OpenAPI 3.1 document of API v3, generated from the schemas the
// routes validate requests with (collected as routes are added), so it cannot drift from them,
// and from the answers each route gives (response-schemas.ts, checked against real answers by
// the OpenAPI test).
// A route's schema may carry `summary`, `tags`, `x-status` (its success code) and `x-public`
// (no token needed) for the document; Fastify ignores those keys.
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import type { UrlContext } from './serializers.ts';
import { ERROR_RESPONSES, RESOURCE_SCHEMAS, answersFlexResource, successResponses } from './response-schemas.ts';
import { flexFieldsQuery } from './flex-fields.ts';

export interface RouteRecord {
  method: string;
  url: string;
  schema: Record<string, unknown>;
}

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; required?: string[]; [k: string]: unknown };

const DEFAULT_STATUS: Record<string, number> = { GET: 200, POST: 201, PUT: 200, PATCH: 200, DELETE: 204 };

/** Starts recording every /api/v3/ route added from now on; call before the routes are added. */
export function collectApiRoutes(app: FastifyInstance): RouteRecord[] {
  const records: RouteRecord[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    // The 405/OPTIONS answers the API plugin adds are not operations of the API.
    if (!(route.url === '/api/v3' || route.url.startsWith('/api/v3/')) || route.config?.methodNotAllowed) return;
    for (const method of [route.method].flat()) {
      // HEAD twins of GET routes are Fastify's own, not part of the API.
      if (method !== 'HEAD') records.push({ method, url: route.url, schema: (route.schema ?? {}) as Record<string, unknown> });
    }
  });
  return records;
}

/** `/a/:b/` → `/a/{b}/` and the names of its path parameters. */
function templated(url: string): { path: string; names: string[] } {
  const names: string[] = [];
  const path = url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
    names.push(name);
    return `{${name}}`;
  });
  return { path, names };
}

/** A query or path schema of Fastify (one object) as OpenAPI parameters. */
function parameters(schema: JsonSchema | undefined, where: 'query' | 'path', pathNames: string[] = []) {
  const props = schema?.properties ?? {};
  const names = where === 'path' ? pathNames : Object.keys(props);
  return names.map((name) => ({
    name,
    in: where,
    required: where === 'path' || (schema?.required ?? []).includes(name),
    schema: props[name] ?? { type: 'string' },
  }));
}

/** The route's path under /api/v3, as response-schemas.ts keys it (`/api/v3` itself is `/`). */
export function apiPath(url: string): string {
  return url.replace(/^\/api\/v3/, '') || '/';
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The route's answers: its success (response-schemas.ts) and the refusals it may give. */
function responses(record: RouteRecord, publicRoute: boolean) {
  const s = record.schema as Record<string, unknown>;
  const known = successResponses(record.method, apiPath(record.url));
  const fallback = { [(s['x-status'] as number | undefined) ?? DEFAULT_STATUS[record.method] ?? 200]: { description: 'Success.', content: { type: 'object' } } };
  const out: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(known ?? fallback)) {
    out[status] = answer.content ? { description: answer.description, content: { [answer.mediaType ?? 'application/json']: { schema: answer.content } } } : { description: answer.description };
  }
  const errors = [400, 404, 429, ...(publicRoute && !WRITES.has(record.method) ? [] : [401, 403]), ...(WRITES.has(record.method) ? [409, 415] : [])];
  for (const code of errors.sort()) out[String(code)] ??= { $ref: `#/components/responses/E${code}` };
  return out;
}

/** The route's query schema, with `fields`/`omit` where the API plugin applies them (flex-fields.ts). */
function withFlexFields(record: RouteRecord, query: JsonSchema | undefined): JsonSchema | undefined {
  if (!answersFlexResource(record.method, apiPath(record.url))) return query;
  const { fields, omit } = flexFieldsQuery;
  return { ...query, type: 'object', properties: { fields, omit, ...query?.properties } };
}

function operation(record: RouteRecord, names: string[]) {
  const s = record.schema as Record<string, JsonSchema | unknown>;
  const op: Record<string, unknown> = {
    operationId: `${record.method.toLowerCase()}${templated(record.url).path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c?: string) => (c ? c.toUpperCase() : ''))}`,
    summary: (s.summary as string | undefined) ?? `${record.method} ${record.url}`,
    ...(s.description ? { description: s.description } : {}),
    ...(s.tags ? { tags: s.tags } : {}),
    parameters: [...parameters(s.params as JsonSchema | undefined, 'path', names), ...parameters(withFlexFields(record, s.querystring as JsonSchema | undefined), 'query')],
    responses: responses(record, !!s['x-public']),
    // A public route reads the token when there is one (to show private things to their maintainers).
    ...(s['x-public'] ? { security: [{}, { token: [] }] } : {}),
  };
  if (s.body) op.requestBody = { required: true, content: { 'application/json': { schema: s.body } } };
  return op;
}

export function openApiDocument(records: RouteRecord[], ctx: UrlContext) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const record of records) {
    const { path, names } = templated(record.url === '/api/v3' ? '/api/v3/' : record.url);
    (paths[path] ??= {})[record.method.toLowerCase()] = operation(record, names);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Bindery API v3',
      version: '3',
      description: "Read the Docs' API v3, as Bindery serves it. Authenticate with `Authorization: Token <token>`.",
    },
    servers: [{ url: ctx.publicUrl }],
    security: [{ token: [] }],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    components: {
      securitySchemes: { token: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`Token <token>`' } },
      schemas: RESOURCE_SCHEMAS,
      responses: Object.fromEntries(
        Object.entries(ERROR_RESPONSES).map(([code, r]) => [`E${code}`, { description: r.description, content: { 'application/json': { schema: r.content } } }]),
      ),
    },
  };
}

export function openApiRoutes(app: FastifyInstance, ctx: UrlContext, records: RouteRecord[]): void {
  let cached: ReturnType<typeof openApiDocument> | null = null;
  app.get('/openapi.json', { schema: routeSchema({ summary: 'This OpenAPI document.', tags: ['meta'], public: true }) }, async () => {
    // Built on first request, when every route has been added.
    cached ??= openApiDocument(records, ctx);
    return cached;
  });
}

export interface RouteDoc {
  summary: string;
  tags: string[];
  /** The success status when it is not the method's usual one (GET 200, POST 201, PATCH/PUT 200, DELETE 204). */
  status?: number;
  /** No token needed. */
  public?: boolean;
}

/** A route schema with its documentation: what validates the request is what the document shows. */
export function routeSchema(doc: RouteDoc, parts: FastifySchema = {}): FastifySchema {
  return {
    ...parts,
    summary: doc.summary,
    tags: doc.tags,
    ...(doc.status ? { 'x-status': doc.status } : {}),
    ...(doc.public ? { 'x-public': true } : {}),
  } as FastifySchema;
}
