// Who acts in an API request, for the domain layer: the token's user, or null for an anonymous
// reader. A token that is presented but wrong is still a 401 (a script with a stale token must
// hear so, not silently read as anonymous). The API's context is itself a DomainContext.
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/context.ts';
import { optionalUser } from '../auth.ts';
import type { ApiContext } from './context.ts';

/** The request's user, or null when it carries no token (reads of public things only): auth.ts's optionalUser. */
export async function apiActor(ctx: Pick<ApiContext, 'db'>, request: FastifyRequest): Promise<Actor> {
  return optionalUser(ctx.db, request);
}
