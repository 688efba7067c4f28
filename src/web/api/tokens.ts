// /api/v3/tokens/: a user's own API tokens (Bindery's; Read the Docs has no such endpoint).
// The token itself is shown once, in the answer that creates it. A token can only mint
// tokens that expire no later than itself, so a leaked short-lived token cannot make a lasting one.
import type { FastifyInstance } from 'fastify';
import { createToken, findToken, listTokens, revokeToken, type ApiToken } from '../../db/api-tokens.ts';
import { requireAuth, requireUser } from '../auth.ts';
import { fieldError, notFound } from '../errors.ts';
import { paginationQuery, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { api, page, type UrlContext } from './serializers.ts';

const tags = ['tokens'];
const tokenParams = { type: 'object', properties: { token: { type: 'integer', minimum: 1, maximum: 2147483647 } }, required: ['token'] } as const;

function serializeToken(t: ApiToken, ctx: UrlContext) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    created: t.createdAt.toISOString(),
    expires: t.expiresAt?.toISOString() ?? null,
    last_used: t.lastUsedAt?.toISOString() ?? null,
    _links: { _self: api(ctx, `tokens/${t.id}/`) },
  };
}

export function tokenRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: PageQuery }>('/tokens/', { schema: routeSchema({ summary: "The user's API tokens (never the tokens themselves).", tags }, { querystring: paginationQuery }) }, async (request) => {
    const user = await requireUser(ctx.db, request);
    const { limit, offset } = request.query;
    const { count, rows } = await listTokens(ctx.db, user.id, limit, offset);
    return page(ctx, 'tokens/', count, limit, offset, rows.map((t) => serializeToken(t, ctx)));
  });

  app.post<{ Body: { name: string; expires?: string | null } }>(
    '/tokens/',
    {
      schema: routeSchema(
        { summary: 'Create a token; the answer holds it in `token`, the only time it is shown.', tags },
        {
          body: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, expires: { type: ['string', 'null'], format: 'date-time' } },
          },
        },
      ),
    },
    async (request, reply) => {
      const { user, token: current } = await requireAuth(ctx.db, request);
      const expires = request.body.expires ? new Date(request.body.expires) : null;
      if (expires && expires.getTime() <= Date.now()) throw fieldError('expires', 'the expiry must be in the future');
      if (current.expiresAt && (!expires || expires > current.expiresAt)) {
        throw fieldError('expires', `this token expires at ${current.expiresAt.toISOString()}: it can only create tokens that expire no later`);
      }
      const { row, token } = await createToken(ctx.db, user.id, request.body.name, expires);
      reply.code(201).header('location', api(ctx, `tokens/${row.id}/`));
      return { ...serializeToken(row, ctx), token };
    },
  );

  app.get<{ Params: { token: number } }>('/tokens/:token/', { schema: routeSchema({ summary: 'One of the user’s tokens.', tags }, { params: tokenParams }) }, async (request) => {
    const user = await requireUser(ctx.db, request);
    const row = await findToken(ctx.db, user.id, request.params.token);
    if (!row) throw notFound('Token not found.');
    return serializeToken(row, ctx);
  });

  app.delete<{ Params: { token: number } }>('/tokens/:token/', { schema: routeSchema({ summary: 'Revoke a token; it stops working at once.', tags }, { params: tokenParams }) }, async (request, reply) => {
    const user = await requireUser(ctx.db, request);
    if (!(await revokeToken(ctx.db, user.id, request.params.token))) throw notFound('Token not found.');
    reply.code(204);
  });
}
