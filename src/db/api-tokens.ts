// API tokens of a user: created (shown once, stored as a sha256 hash), listed, revoked, and
// looked up for every API request, which is why last use is written at most once a minute.
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { apiTokens, users, type User } from './schema.ts';

export type ApiToken = typeof apiTokens.$inferSelect;

/** Tokens are 256 random bits, so a fast hash is enough to store them. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A token's last use is recorded with this precision: one write a minute per token, not one per request. */
const LAST_USED_PRECISION_MS = 60_000;

/** Creates a token and returns it in clear: the only time it exists outside the user's hands. */
export async function createToken(db: Db, userId: number, name: string, expiresAt: Date | null): Promise<{ row: ApiToken; token: string }> {
  const token = `bdy_${randomBytes(32).toString('base64url')}`;
  const [row] = await db.insert(apiTokens).values({ userId, name, tokenHash: hashToken(token), prefix: token.slice(0, 8), expiresAt }).returning();
  return { row: row!, token };
}

export async function listTokens(db: Db, userId: number, limit: number, offset: number): Promise<{ count: number; rows: ApiToken[] }> {
  const where = eq(apiTokens.userId, userId);
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(apiTokens).where(where);
  const rows = await db.select().from(apiTokens).where(where).orderBy(asc(apiTokens.id)).limit(limit).offset(offset);
  return { count, rows };
}

export async function findToken(db: Db, userId: number, id: number): Promise<ApiToken | null> {
  const [row] = await db.select().from(apiTokens).where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId)));
  return row ?? null;
}

/** Revokes one of the user's tokens; false when the user has no such token. */
export async function revokeToken(db: Db, userId: number, id: number): Promise<boolean> {
  const rows = await db.delete(apiTokens).where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId))).returning({ id: apiTokens.id });
  return rows.length > 0;
}

/** The user and token row a presented token stands for, when it exists and has not expired. */
export async function authenticateToken(db: Db, token: string, now = new Date()): Promise<{ user: User; token: ApiToken } | null> {
  const [row] = await db
    .select({ user: users, token: apiTokens })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now))));
  if (!row) return null;
  const last = row.token.lastUsedAt?.getTime() ?? 0;
  if (now.getTime() - last >= LAST_USED_PRECISION_MS) {
    // The condition repeats in SQL so nodes racing on the same token write once.
    const stale = new Date(now.getTime() - LAST_USED_PRECISION_MS);
    await db
      .update(apiTokens)
      .set({ lastUsedAt: now })
      .where(and(eq(apiTokens.id, row.token.id), or(isNull(apiTokens.lastUsedAt), lte(apiTokens.lastUsedAt, stale))));
    row.token.lastUsedAt = now;
  }
  return row;
}
