// A project's custom domains. The docs server serves one only once verified (db/serving.ts);
// verification itself (HTTP file or DNS TXT) is in projects/domain-verification.ts.
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { DomainError } from '../core/domain-error.ts';
import { domains, type Domain } from './schema.ts';

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

/** Adds a domain; one taken by any project (this one included) is a conflict. One canonical domain per project. */
export async function addDomain(db: Db, projectId: number, domain: string, verificationToken: string, canonical: boolean): Promise<Domain> {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(domains).values({ projectId, domain, verificationToken, canonical }).onConflictDoNothing({ target: domains.domain }).returning();
    if (!row) throw new DomainError('domain', `${domain} is already in use`, 'conflict');
    if (canonical) await tx.update(domains).set({ canonical: false }).where(and(eq(domains.projectId, projectId), ne(domains.id, row.id)));
    return row;
  });
}

export async function markDomainVerified(db: Db, id: number, at = new Date()): Promise<Domain | null> {
  const [row] = await db.update(domains).set({ verifiedAt: at }).where(eq(domains.id, id)).returning();
  return row ?? null;
}

export async function deleteDomain(db: Db, projectId: number, domain: string): Promise<boolean> {
  const rows = await db.delete(domains).where(and(eq(domains.projectId, projectId), eq(domains.domain, domain))).returning({ id: domains.id });
  return rows.length > 0;
}
