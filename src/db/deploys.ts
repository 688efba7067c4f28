// What happens to builds after they finish: rolling a version back to an earlier build
// (flipping the live pointer, like a deploy), and collecting the files of old builds.
import { and, desc, eq } from 'drizzle-orm';
import { artifactPrefix, isTerminal } from '../core/build-state.ts';
import type { Storage } from '../storage/storage.ts';
import type { Db } from './database.ts';
import { builds, projects, versions, type Version } from './schema.ts';

/**
 * Successful builds kept per version. Rollback is limited to these, so it never points a
 * version at a build whose files collectOldBuilds() may have deleted.
 */
export const KEEP_BUILDS = 3;

export class RollbackRefusedError extends Error {}

/**
 * Points a version at one of its own recent successful builds (in one statement, so readers
 * switch atomically). Refuses a build of another version, one that did not succeed, or one
 * older than the KEEP_BUILDS most recent successful builds. Returns the updated version.
 */
export async function rollbackVersion(db: Db, versionId: number, buildId: number): Promise<Version> {
  return db.transaction(async (tx) => {
    const [version] = await tx.select().from(versions).where(eq(versions.id, versionId)).for('update');
    if (!version) throw new RollbackRefusedError(`version ${versionId} does not exist`);
    const [build] = await tx.select().from(builds).where(eq(builds.id, buildId));
    if (!build || build.versionId !== versionId) throw new RollbackRefusedError(`build ${buildId} is not a build of this version`);
    if (build.state !== 'finished' || build.success !== true) throw new RollbackRefusedError(`build ${buildId} did not finish successfully`);
    const recent = await tx
      .select({ id: builds.id })
      .from(builds)
      .where(and(eq(builds.versionId, versionId), eq(builds.state, 'finished'), eq(builds.success, true)))
      .orderBy(desc(builds.id))
      .limit(KEEP_BUILDS);
    if (!recent.some((b) => b.id === buildId) && version.liveBuildId !== buildId) {
      throw new RollbackRefusedError(`build ${buildId} is older than the ${KEEP_BUILDS} most recent successful builds; its files may be gone`);
    }
    const [updated] = await tx
      .update(versions)
      .set({ liveBuildId: buildId, built: true, updatedAt: new Date() })
      .where(eq(versions.id, versionId))
      .returning();
    return updated!;
  });
}

/**
 * Deletes the stored files of a version's finished builds except the `keep` most recent
 * successful ones and the live one; builds still running are never touched. Returns the ids
 * of the builds whose files were deleted.
 */
export async function collectOldBuilds(db: Db, storage: Storage, versionId: number, keep = KEEP_BUILDS): Promise<number[]> {
  const [row] = await db
    .select({ slug: versions.slug, project: projects.slug })
    .from(versions)
    .innerJoin(projects, eq(projects.id, versions.projectId))
    .where(eq(versions.id, versionId));
  if (!row) return [];
  const all = await db.select({ id: builds.id, state: builds.state, success: builds.success }).from(builds).where(eq(builds.versionId, versionId)).orderBy(desc(builds.id));
  const kept = new Set(all.filter((b) => b.state === 'finished' && b.success === true).slice(0, Math.max(0, keep)).map((b) => b.id));
  // Read the pointer last, right before deleting: a rollback or deploy since the list above wins.
  const [live] = await db.select({ id: versions.liveBuildId }).from(versions).where(eq(versions.id, versionId));
  if (live?.id != null) kept.add(live.id);
  const doomed = all.filter((b) => !kept.has(b.id) && isTerminal(b.state)).map((b) => b.id);
  for (const id of doomed) {
    // The build's prefix holds every format: `<project>/<version>/<build>/{html,htmlzip,…}`.
    await storage.deletePrefix(artifactPrefix(row.project, row.slug, id).replace(/\/html$/, ''));
  }
  return doomed;
}
