// Pull/merge request previews: `external` versions named by the request's number, as on
// Read the Docs. They follow the request's head commit, not a branch of the repository,
// so version syncing leaves them alone.
import { and, eq } from 'drizzle-orm';
import type { Db } from './database.ts';
import { versions, type Version } from './schema.ts';

export type ExternalUpsert =
  | { ok: true; version: Version; /** false when the version was already active at this commit (e.g. a title edit) */ changed: boolean }
  | { ok: false; reason: string };

/** Creates or moves the preview of request `number` to `commit` and activates it. */
export async function upsertExternalVersion(db: Db, projectId: number, number: number, commit: string): Promise<ExternalUpsert> {
  const slug = String(number);
  return db.transaction(async (tx) => {
    const [old] = await tx.select().from(versions).where(and(eq(versions.projectId, projectId), eq(versions.slug, slug))).for('update');
    if (old && old.type !== 'external') return { ok: false, reason: `the version slug "${slug}" belongs to a ${old.type}` };
    if (old) {
      const [version] = await tx
        .update(versions)
        .set({ identifier: commit, commit, active: true, updatedAt: new Date() })
        .where(eq(versions.id, old.id))
        .returning();
      return { ok: true, version: version!, changed: !old.active || old.identifier !== commit };
    }
    const [version] = await tx
      .insert(versions)
      .values({ projectId, slug, verboseName: slug, type: 'external', identifier: commit, commit, machine: false, active: true })
      .onConflictDoNothing({ target: [versions.projectId, versions.slug] })
      .returning();
    // A concurrent delivery of the same request created it first: that one builds it.
    if (!version) return { ok: false, reason: `the version "${slug}" is being created by another delivery` };
    return { ok: true, version, changed: true };
  });
}

/** Deactivates the preview of a closed or merged request (its files are kept, like any deactivated version's). */
export async function deactivateExternalVersion(db: Db, projectId: number, number: number): Promise<Version | null> {
  const [version] = await db
    .update(versions)
    .set({ active: false, updatedAt: new Date() })
    .where(and(eq(versions.projectId, projectId), eq(versions.slug, String(number)), eq(versions.type, 'external')))
    .returning();
  return version ?? null;
}
