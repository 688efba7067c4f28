// A project's user redirects (the docs server reads them through db/serving.ts), kept in
// order: creating or moving one at a position shifts the others.
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { placeRow } from './positions.ts';
import { lockProjects } from './projects.ts';
import { redirects, type Redirect } from './schema.ts';

export type RedirectFields = Pick<Redirect, 'type' | 'fromUrl' | 'toUrl' | 'httpStatus' | 'force' | 'enabled' | 'description'>;

export async function listRedirects(db: Db, projectId: number, limit: number, offset: number): Promise<{ count: number; rows: Redirect[] }> {
  const where = eq(redirects.projectId, projectId);
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(redirects).where(where);
  const rows = await db.select().from(redirects).where(where).orderBy(asc(redirects.position), asc(redirects.id)).limit(limit).offset(offset);
  return { count, rows };
}

export async function findRedirect(db: Db, projectId: number, id: number): Promise<Redirect | null> {
  const [row] = await db.select().from(redirects).where(and(eq(redirects.projectId, projectId), eq(redirects.id, id)));
  return row ?? null;
}

/** Adds a redirect at `position` (0, the first tried, by default as on Read the Docs). */
export async function createRedirect(db: Db, projectId: number, fields: RedirectFields, position = 0): Promise<Redirect> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await lockProjects(t, [projectId]);
    const [row] = await tx.insert(redirects).values({ projectId, ...fields, position }).returning();
    await placeRow(t, redirects, projectId, row!.id, position);
    return (await findRedirect(t, projectId, row!.id))!;
  });
}

/** Changes a redirect; a new position moves it there. Null when it no longer exists. */
export async function updateRedirect(db: Db, projectId: number, id: number, fields: Partial<RedirectFields>, position?: number): Promise<Redirect | null> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await lockProjects(t, [projectId]);
    const [row] = await tx.update(redirects).set({ ...fields, updatedAt: new Date() }).where(and(eq(redirects.projectId, projectId), eq(redirects.id, id))).returning();
    if (!row) return null;
    if (position !== undefined) await placeRow(t, redirects, projectId, id, position);
    return findRedirect(t, projectId, id);
  });
}

/** How many redirects of `type` the project has, `exceptId` left out. */
export async function countRedirectsOfType(db: Db, projectId: number, type: string, exceptId: number | null): Promise<number> {
  const where = and(eq(redirects.projectId, projectId), eq(redirects.type, type), exceptId === null ? undefined : ne(redirects.id, exceptId));
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(redirects).where(where);
  return count;
}

export async function deleteRedirect(db: Db, projectId: number, id: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await lockProjects(t, [projectId]);
    const rows = await tx.delete(redirects).where(and(eq(redirects.projectId, projectId), eq(redirects.id, id))).returning({ id: redirects.id });
    if (rows.length) await placeRow(t, redirects, projectId, null, null);
    return rows.length > 0;
  });
}
