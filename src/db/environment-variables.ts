// A project's build environment variables. Values go to builds only (builder-api.ts); every
// read here leaves them out, so no API answer can carry one by mistake.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { DomainError } from '../core/domain-error.ts';
import { environmentVariables } from './schema.ts';

const shown = {
  id: environmentVariables.id,
  projectId: environmentVariables.projectId,
  name: environmentVariables.name,
  public: environmentVariables.public,
  createdAt: environmentVariables.createdAt,
};

export type ShownVariable = { id: number; projectId: number; name: string; public: boolean; createdAt: Date };

export async function listVariables(db: Db, projectId: number, limit: number, offset: number): Promise<{ count: number; rows: ShownVariable[] }> {
  const where = eq(environmentVariables.projectId, projectId);
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(environmentVariables).where(where);
  const rows = await db.select(shown).from(environmentVariables).where(where).orderBy(asc(environmentVariables.name), asc(environmentVariables.id)).limit(limit).offset(offset);
  return { count, rows };
}

export async function findVariable(db: Db, projectId: number, id: number): Promise<ShownVariable | null> {
  const [row] = await db.select(shown).from(environmentVariables).where(and(eq(environmentVariables.projectId, projectId), eq(environmentVariables.id, id)));
  return row ?? null;
}

/** Adds a variable; a name the project already has is a conflict (DomainError on `name`). */
export async function createVariable(db: Db, projectId: number, input: { name: string; value: string; public: boolean }): Promise<ShownVariable> {
  const [row] = await db
    .insert(environmentVariables)
    .values({ projectId, ...input })
    .onConflictDoNothing({ target: [environmentVariables.projectId, environmentVariables.name] })
    .returning(shown);
  if (!row) throw new DomainError('name', `the project already has a variable named ${input.name}`, 'conflict');
  return row;
}

export async function deleteVariable(db: Db, projectId: number, id: number): Promise<boolean> {
  const rows = await db.delete(environmentVariables).where(and(eq(environmentVariables.projectId, projectId), eq(environmentVariables.id, id))).returning({ id: environmentVariables.id });
  return rows.length > 0;
}
