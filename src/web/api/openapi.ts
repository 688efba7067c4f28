// GET /api/v3/openapi.json: the OpenAPI 3.1 document of API v3, generated from the schemas the
// routes validate requests with (collected as routes are added), so it cannot drift from them.
// A route's schema may carry `summary`, `tags`, `x-status` (its success code) and `x-public`
// (no token needed) for the document; Fastify ignores those keys.
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import type { UrlContext } from './serializers.ts';

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
    if (!route.url.startsWith('/api/v3/') || route.config?.methodNotAllowed) return;
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

function operation(record: RouteRecord, names: string[]) {
  const s = record.schema as Record<string, JsonSchema | unknown>;
  const status = String((s['x-status'] as number | undefined) ?? DEFAULT_STATUS[record.method] ?? 200);
  const success =
    status === '204'
      ? { description: 'Done; no content.' }
      : { description: 'Success.', content: { 'application/json': { schema: { type: 'object' } } } };
  const op: Record<string, unknown> = {
    operationId: `${record.method.toLowerCase()}${templated(record.url).path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c?: string) => (c ? c.toUpperCase() : ''))}`,
    summary: (s.summary as string | undefined) ?? `${record.method} ${record.url}`,
    ...(s.description ? { description: s.description } : {}),
    ...(s.tags ? { tags: s.tags } : {}),
    parameters: [...parameters(s.params as JsonSchema | undefined, 'path', names), ...parameters(s.querystring as JsonSchema | undefined, 'query')],
    responses: { [status]: success, '4XX': { $ref: '#/components/responses/Error' } },
    ...(s['x-public'] ? { security: [] } : {}),
  };
  if (s.body) op.requestBody = { required: true, content: { 'application/json': { schema: s.body } } };
  return op;
}

export function openApiDocument(records: RouteRecord[], ctx: UrlContext) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const record of records) {
    const { path, names } = templated(record.url);
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
      schemas: {
        Error: {
          type: 'object',
          required: ['detail'],
          properties: {
            detail: { type: 'string' },
            errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
      responses: {
        Error: {
          description: 'Bad input (400, naming the field), no or bad token (401), not found (404), conflict (409), too large (413), throttled (429, with Retry-After).',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
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
