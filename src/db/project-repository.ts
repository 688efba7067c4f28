// A project's repository as git reaches it: the URL (never with credentials) and the
// credentials kept apart as a secret, written together so they never point at two hosts;
// and whether an instance admin maintains the project (who may vouch for an inside URL).
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { projectMaintainers, projects, users } from './schema.ts';

/** Replaces a project's repository URL and its credentials in one write. */
export async function setProjectRepository(db: Db, projectId: number, repoUrl: string, repoCredentials: string | null): Promise<void> {
  await db.update(projects).set({ repoUrl, repoCredentials, updatedAt: new Date() }).where(eq(projects.id, projectId));
}

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
