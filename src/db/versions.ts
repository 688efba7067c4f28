// Versions of a project, kept in step with the repository's branches and tags.
import { and, asc, desc, eq, ilike, inArray, ne, notInArray, sql, type SQL } from 'drizzle-orm';
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

/** Which of a project's branch and tag versions to list; pull request previews are never listed. */
export interface VersionConditions {
  /** Part of the slug, any case. */
  slugContains?: string;
  /** Part of the verbose name, any case. */
  verboseNameContains?: string;
  active?: boolean;
  built?: boolean;
  privacyLevel?: string;
  type?: string;
  /** Public versions only (for readers who do not maintain the project). */
  publicOnly?: boolean;
}

/** `%`, `_` and `\` match themselves in a LIKE pattern. */
const likeLiteral = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A project's branch and tag versions matching `c`, in Read the Docs' order (verbose name, descending). */
export async function findVersions(db: Db, projectId: number, c: VersionConditions = {}): Promise<Version[]> {
  const where: SQL[] = [eq(versions.projectId, projectId), ne(versions.type, 'external')];
  if (c.slugContains !== undefined) where.push(ilike(versions.slug, likeLiteral(c.slugContains)));
  if (c.verboseNameContains !== undefined) where.push(ilike(versions.verboseName, likeLiteral(c.verboseNameContains)));
  if (c.active !== undefined) where.push(eq(versions.active, c.active));
  if (c.built !== undefined) where.push(eq(versions.built, c.built));
  if (c.privacyLevel !== undefined) where.push(eq(versions.privacyLevel, c.privacyLevel));
  if (c.type !== undefined) where.push(eq(versions.type, c.type));
  if (c.publicOnly) where.push(eq(versions.privacyLevel, 'public'));
  return db.select().from(versions).where(and(...where)).orderBy(desc(versions.verboseName), desc(versions.id));
}

export type VersionPatch = Partial<Pick<Version, 'active' | 'hidden' | 'privacyLevel' | 'built'>>;

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
