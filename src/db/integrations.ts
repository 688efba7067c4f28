// Incoming webhook integrations of a project and the deliveries they have seen. The
// delivery ledger is what makes a replayed delivery a no-op: its unique key decides.
import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from './database.ts';
import { integrations, webhookDeliveries, type Integration } from './schema.ts';

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

/**
 * Records the keys of a delivery. Returns false when any of them was seen before for this
 * integration (a replay); the insert's unique index decides, so two copies racing each
 * other cannot both pass.
 */
export async function recordDelivery(db: Db, integrationId: number, keys: string[], event: string): Promise<boolean> {
  if (keys.length === 0) return true;
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(webhookDeliveries)
      .values(keys.map((deliveryId) => ({ integrationId, deliveryId, event })))
      .onConflictDoNothing({ target: [webhookDeliveries.integrationId, webhookDeliveries.deliveryId] })
      .returning({ id: webhookDeliveries.id });
    if (inserted.length === keys.length) return true;
    // Keep nothing of a replay: a partially new key set would otherwise block a later, genuine retry.
    if (inserted.length) await tx.delete(webhookDeliveries).where(inArray(webhookDeliveries.id, inserted.map((r) => r.id)));
    return false;
  });
}

/** Forgets a delivery that could not be processed, so the provider's redelivery is not taken for a replay. */
export async function forgetDelivery(db: Db, integrationId: number, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.delete(webhookDeliveries).where(and(eq(webhookDeliveries.integrationId, integrationId), inArray(webhookDeliveries.deliveryId, keys)));
}
