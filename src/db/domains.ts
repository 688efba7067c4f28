// A project's custom domains. The docs server serves one only once verified (db/serving.ts);
// the rules (names, verification, one canonical domain) are in domain/domains.ts.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { domains, type Domain } from './schema.ts';

export type DomainFlags = Partial<Pick<Domain, 'canonical' | 'https' | 'hstsMaxAge' | 'hstsIncludeSubdomains' | 'hstsPreload' | 'verifiedAt'>>;

export async function listDomains(db: Db, projectId: number, limit: number, offset: number): Promise<{ count: number; rows: Domain[] }> {
  const where = eq(domains.projectId, projectId);
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(domains).where(where);
  const rows = await db.select().from(domains).where(where).orderBy(asc(domains.domain)).limit(limit).offset(offset);
  return { count, rows };
}

export async function findDomain(db: Db, projectId: number, domain: string): Promise<Domain | null> {
  const [row] = await db.select().from(domains).where(and(eq(domains.projectId, projectId), eq(domains.domain, domain)));
  return row ?? null;
}

/** The project's canonical domain, if it has one. */
export async function findCanonicalDomain(db: Db, projectId: number): Promise<Domain | null> {
  const [row] = await db.select().from(domains).where(and(eq(domains.projectId, projectId), eq(domains.canonical, true))).orderBy(asc(domains.id)).limit(1);
  return row ?? null;
}

/** Adds a domain; null when any project (this one included) has it. */
export async function addDomain(db: Db, projectId: number, domain: string, verificationToken: string, flags: DomainFlags): Promise<Domain | null> {
  const [row] = await db.insert(domains).values({ projectId, domain, verificationToken, ...flags }).onConflictDoNothing({ target: domains.domain }).returning();
  return row ?? null;
}

/** Changes `canonical`, `https`, the HSTS settings or (an instance admin's) `verifiedAt`; null when the domain is gone. */
export async function updateDomain(db: Db, projectId: number, id: number, flags: DomainFlags): Promise<Domain | null> {
  const [row] = await db.update(domains).set({ ...flags, updatedAt: new Date() }).where(and(eq(domains.projectId, projectId), eq(domains.id, id))).returning();
  return row ?? null;
}

export async function markDomainVerified(db: Db, id: number, at = new Date()): Promise<Domain | null> {
  const [row] = await db.update(domains).set({ verifiedAt: at, updatedAt: at }).where(eq(domains.id, id)).returning();
  return row ?? null;
}

export async function deleteDomain(db: Db, projectId: number, domain: string): Promise<boolean> {
  const rows = await db.delete(domains).where(and(eq(domains.projectId, projectId), eq(domains.domain, domain))).returning({ id: domains.id });
  return rows.length > 0;
}
