// A project's build environment variables. Values go to builds only (builder-api.ts); every
// read here leaves them out, so no API answer can carry one by mistake.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { environmentVariables } from './schema.ts';

const shown = {
  id: environmentVariables.id,
  projectId: environmentVariables.projectId,
  name: environmentVariables.name,
  public: environmentVariables.public,
  createdAt: environmentVariables.createdAt,
  updatedAt: environmentVariables.updatedAt,
};

export type ShownVariable = { id: number; projectId: number; name: string; public: boolean; createdAt: Date; updatedAt: Date };

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

export async function findVariableByName(db: Db, projectId: number, name: string): Promise<ShownVariable | null> {
  const [row] = await db.select(shown).from(environmentVariables).where(and(eq(environmentVariables.projectId, projectId), eq(environmentVariables.name, name)));
  return row ?? null;
}

/** The characters of all the project's values together. */
export async function totalValueLength(db: Db, projectId: number): Promise<number> {
  const [{ total } = { total: 0 }] = await db
    .select({ total: sql<number>`coalesce(sum(char_length(${environmentVariables.value})), 0)::int` })
    .from(environmentVariables)
    .where(eq(environmentVariables.projectId, projectId));
  return total;
}

/** Adds a variable; null when the project already has one of that name. */
export async function createVariable(db: Db, projectId: number, input: { name: string; value: string; public: boolean }): Promise<ShownVariable | null> {
  const [row] = await db
    .insert(environmentVariables)
    .values({ projectId, ...input })
    .onConflictDoNothing({ target: [environmentVariables.projectId, environmentVariables.name] })
    .returning(shown);
  return row ?? null;
}

export async function deleteVariable(db: Db, projectId: number, id: number): Promise<boolean> {
  const rows = await db.delete(environmentVariables).where(and(eq(environmentVariables.projectId, projectId), eq(environmentVariables.id, id))).returning({ id: environmentVariables.id });
  return rows.length > 0;
}
