// A project's automation rules, in the order they run (`position`, Read the Docs' priority):
// new rules go last, as on Read the Docs; moving one shifts the others.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { placeRow } from './positions.ts';
import { lockProjects } from './projects.ts';
import { automationRules, type AutomationRule } from './schema.ts';

export type RuleFields = Pick<AutomationRule, 'description' | 'predefinedMatch' | 'matchArg' | 'versionType' | 'action'>;

export async function listRules(db: Db, projectId: number, limit = 1000, offset = 0): Promise<{ count: number; rows: AutomationRule[] }> {
  const where = eq(automationRules.projectId, projectId);
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(automationRules).where(where);
  const rows = await db.select().from(automationRules).where(where).orderBy(asc(automationRules.position), asc(automationRules.id)).limit(limit).offset(offset);
  return { count, rows };
}

export async function findRule(db: Db, projectId: number, id: number): Promise<AutomationRule | null> {
  const [row] = await db.select().from(automationRules).where(and(eq(automationRules.projectId, projectId), eq(automationRules.id, id)));
  return row ?? null;
}

export async function createRule(db: Db, projectId: number, fields: RuleFields, position?: number): Promise<AutomationRule> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await lockProjects(t, [projectId]);
    const [row] = await tx.insert(automationRules).values({ projectId, ...fields, position: 2147483647 }).returning();
    await placeRow(t, automationRules, projectId, row!.id, position ?? Number.MAX_SAFE_INTEGER);
    return (await findRule(t, projectId, row!.id))!;
  });
}

export async function updateRule(db: Db, projectId: number, id: number, fields: Partial<RuleFields>, position?: number): Promise<AutomationRule | null> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await lockProjects(t, [projectId]);
    const [row] = await tx.update(automationRules).set({ ...fields, updatedAt: new Date() }).where(and(eq(automationRules.projectId, projectId), eq(automationRules.id, id))).returning();
    if (!row) return null;
    if (position !== undefined) await placeRow(t, automationRules, projectId, id, position);
    return findRule(t, projectId, id);
  });
}

export async function deleteRule(db: Db, projectId: number, id: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await lockProjects(t, [projectId]);
    const rows = await tx.delete(automationRules).where(and(eq(automationRules.projectId, projectId), eq(automationRules.id, id))).returning({ id: automationRules.id });
    if (rows.length) await placeRow(t, automationRules, projectId, null, null);
    return rows.length > 0;
  });
}
