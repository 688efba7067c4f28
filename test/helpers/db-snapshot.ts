// snapshotDatabase(): every row an attack could change, in one comparable string, so a
// security test can assert that a refused request changed nothing at all.
import * as schema from '../../src/db/schema.ts';
import type { Db } from '../../src/db/database.ts';

const TABLES = [
  schema.users, schema.apiTokens, schema.projects, schema.projectMaintainers, schema.maintainerInvitations, schema.versions, schema.builds,
  schema.subprojects, schema.redirects, schema.domains, schema.environmentVariables, schema.integrations, schema.automationRules,
  schema.projectWebhooks, schema.webhookDeliveries, schema.notifications, schema.domainHeaders, schema.docsSessions,
];

export async function snapshotDatabase(db: Db): Promise<string> {
  const out: unknown[] = [];
  for (const table of TABLES) {
    const rows = (await db.select().from(table as typeof schema.users)) as Array<Record<string, unknown>>;
    // A token's last use moves whenever it authenticates, refused or not: nothing else may move.
    out.push(rows.map((r) => JSON.stringify({ ...r, lastUsedAt: undefined })).sort());
  }
  const sessions = await db.select({ user: schema.sessions.userId, csrf: schema.sessions.csrfToken }).from(schema.sessions);
  out.push(sessions.map((s) => JSON.stringify(s)).sort());
  return JSON.stringify(out);
}
