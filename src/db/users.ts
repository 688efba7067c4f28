// Users and their API tokens. Tokens are shown once and stored as a sha256 hash.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, or } from 'drizzle-orm';
import type { Db } from './database.ts';
import { apiTokens, users, type User } from './schema.ts';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createUser(db: Db, input: { username: string; email?: string; isAdmin?: boolean }): Promise<User> {
  const [user] = await db.insert(users).values({ username: input.username, email: input.email ?? '', isAdmin: input.isAdmin ?? false }).returning();
  return user!;
}

export async function findUserByUsername(db: Db, username: string): Promise<User | null> {
  const [user] = await db.select().from(users).where(eq(users.username, username));
  return user ?? null;
}

/** Creates a token for a user and returns it in clear: the only time it exists outside the user's hands. */
export async function createApiToken(db: Db, userId: number, name: string, expiresAt: Date | null = null): Promise<string> {
  const token = `bdy_${randomBytes(32).toString('base64url')}`;
  await db.insert(apiTokens).values({ userId, name, tokenHash: hashToken(token), prefix: token.slice(0, 8), expiresAt });
  return token;
}

/** The user a token belongs to, when it exists and has not expired. */
export async function userForToken(db: Db, token: string): Promise<User | null> {
  const [row] = await db
    .select({ user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, new Date()))));
  return row?.user ?? null;
}
