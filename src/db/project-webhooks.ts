// Outgoing notification hooks of a project and the log of every delivery attempt, so a
// maintainer can see why a receiver did not hear about a build. The queries only; the rules
// (allowed URLs and events) are src/domain/outgoing-webhooks.ts's.
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from './database.ts';
import { newSecret } from './integrations.ts';
import { projectWebhooks, webhookAttempts } from './schema.ts';

export type ProjectWebhook = typeof projectWebhooks.$inferSelect;
export type WebhookAttempt = typeof webhookAttempts.$inferSelect;

export async function createProjectWebhook(db: Db, projectId: number, url: string, events: string[]): Promise<ProjectWebhook> {
  const [row] = await db.insert(projectWebhooks).values({ projectId, url, events, secret: newSecret() }).returning();
  return row!;
}

export async function listProjectWebhooks(db: Db, projectId: number): Promise<ProjectWebhook[]> {
  return db.select().from(projectWebhooks).where(eq(projectWebhooks.projectId, projectId)).orderBy(asc(projectWebhooks.id));
}

export async function findProjectWebhook(db: Db, projectId: number, id: number): Promise<ProjectWebhook | null> {
  const [row] = await db.select().from(projectWebhooks).where(and(eq(projectWebhooks.projectId, projectId), eq(projectWebhooks.id, id)));
  return row ?? null;
}

export async function deleteProjectWebhook(db: Db, projectId: number, id: number): Promise<boolean> {
  const rows = await db.delete(projectWebhooks).where(and(eq(projectWebhooks.projectId, projectId), eq(projectWebhooks.id, id))).returning({ id: projectWebhooks.id });
  return rows.length > 0;
}

export async function recordAttempt(db: Db, attempt: { webhookId: number; event: string; payload: unknown; statusCode: number | null; error: string | null; attempt: number }): Promise<void> {
  await db.insert(webhookAttempts).values(attempt);
}

export async function listAttempts(db: Db, webhookId: number, limit = 50): Promise<WebhookAttempt[]> {
  return db.select().from(webhookAttempts).where(eq(webhookAttempts.webhookId, webhookId)).orderBy(desc(webhookAttempts.id)).limit(limit);
}
