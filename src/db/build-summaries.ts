// What the dashboard's project lists and the build badge read of builds: the newest build of
// each project, the newest finished build of a version, a project's recent builds.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { builds, versions, type Build, type Version } from './schema.ts';

/** The newest build of each project, by project id. */
export async function latestBuilds(db: Db, projectIds: number[]): Promise<Map<number, Build>> {
  if (projectIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(builds)
    .where(and(inArray(builds.projectId, projectIds), sql`${builds.id} = (select max(b2.id) from builds b2 where b2.project_id = ${builds.projectId})`));
  return new Map(rows.map((b) => [b.projectId, b]));
}

/** The newest finished build of a project's version (by slug), with the version; null when none. */
export async function latestFinishedBuild(db: Db, projectId: number, versionSlug: string): Promise<{ build: Build; version: Version } | null> {
  const [row] = await db
    .select({ build: builds, version: versions })
    .from(builds)
    .innerJoin(versions, eq(versions.id, builds.versionId))
    .where(and(eq(versions.projectId, projectId), eq(versions.slug, versionSlug), eq(builds.state, 'finished')))
    .orderBy(desc(builds.id))
    .limit(1);
  return row ?? null;
}

/** A project's newest builds, newest first. */
export async function recentBuilds(db: Db, projectId: number, limit: number): Promise<Build[]> {
  return db.select().from(builds).where(eq(builds.projectId, projectId)).orderBy(desc(builds.id)).limit(limit);
}
