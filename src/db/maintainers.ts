// Who maintains a project. A project always keeps at least one maintainer: nobody else
// could ever reach it again through the API. Others join by invitation only
// (maintainer-invitations.ts).
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { lockProjects } from './projects.ts';
import { DomainError } from '../core/domain-error.ts';
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

/** Removes a maintainer; false when the user is not one; DomainError when they are the last. */
export async function removeMaintainer(db: Db, projectId: number, userId: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await lockProjects(t, [projectId]);
    const [{ count } = { count: 0 }] = await tx.select({ count: sql<number>`count(*)::int` }).from(projectMaintainers).where(eq(projectMaintainers.projectId, projectId));
    const where = and(eq(projectMaintainers.projectId, projectId), eq(projectMaintainers.userId, userId));
    const [found] = await tx.select({ userId: projectMaintainers.userId }).from(projectMaintainers).where(where);
    if (!found) return false;
    if (count <= 1) throw new DomainError('username', 'a project keeps at least one maintainer: add another before removing this one', 'conflict');
    await tx.delete(projectMaintainers).where(where);
    return true;
  });
}
