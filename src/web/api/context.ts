// What the API routes need from the process that runs them, and the pieces every resource
// shares: pagination (read as Read the Docs reads it: filters.ts). Who may read or change a
// project is domain/access.ts's; the API plugin checks the maintainer of every write.
import type { Db } from '../../db/database.ts';
import type { UrlContext } from './serializers.ts';
import { DEFAULT_LIMIT, MAX_LIMIT } from './filters.ts';
import type { BuildQueue } from '../../queue/build-queue.ts';
import type { SyncQueue } from '../../queue/sync-queue.ts';
import type { RateLimitOptions } from '../rate-limit.ts';
import type { DomainVerificationOptions } from '../../domain/domain-verification.ts';
import type { HostResolver } from '../../domain/host-resolution.ts';

export interface ApiContext extends UrlContext {
  db: Db;
  /** ALLOW_LOCAL_REPOSITORIES as the operator set it: every user may reach inside (else instance admins only). */
  allowLocalRepositories: boolean;
  /** How repository hosts are resolved for the inside-address check (tests); default the system's. */
  resolveHost?: HostResolver;
  queue: BuildQueue;
  /** The web app's version syncs (sync-versions queues one). */
  syncs: SyncQueue;
  /** Requests a minute per token / per address without one (defaults: 600 / 120). */
  rateLimit?: Partial<RateLimitOptions>;
  /** How custom domains are checked (port of the HTTP check, DNS servers, private addresses). */
  domainVerification?: DomainVerificationOptions;
  /** Every user's outgoing webhooks may point at private addresses (else instance admins' only). */
  allowPrivateWebhookUrls: boolean;
}

export interface PageQuery {
  limit: number;
  offset: number;
}

export const paginationQuery = {
  type: 'object',
  properties: {
    // Any value is read (filters.ts parseLimit/parseOffset) before this validates: never a 400.
    limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
    offset: { type: 'integer', minimum: 0, default: 0 },
  },
} as const;

export const slugParams = {
  type: 'object',
  properties: { project: { type: 'string', maxLength: 255 } },
  required: ['project'],
} as const;

/** Params of a project's sub-resource addressed by a numeric id (`…/redirects/<id>/`). */
export function idParams(name: string) {
  return {
    type: 'object',
    properties: { project: { type: 'string', maxLength: 255 }, [name]: { type: 'integer', minimum: 1, maximum: 2147483647 } },
    required: ['project', name],
  } as const;
}

/** Runs a write; a DomainError it throws reaches the API's error handler, which answers it (errors.ts). */
export async function guarded<T>(write: () => Promise<T>): Promise<T> {
  return write();
}
