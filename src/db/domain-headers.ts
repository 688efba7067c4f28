// Extra response headers of a custom domain (Read the Docs' HTTPHeader): the queries only; which
// names and values are allowed is domain/domains.ts's.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './database.ts';
import { domainHeaders, type DomainHeader } from './schema.ts';

export type NewDomainHeader = Pick<DomainHeader, 'domainId' | 'name' | 'value' | 'onlyIfSecureRequest'>;

export async function listDomainHeaders(db: Db, domainId: number): Promise<DomainHeader[]> {
  return db.select().from(domainHeaders).where(eq(domainHeaders.domainId, domainId)).orderBy(asc(domainHeaders.id));
}

export async function addDomainHeader(db: Db, header: NewDomainHeader): Promise<DomainHeader> {
  const [row] = await db.insert(domainHeaders).values(header).returning();
  return row!;
}

/** Deletes one header of the domain; false when it has no such header. */
export async function deleteDomainHeader(db: Db, domainId: number, id: number): Promise<boolean> {
  const rows = await db.delete(domainHeaders).where(and(eq(domainHeaders.domainId, domainId), eq(domainHeaders.id, id))).returning({ id: domainHeaders.id });
  return rows.length > 0;
}
