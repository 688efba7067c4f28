// Users: created at sign-up (or first start) and found by name. Their API tokens are in
// api-tokens.ts.
import { eq } from 'drizzle-orm';
import type { Db } from './database.ts';
import { users, type User } from './schema.ts';

export async function createUser(db: Db, input: { username: string; email?: string; isAdmin?: boolean }): Promise<User> {
  const [user] = await db.insert(users).values({ username: input.username, email: input.email ?? '', isAdmin: input.isAdmin ?? false }).returning();
  return user!;
}

export async function findUserByUsername(db: Db, username: string): Promise<User | null> {
  const [user] = await db.select().from(users).where(eq(users.username, username));
  return user ?? null;
}
