// From a docs request to the storage prefix of the build that answers it.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { projects, versions, type Project, type Version } from '../db/schema.ts';

export async function projectBySlug(db: Db, slug: string): Promise<Project | null> {
  const [project] = await db.select().from(projects).where(eq(projects.slug, slug));
  return project ?? null;
}

/** The version readers may get at this slug: active, built, with a live build, public. */
export async function servableVersion(db: Db, projectId: number, slug: string): Promise<Version | null> {
  const [version] = await db.select().from(versions).where(and(eq(versions.projectId, projectId), eq(versions.slug, slug)));
  if (!version || !version.active || version.liveBuildId === null || version.privacyLevel !== 'public') return null;
  return version;
}
