// What the API routes need from the process that runs them, and the pieces every resource
// shares: the project named in the URL (404 unless the user maintains it) and pagination.
import type { Db } from '../../db/database.ts';
import type { Project } from '../../db/schema.ts';
import { findProjectBySlug, isMaintainer } from '../../db/projects.ts';
import type { User } from '../../db/schema.ts';
import { notFound } from '../errors.ts';
import type { UrlContext } from './serializers.ts';
import type { BuildQueue } from '../../queue/build-queue.ts';
import type { RateLimitOptions } from '../rate-limit.ts';
import type { DomainVerificationOptions } from '../../projects/domain-verification.ts';
import type { HostResolver } from '../../projects/host-resolution.ts';

export interface ApiContext extends UrlContext {
  db: Db;
  /** ALLOW_LOCAL_REPOSITORIES as the operator set it: every user may reach inside (else instance admins only). */
  allowLocalRepositories: boolean;
  /** How repository hosts are resolved for the inside-address check (tests); default the system's. */
  resolveHost?: HostResolver;
  queue: BuildQueue;
  /** Requests a minute per token / per address without one (defaults: 600 / 120). */
  rateLimit?: Partial<RateLimitOptions>;
  /** How custom domains are checked (port of the HTTP check, DNS servers, private addresses). */
  domainVerification?: DomainVerificationOptions;
}

/** The project named in the URL, if the user may see it; 404 otherwise (never 403: no existence leak). */
export async function projectFor(ctx: ApiContext, user: User, slug: string): Promise<Project> {
  const project = await findProjectBySlug(ctx.db, slug);
  if (!project || !(await isMaintainer(ctx.db, project.id, user.id))) throw notFound('Project not found.');
  return project;
}

export interface PageQuery {
  limit: number;
  offset: number;
}

export const paginationQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
    offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
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
