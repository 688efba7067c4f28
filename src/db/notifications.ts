// Notifications (Read the Docs' messages attached to a build, a project or a user): the
// queries only; which message a build gets and who may read it is src/domain/notifications.ts.
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from './database.ts';
import { notifications, type Notification } from './schema.ts';

/** What a notification is attached to (one of build, project or user). */
export type Attachment = { buildId: number } | { projectId: number } | { userId: number };

function attachedTo(to: Attachment): SQL | undefined {
  if ('buildId' in to) return eq(notifications.buildId, to.buildId);
  // A project's own notifications: a build's are listed on the build.
  if ('projectId' in to) return and(eq(notifications.projectId, to.projectId), isNull(notifications.buildId));
  return eq(notifications.userId, to.userId);
}

export async function listNotifications(db: Db, to: Attachment, states: string[] | undefined, limit: number, offset: number): Promise<{ count: number; rows: Notification[] }> {
  const where = and(attachedTo(to), states === undefined ? undefined : inArray(notifications.state, states.length ? states : ['']));
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(notifications).where(where);
  const rows = await db.select().from(notifications).where(where).orderBy(desc(notifications.id)).limit(limit).offset(offset);
  return { count, rows };
}

export async function getNotification(db: Db, to: Attachment, id: number): Promise<Notification | null> {
  const [row] = await db.select().from(notifications).where(and(attachedTo(to), eq(notifications.id, id)));
  return row ?? null;
}

export async function setNotificationState(db: Db, id: number, state: string): Promise<Notification | null> {
  const [row] = await db.update(notifications).set({ state, updatedAt: new Date() }).where(eq(notifications.id, id)).returning();
  return row ?? null;
}
