// What every dashboard page handler gets: the database, the queue, URLs, and helpers for
// the signed-in user, CSRF and rendering.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { BuildQueue } from '../../queue/build-queue.ts';
import type { SyncQueue } from '../../queue/sync-queue.ts';
import type { User } from '../../db/schema.ts';
import type { DomainVerificationOptions } from '../../domain/domain-verification.ts';
import type { HostResolver } from '../../domain/host-resolution.ts';

export interface DashboardContext {
  db: Db;
  queue: BuildQueue;
  /** The web app's version syncs (the versions page's sync button queues one). */
  syncs: SyncQueue;
  publicUrl: string;
  docsDomain: string;
  /** Pull-request previews' hosts are `<slug>--<n>.<previewDomain>`. */
  previewDomain: string;
  /** ALLOW_LOCAL_REPOSITORIES as the operator set it (as in the API). */
  allowLocalRepositories: boolean;
  resolveHost?: HostResolver;
  sessionLifetimeMs: number;
  /** How custom domains are checked (as in the API). */
  domainVerification?: DomainVerificationOptions;
  /** Every user's outgoing webhooks may point at loopback and private addresses (instance admins' always may). */
  allowPrivateWebhookUrls: boolean;
}

export interface SessionState {
  id: string;
  user: User;
  csrfToken: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    session: SessionState | null;
  }
}

export class LoginRequired extends Error {}

/** The signed-in user; otherwise the page answers with a redirect to the login form. */
export function signedIn(request: FastifyRequest): User {
  if (!request.session) throw new LoginRequired();
  return request.session.user;
}

export function redirect(reply: FastifyReply, location: string, status = 303): FastifyReply {
  return reply.code(status).header('location', location).send();
}
