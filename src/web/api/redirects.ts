// /api/v3/projects/<slug>/redirects/: Read the Docs' user redirects (page, exact,
// clean_url_to_html, html_to_clean_url), in order: `position` 0 is tried first, and creating
// or moving one at a position shifts the others. Targets stay on the docs host or go to an
// absolute http(s) URL, never a scheme-relative `//host` (an open redirect).
import type { FastifyInstance } from 'fastify';
import { createRedirect, deleteRedirect, findRedirect, listRedirects, updateRedirect, type RedirectFields } from '../../db/redirects.ts';
import type { Project, Redirect } from '../../db/schema.ts';
import { servingChanged } from '../../core/changes.ts';
import { requireUser } from '../auth.ts';
import { fieldError, notFound } from '../errors.ts';
import { idParams, paginationQuery, projectFor, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { api, page, type UrlContext } from './serializers.ts';

const tags = ['redirects'];
const TYPES = ['page', 'exact', 'clean_url_to_html', 'html_to_clean_url'] as const;
const URL_FIELD = { type: 'string', maxLength: 2048, pattern: '^[^\\x00-\\x1f\\x7f]*$' } as const;
const fields = {
  type: { type: 'string', enum: TYPES },
  from_url: URL_FIELD,
  to_url: URL_FIELD,
  http_status: { type: 'integer', enum: [301, 302] },
  force: { type: 'boolean' },
  enabled: { type: 'boolean' },
  position: { type: 'integer', minimum: 0, maximum: 100_000 },
  description: { type: 'string', maxLength: 255 },
} as const;
const params = idParams('redirect');

interface Body {
  type?: (typeof TYPES)[number];
  from_url?: string;
  to_url?: string;
  http_status?: number;
  force?: boolean;
  enabled?: boolean;
  position?: number;
  description?: string;
}

function serializeRedirect(r: Redirect, p: Project, ctx: UrlContext) {
  return {
    pk: r.id,
    created: r.createdAt.toISOString(),
    // Bindery keeps no modification time of redirects yet.
    modified: null,
    project: p.slug,
    type: r.type,
    from_url: r.fromUrl,
    to_url: r.toUrl,
    http_status: r.httpStatus,
    force: r.force,
    enabled: r.enabled,
    position: r.position,
    description: r.description,
    _links: { _self: api(ctx, `projects/${p.slug}/redirects/${r.id}/`), project: api(ctx, `projects/${p.slug}/`) },
  };
}

export const REDIRECT_TYPES: readonly string[] = TYPES;
export const REDIRECT_DEFAULTS: RedirectFields = { type: 'page', fromUrl: '', toUrl: '', httpStatus: 302, force: false, enabled: true, description: '' };
const URL_CHARS = new RegExp(URL_FIELD.pattern);

/**
 * Read the Docs' rules for a redirect, on the fields it would have once written; throws 400
 * naming the field. The limits of the API's schema are checked here too, for the dashboard.
 */
export function checkRedirect(r: RedirectFields): RedirectFields {
  if (!REDIRECT_TYPES.includes(r.type)) throw fieldError('type', `the type is one of ${TYPES.join(', ')}`);
  if (!(fields.http_status.enum as readonly number[]).includes(r.httpStatus)) throw fieldError('http_status', 'the status is 301 or 302');
  for (const [field, value] of [['from_url', r.fromUrl], ['to_url', r.toUrl]] as const) {
    if (value.length > URL_FIELD.maxLength || !URL_CHARS.test(value)) throw fieldError(field, `${field} has at most ${URL_FIELD.maxLength} characters and no control characters`);
  }
  if (r.description.length > fields.description.maxLength) throw fieldError('description', `the description has at most ${fields.description.maxLength} characters`);
  if (r.type === 'clean_url_to_html' || r.type === 'html_to_clean_url') return { ...r, fromUrl: '', toUrl: '' };
  if (!r.fromUrl) throw fieldError('from_url', `a ${r.type} redirect needs from_url`);
  if (!r.toUrl) throw fieldError('to_url', `a ${r.type} redirect needs to_url`);
  if (r.type === 'exact' && !r.fromUrl.startsWith('/')) throw fieldError('from_url', 'an exact redirect matches a path: from_url starts with /');
  const star = r.fromUrl.indexOf('*');
  if (star >= 0 && star !== r.fromUrl.length - 1) throw fieldError('from_url', 'the wildcard * may only end from_url');
  if (r.toUrl.includes(':splat') && star < 0) throw fieldError('to_url', ':splat needs a from_url ending with *');
  if (/^[/\\]{2}|^\/\\/.test(r.toUrl)) throw fieldError('to_url', 'to_url is a path starting with a single / or an absolute http(s) URL');
  if (!r.toUrl.startsWith('/')) {
    let url: URL | null = null;
    try {
      url = new URL(r.toUrl.split(':splat').join(''));
    } catch {
      /* not absolute */
    }
    // `https:evil.example` parses as a URL but is served as a path: only `http(s)://` is absolute.
    if (!url || !/^https?:\/\//i.test(r.toUrl) || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname || url.username || url.password) {
      throw fieldError('to_url', 'to_url is a path starting with / or an absolute http(s) URL');
    }
  }
  return r;
}

function merged(base: RedirectFields, b: Body): RedirectFields {
  return {
    type: b.type ?? base.type,
    fromUrl: b.from_url ?? base.fromUrl,
    toUrl: b.to_url ?? base.toUrl,
    httpStatus: b.http_status ?? base.httpStatus,
    force: b.force ?? base.force,
    enabled: b.enabled ?? base.enabled,
    description: b.description ?? base.description,
  };
}

export function redirectRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/redirects/',
    { schema: routeSchema({ summary: "A project's redirects in the order they are tried.", tags }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const { limit, offset } = request.query;
      const { count, rows } = await listRedirects(ctx.db, project.id, limit, offset);
      return page(ctx, `projects/${project.slug}/redirects/`, count, limit, offset, rows.map((r) => serializeRedirect(r, project, ctx)));
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
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const row = await createRedirect(ctx.db, project.id, checkRedirect(merged(REDIRECT_DEFAULTS, request.body)), request.body.position ?? 0);
      servingChanged();
      reply.code(201).header('location', api(ctx, `projects/${project.slug}/redirects/${row.id}/`));
      return serializeRedirect(row, project, ctx);
    },
  );

  app.get<{ Params: { project: string; redirect: number } }>(
    '/projects/:project/redirects/:redirect/',
    { schema: routeSchema({ summary: 'A redirect.', tags }, { params }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const row = await findRedirect(ctx.db, project.id, request.params.redirect);
      if (!row) throw notFound('Redirect not found.');
      return serializeRedirect(row, project, ctx);
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
        const user = await requireUser(ctx.db, request);
        const project = await projectFor(ctx, user, request.params.project);
        const current = await findRedirect(ctx.db, project.id, request.params.redirect);
        if (!current) throw notFound('Redirect not found.');
        const next = checkRedirect(merged(method === 'PUT' ? REDIRECT_DEFAULTS : current, request.body));
        const row = await updateRedirect(ctx.db, project.id, current.id, next, request.body.position);
        if (!row) throw notFound('Redirect not found.');
        servingChanged();
        return serializeRedirect(row, project, ctx);
      },
    });
  }

  app.delete<{ Params: { project: string; redirect: number } }>(
    '/projects/:project/redirects/:redirect/',
    { schema: routeSchema({ summary: 'Delete a redirect; those after it move up.', tags }, { params }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      if (!(await deleteRedirect(ctx.db, project.id, request.params.redirect))) throw notFound('Redirect not found.');
      servingChanged();
      reply.code(204);
    },
  );
}
