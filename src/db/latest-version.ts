// The machine-managed `latest` version follows the repository's default branch. A provider
// that reports its default branch in a webhook moves `latest` at once (as Read the Docs
// does), before the queued version sync catches up with everything else.
import { and, eq, ne } from 'drizzle-orm';
import { LATEST } from '../core/versions.ts';
import type { Db } from './database.ts';
import { versions, type Version } from './schema.ts';

/** Points the machine `latest` at `branch`; returns it when it moved, null otherwise. */
export async function followDefaultBranch(db: Db, projectId: number, branch: string): Promise<Version | null> {
  const [row] = await db
    .update(versions)
    .set({ identifier: branch, updatedAt: new Date() })
    .where(and(eq(versions.projectId, projectId), eq(versions.slug, LATEST), eq(versions.machine, true), ne(versions.identifier, branch)))
    .returning();
  return row ?? null;
}
