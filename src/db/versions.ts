// Versions of a project, kept in step with the repository's branches and tags.
import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { VersionSpec } from '../core/versions.ts';
import type { Db } from './database.ts';
import { builds, versions, type Version } from './schema.ts';

/**
 * Makes the stored versions match the repository: new refs are added (inactive, except
 * the machine versions and the default branch's), moved refs get their new commit and
 * refs that disappeared are deleted unless they have a live build (kept, inactive, so
 * readers' links do not break).
 */
export async function syncVersions(db: Db, projectId: number, specs: VersionSpec[], activate: (spec: VersionSpec) => boolean): Promise<Version[]> {
  return db.transaction(async (tx) => {
    for (const spec of specs) {
      await tx
        .insert(versions)
        .values({
          projectId, slug: spec.slug, verboseName: spec.verboseName, type: spec.type,
          identifier: spec.identifier, commit: spec.commit, machine: spec.machine, active: activate(spec),
        })
        .onConflictDoUpdate({
          target: [versions.projectId, versions.slug],
          set: { identifier: spec.identifier, commit: spec.commit, type: spec.type, verboseName: spec.verboseName, machine: spec.machine, updatedAt: new Date() },
        });
    }
    const keep = specs.map((s) => s.slug);
    const gone = and(eq(versions.projectId, projectId), keep.length ? notInArray(versions.slug, keep) : sql`true`);
    await tx.delete(versions).where(and(gone, sql`${versions.liveBuildId} IS NULL`, sql`${versions.type} <> 'external'`));
    await tx.update(versions).set({ active: false }).where(and(gone, sql`${versions.type} <> 'external'`));
    return tx.select().from(versions).where(eq(versions.projectId, projectId)).orderBy(asc(versions.slug));
  });
}

export async function listVersions(db: Db, projectId: number): Promise<Version[]> {
  return db.select().from(versions).where(eq(versions.projectId, projectId)).orderBy(asc(versions.slug));
}

export async function findVersion(db: Db, projectId: number, slug: string): Promise<Version | null> {
  const [version] = await db.select().from(versions).where(and(eq(versions.projectId, projectId), eq(versions.slug, slug)));
  return version ?? null;
}

export type VersionPatch = Partial<Pick<Version, 'active' | 'hidden' | 'privacyLevel'>>;

export async function updateVersion(db: Db, id: number, patch: VersionPatch): Promise<Version | null> {
  const [row] = await db.update(versions).set({ ...patch, updatedAt: new Date() }).where(eq(versions.id, id)).returning();
  return row ?? null;
}

export async function deleteVersion(db: Db, id: number): Promise<void> {
  await db.delete(versions).where(eq(versions.id, id));
}

/** The offline formats (htmlzip, pdf, epub) of each version's live build: what readers can download. */
export async function liveFormats(db: Db, versionIds: number[]): Promise<Map<number, string[]>> {
  if (versionIds.length === 0) return new Map();
  const rows = await db
    .select({ id: versions.id, formats: builds.formats })
    .from(versions)
    .innerJoin(builds, eq(builds.id, versions.liveBuildId))
    .where(inArray(versions.id, versionIds));
  return new Map(rows.map((r) => [r.id, r.formats ?? []]));
}
