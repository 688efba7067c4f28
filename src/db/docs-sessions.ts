// Docs-host sessions for signed-in reading of private docs: the queries only (the rules are
// domain/docs-login.ts's and docs/reader-session.ts's). A `handoff` is a one-time token the
// dashboard hands over in a redirect; the docs host trades it for a `session` of its own host.
// Both are random ids stored hashed, like dashboard sessions, and bound to one docs host.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from './database.ts';
import { docsSessions, users, type User } from './schema.ts';

export type DocsSessionKind = 'handoff' | 'session';

const hash = (id: string) => createHash('sha256').update(id).digest('hex');

/** Creates a handoff or session for `host` (lower case, no port); returns the id, which only the reader ever holds. */
export async function createDocsSession(db: Db, kind: DocsSessionKind, userId: number, host: string, lifetimeMs: number): Promise<{ id: string; expiresAt: Date }> {
  const id = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + lifetimeMs);
  await db.insert(docsSessions).values({ idHash: hash(id), kind, userId, host, expiresAt });
  // Sweep expired rows on the way: no scheduler needed.
  await db.delete(docsSessions).where(lt(docsSessions.expiresAt, new Date()));
  return { id, expiresAt };
}

/**
 * Takes a handoff (deleting it, so it works once whatever happens next) and answers its user
 * when it was for this host and has not expired; null otherwise.
 */
export async function takeHandoff(db: Db, id: string, host: string): Promise<User | null> {
  const [row] = await db.delete(docsSessions).where(and(eq(docsSessions.idHash, hash(id)), eq(docsSessions.kind, 'handoff'))).returning();
  if (!row || row.host !== host || row.expiresAt.getTime() <= Date.now()) return null;
  const [user] = await db.select().from(users).where(eq(users.id, row.userId));
  return user ?? null;
}

/** The user of a live session of this host; null for an unknown, expired or other host's session. */
export async function sessionUser(db: Db, id: string, host: string): Promise<User | null> {
  const [row] = await db
    .select({ user: users })
    .from(docsSessions)
    .innerJoin(users, eq(users.id, docsSessions.userId))
    .where(and(eq(docsSessions.idHash, hash(id)), eq(docsSessions.kind, 'session'), eq(docsSessions.host, host), gt(docsSessions.expiresAt, new Date())));
  return row?.user ?? null;
}
