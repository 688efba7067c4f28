// First start of a single-process install: an admin account with an API token, and the
// repository Bindery runs from imported as the project `bindery`, so its own docs are the demo.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { users } from '../db/schema.ts';
import { createUser } from '../db/users.ts';
import { createToken } from '../db/api-tokens.ts';
import { findProjectBySlug } from '../db/projects.ts';
import { importProject } from '../domain/import-project.ts';
import type { Logger } from '../log.ts';
import type { BuildQueue } from '../queue/build-queue.ts';

export interface BootstrapResult {
  token: string | null;
  imported: boolean;
}

/** Runs only when the database has no user yet. */
export async function bootstrap(db: Db, queue: BuildQueue, opts: { dataDir: string; sourceDir: string; log: Logger }): Promise<BootstrapResult> {
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(users);
  if (count > 0) return { token: null, imported: false };
  const admin = await createUser(db, { username: 'admin', isAdmin: true });
  const { token } = await createToken(db, admin.id, 'created at first start', null);
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const tokenFile = path.join(opts.dataDir, 'admin-token');
  fs.writeFileSync(tokenFile, token + '\n', { mode: 0o600 });
  fs.chmodSync(tokenFile, 0o600);
  process.stdout.write(
    `\n  Created the admin account and its API token (shown once; also in ${tokenFile}):\n\n    ${token}\n\n` +
      `  Use it as:  curl -H 'Authorization: Token ${token.slice(0, 8)}…' <public url>/api/v3/projects/\n\n`,
  );
  let imported = false;
  const isRepo = fs.existsSync(path.join(opts.sourceDir, '.git')) && fs.existsSync(path.join(opts.sourceDir, 'docs'));
  if (isRepo && !(await findProjectBySlug(db, 'bindery'))) {
    try {
      // A local repository, allowed because the admin imports it: instance admins may.
      const ctx = { db, queue, allowLocalRepositories: false, allowPrivateWebhookUrls: false, log: opts.log };
      await importProject(ctx, admin, { name: 'Bindery', slug: 'bindery', repositoryUrl: `file://${opts.sourceDir}` }, 'startup');
      imported = true;
    } catch (err) {
      opts.log.warn({ err }, 'could not import the Bindery repository as a demo project');
    }
  }
  return { token, imported };
}
