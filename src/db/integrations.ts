// Incoming webhook integrations of a project. Deliveries are not remembered: like Read the
// Docs, every delivery is handled (the webhook_deliveries table is no longer written).
import { randomBytes } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './database.ts';
import { integrations, type Integration } from './schema.ts';

export const PROVIDERS = ['github', 'gitlab', 'bitbucket', 'generic'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** 256 random bits: providers sign with it, so it must not be guessable. */
export function newSecret(): string {
  return randomBytes(32).toString('hex');
}

export async function createIntegration(db: Db, projectId: number, provider: Provider): Promise<Integration> {
  const [row] = await db.insert(integrations).values({ projectId, provider, secret: newSecret() }).returning();
  return row!;
}

export async function listIntegrations(db: Db, projectId: number, provider?: Provider): Promise<Integration[]> {
  const where = provider ? and(eq(integrations.projectId, projectId), eq(integrations.provider, provider)) : eq(integrations.projectId, projectId);
  return db.select().from(integrations).where(where).orderBy(asc(integrations.id));
}

export async function findIntegration(db: Db, projectId: number, id: number): Promise<Integration | null> {
  const [row] = await db.select().from(integrations).where(and(eq(integrations.projectId, projectId), eq(integrations.id, id)));
  return row ?? null;
}

export async function deleteIntegration(db: Db, projectId: number, id: number): Promise<boolean> {
  const rows = await db.delete(integrations).where(and(eq(integrations.projectId, projectId), eq(integrations.id, id))).returning({ id: integrations.id });
  return rows.length > 0;
}
