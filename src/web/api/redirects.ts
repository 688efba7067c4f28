// /api/v3/projects/<slug>/redirects/: Read the Docs' redirects endpoint. Maintainers only, reads
// included, as on Read the Docs (403 for a user who can see the project, 404 otherwise). The
// rules live in domain/redirects.ts; this file translates the JSON body and renders the answer.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Project, Redirect } from '../../db/schema.ts';
import { maintainedProject } from '../../domain/access.ts';
import { addRedirect, changeRedirect, projectRedirect, projectRedirects, removeRedirect, type RedirectInput } from '../../domain/redirects.ts';
import { requireUser } from '../auth.ts';
import { idParams, paginationQuery, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { api, page, type UrlContext } from './serializers.ts';

const tags = ['redirects'];
// Types, lengths and choices are the domain's to check, so the API and the dashboard refuse
// alike and with Read the Docs' messages; the schema keeps only the JSON types.
const fields = {
  type: { type: 'string', maxLength: 64 },
  from_url: { type: 'string' },
  to_url: { type: 'string' },
  http_status: { type: 'integer' },
  force: { type: 'boolean' },
  enabled: { type: 'boolean' },
  position: { type: 'integer' },
  description: { type: 'string' },
} as const;
const params = idParams('redirect');

interface Body {
  type?: string;
  from_url?: string;
  to_url?: string;
  http_status?: number;
  force?: boolean;
  enabled?: boolean;
  position?: number;
  description?: string;
}

const inputOf = (b: Body): RedirectInput => ({
  type: b.type, fromUrl: b.from_url, toUrl: b.to_url, httpStatus: b.http_status, force: b.force, enabled: b.enabled, description: b.description, position: b.position,
});

/**
 * A redirect as Read the Docs answers it. Reads give null for an empty from_url/to_url (its
 * detail serializer); writes answer them as stored, '' (its create serializer).
 */
function serializeRedirect(r: Redirect, p: Project, ctx: UrlContext, written = false) {
  const url = (value: string) => (written ? value : value || null);
  return {
    pk: r.id,
    created: r.createdAt.toISOString(),
    modified: r.updatedAt.toISOString(),
    project: p.slug,
    type: r.type,
    from_url: url(r.fromUrl),
    to_url: url(r.toUrl),
    force: r.force,
    enabled: r.enabled,
    description: r.description,
    http_status: r.httpStatus,
    position: r.position,
    _links: { _self: api(ctx, `projects/${p.slug}/redirects/${r.id}/`), project: api(ctx, `projects/${p.slug}/`) },
  };
}

export function redirectRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const project = async (request: FastifyRequest<{ Params: { project: string } }>) =>
    maintainedProject(ctx, await requireUser(ctx.db, request), request.params.project);

  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/redirects/',
    { schema: routeSchema({ summary: "A project's redirects in the order they are tried.", tags }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const p = await project(request);
      const { limit, offset } = request.query;
      const { count, rows } = await projectRedirects(ctx, p, limit, offset);
      return page(ctx, `projects/${p.slug}/redirects/`, count, limit, offset, rows.map((r) => serializeRedirect(r, p, ctx)));
    },
  );

  app.post<{ Params: { project: string }; Body: Body }>(
    '/projects/:project/redirects/',
    {
      schema: routeSchema(
        { summary: 'Add a redirect (at position 0 unless given).', tags },
        { params: slugParams, body: { type: 'object', required: ['type'], additionalProperties: false, properties: fields } },
      ),
    },
    async (request, reply) => {
      const p = await project(request);
      const row = await addRedirect(ctx, p, inputOf(request.body));
      reply.code(201).header('location', api(ctx, `projects/${p.slug}/redirects/${row.id}/`));
      return serializeRedirect(row, p, ctx, true);
    },
  );

  app.get<{ Params: { project: string; redirect: number } }>(
    '/projects/:project/redirects/:redirect/',
    { schema: routeSchema({ summary: 'A redirect.', tags }, { params }) },
    async (request) => {
      const p = await project(request);
      return serializeRedirect(await projectRedirect(ctx, p, request.params.redirect), p, ctx);
    },
  );

  // PUT replaces the redirect (fields left out take their defaults), PATCH changes the fields given.
  for (const method of ['PUT', 'PATCH'] as const) {
    app.route<{ Params: { project: string; redirect: number }; Body: Body }>({
      method,
      url: '/projects/:project/redirects/:redirect/',
      schema: routeSchema(
        { summary: method === 'PUT' ? 'Replace a redirect; a new position moves it there.' : 'Change some fields of a redirect.', tags },
        { params, body: { type: 'object', ...(method === 'PUT' ? { required: ['type'] } : {}), additionalProperties: false, properties: fields } },
      ),
      handler: async (request) => {
        const p = await project(request);
        const row = await changeRedirect(ctx, p, request.params.redirect, inputOf(request.body), method === 'PUT');
        return serializeRedirect(row, p, ctx, true);
      },
    });
  }

  app.delete<{ Params: { project: string; redirect: number } }>(
    '/projects/:project/redirects/:redirect/',
    { schema: routeSchema({ summary: 'Delete a redirect; those after it move up.', tags }, { params }) },
    async (request, reply) => {
      await removeRedirect(ctx, await project(request), request.params.redirect);
      reply.code(204);
    },
  );
}
