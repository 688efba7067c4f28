// What the domain layer gets from an API request: the API's context as a DomainContext, and who
// acts — the token's user, or null for an anonymous reader. A token that is presented but wrong is still a 401 (a script with a stale token must
// hear so, not silently read as anonymous).
import type { FastifyRequest } from 'fastify';
import type { Actor, DomainContext } from '../../domain/context.ts';
import { optionalUser } from '../auth.ts';
import type { ApiContext } from './context.ts';

/** The request's user, or null when it carries no token (reads of public things only): auth.ts's optionalUser. */
export async function apiActor(ctx: Pick<ApiContext, 'db'>, request: FastifyRequest): Promise<Actor> {
  return optionalUser(ctx.db, request);
}

type ApiServices = Omit<ApiContext, 'allowPrivateWebhookUrls'> & { allowPrivateWebhookUrls?: boolean };

/** The API's context as the domain's; `allowPrivateWebhookUrls` as the operator set it (false where not given). */
export function domainContext(ctx: ApiServices, allowPrivateWebhookUrls?: boolean): ApiServices & DomainContext {
  return { ...ctx, allowPrivateWebhookUrls: allowPrivateWebhookUrls ?? ctx.allowPrivateWebhookUrls ?? false };
}
