// What the API routes need from the process that runs them.
import type { Db } from '../../db/database.ts';
import type { Project } from '../../db/schema.ts';
import { findProjectBySlug, isMaintainer } from '../../db/projects.ts';
import type { User } from '../../db/schema.ts';
import { notFound } from '../errors.ts';
import type { UrlContext } from './serializers.ts';
import type { BuildQueue } from '../../queue/build-queue.ts';

export interface ApiContext extends UrlContext {
  db: Db;
  allowLocalRepositories: boolean;
  queue: BuildQueue;
}

/** The project named in the URL, if the user may see it; 404 otherwise (never 403: no existence leak). */
export async function projectFor(ctx: ApiContext, user: User, slug: string): Promise<Project> {
  const project = await findProjectBySlug(ctx.db, slug);
  if (!project || !(await isMaintainer(ctx.db, project.id, user.id))) throw notFound('Project not found.');
  return project;
}

export const paginationQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
    offset: { type: 'integer', minimum: 0, default: 0 },
  },
} as const;

export const slugParams = {
  type: 'object',
  properties: { project: { type: 'string', maxLength: 255 } },
  required: ['project'],
} as const;
