// Who maintains a project: the queries. The rules (never the last one, joining by invitation
// only) are src/domain/maintainers.ts's.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { projectMaintainers, users } from './schema.ts';

export interface Maintainer {
  userId: number;
  username: string;
}

export async function listMaintainers(db: Db, projectId: number, limit: number, offset: number): Promise<{ count: number; rows: Maintainer[] }> {
  const where = eq(projectMaintainers.projectId, projectId);
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(projectMaintainers).where(where);
  const rows = await db
    .select({ userId: users.id, username: users.username })
    .from(projectMaintainers)
    .innerJoin(users, eq(users.id, projectMaintainers.userId))
    .where(where)
    .orderBy(asc(users.username))
    .limit(limit)
    .offset(offset);
  return { count, rows };
}

export async function countMaintainers(db: Db, projectId: number): Promise<number> {
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(projectMaintainers).where(eq(projectMaintainers.projectId, projectId));
  return count;
}

/** Removes a maintainer; false when the user is not one. */
export async function deleteMaintainer(db: Db, projectId: number, userId: number): Promise<boolean> {
  const rows = await db.delete(projectMaintainers).where(and(eq(projectMaintainers.projectId, projectId), eq(projectMaintainers.userId, userId))).returning({ userId: projectMaintainers.userId });
  return rows.length > 0;
}
