// Ordered lists of a project (redirects, automation rules): positions are kept contiguous,
// 0..n-1, and moving or inserting one row shifts the others, as Read the Docs reorders them.
// Callers hold the project's row lock (lockProjects), so two writers never interleave.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './database.ts';
import { automationRules, redirects } from './schema.ts';

type Ordered = typeof redirects | typeof automationRules;

/**
 * Gives the rows of a project positions 0..n-1 in their current order, with row `id` moved to
 * `target` (clamped to the list). `id` null only compacts (after a delete).
 */
export async function placeRow(db: Db, table: Ordered, projectId: number, id: number | null, target: number | null): Promise<void> {
  const rows: Array<{ id: number; position: number }> = await db
    .select({ id: table.id, position: table.position })
    .from(table)
    .where(eq(table.projectId, projectId))
    .orderBy(asc(table.position), asc(table.id));
  const order = rows.map((r) => r.id);
  if (id !== null && target !== null) {
    const from = order.indexOf(id);
    if (from >= 0) order.splice(from, 1);
    order.splice(Math.max(0, Math.min(target, order.length)), 0, id);
  }
  const was = new Map(rows.map((r) => [r.id, r.position]));
  for (const [position, rowId] of order.entries()) {
    if (was.get(rowId) !== position) await db.update(table).set({ position }).where(and(eq(table.id, rowId), eq(table.projectId, projectId)));
  }
}
