// Whether an instance admin maintains a project (who may vouch for an inside repository URL).
// A project's URL and its credentials are written together with its other settings
// (db/projects.ts updateProject), so they never point at two hosts.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { projectMaintainers, users } from './schema.ts';

/** Whether one of the project's maintainers is an instance admin. */
export async function isAdminMaintained(db: Db, projectId: number): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(projectMaintainers)
    .innerJoin(users, eq(users.id, projectMaintainers.userId))
    .where(and(eq(projectMaintainers.projectId, projectId), eq(users.isAdmin, true)))
    .limit(1);
  return row !== undefined;
}
