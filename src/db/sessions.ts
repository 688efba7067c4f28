// Dashboard sessions: the cookie holds a random id; the database holds its hash, the user,
// a CSRF token and the expiry. Stateless web nodes share them through the database.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from './database.ts';
import { sessions, users, type User } from './schema.ts';

const hash = (id: string) => createHash('sha256').update(id).digest('hex');

export interface Session {
  user: User;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(db: Db, userId: number, lifetimeMs: number): Promise<{ id: string; csrfToken: string; expiresAt: Date }> {
  const id = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + lifetimeMs);
  await db.insert(sessions).values({ idHash: hash(id), userId, csrfToken, expiresAt });
  // Sweep a few expired sessions on the way: no scheduler needed.
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
  return { id, csrfToken, expiresAt };
}

export async function loadSession(db: Db, id: string): Promise<Session | null> {
  const [row] = await db
    .select({ user: users, csrfToken: sessions.csrfToken, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, hash(id)), gt(sessions.expiresAt, new Date())));
  return row ?? null;
}

export async function destroySession(db: Db, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, hash(id)));
}

/** Ends every session of a user (after a password change), except the one given. */
export async function destroyUserSessions(db: Db, userId: number, keepId?: string): Promise<void> {
  const all = await db.select({ idHash: sessions.idHash }).from(sessions).where(eq(sessions.userId, userId));
  for (const s of all) if (!keepId || s.idHash !== hash(keepId)) await db.delete(sessions).where(eq(sessions.idHash, s.idHash));
}
