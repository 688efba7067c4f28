// Outgoing notifications: when a build ends, every hook of its project that wants the
// event gets signed JSON (`X-Bindery-Signature: sha256=<HMAC of the body>`), with a few
// retries. Runs detached from the caller; every attempt is recorded in webhook_attempts.
import { createHmac, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { listProjectWebhooks, recordAttempt, type ProjectWebhook } from '../db/project-webhooks.ts';
import { builds, projects, versions } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import { isAdminMaintained } from '../db/project-repository.ts';
import { postJson, type PostResult } from './hook-post.ts';

export interface NotifyOptions {
  /** Base of the build URL in the payload (the web tier's public URL). */
  publicUrl?: string;
  /** Allow every project's hooks on loopback and private addresses (ALLOW_LOCAL_REPOSITORIES); projects an instance admin maintains always may. */
  allowPrivateAddresses?: boolean;
  /** Waits before the second and third tries. */
  retryDelaysMs?: number[];
  timeoutMs?: number;
  log?: Logger;
}

const TRIES = 3;

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A receiver that answered 4xx (other than 408/429) rejected the message: sending it again changes nothing. */
const retryable = (r: PostResult) => (r.statusCode === null ? !r.refused : r.statusCode >= 500 || r.statusCode === 408 || r.statusCode === 429);

/**
 * Tells the project's hooks that a build ended (passed or failed; cancelled builds are not
 * announced). Call it without awaiting: it never throws, and its promise settles once every
 * hook has been delivered to or has used up its tries.
 */
export async function notifyBuildEnded(db: Db, buildId: number, opts: NotifyOptions = {}): Promise<void> {
  try {
    const [row] = await db
      .select({ build: builds, version: versions, project: projects })
      .from(builds)
      .innerJoin(versions, eq(versions.id, builds.versionId))
      .innerJoin(projects, eq(projects.id, builds.projectId))
      .where(eq(builds.id, buildId));
    // Cancelled builds are not announced; a finished one passed or failed by its `success`.
    if (!row || row.build.state !== 'finished') return;
    const event = row.build.success ? 'build:passed' : 'build:failed';
    const hooks = (await listProjectWebhooks(db, row.project.id)).filter((h) => h.events.includes(event));
    if (hooks.length === 0) return;
    const payload = {
      event,
      project: row.project.slug,
      version: row.version.slug,
      build: {
        id: row.build.id,
        commit: row.build.commit,
        success: row.build.success === true,
        error: row.build.error ?? '',
        url: `${opts.publicUrl ?? ''}/projects/${row.project.slug}/builds/${row.build.id}/`,
      },
    };
    // A private destination was accepted only from an instance admin (or with ALLOW_LOCAL_REPOSITORIES): delivered on the same terms.
    const allowPrivateAddresses = (opts.allowPrivateAddresses ?? false) || (await isAdminMaintained(db, row.project.id));
    await Promise.all(hooks.map((hook) => deliver(db, hook, event, payload, { ...opts, allowPrivateAddresses }).catch((err) => opts.log?.warn({ err, hook: hook.id }, 'build notification failed'))));
  } catch (err) {
    opts.log?.warn({ err, buildId }, 'build notification failed');
  }
}

async function deliver(db: Db, hook: ProjectWebhook, event: string, payload: object, opts: NotifyOptions): Promise<void> {
  const body = JSON.stringify(payload);
  // The same id on every try, so a receiver can tell a retry from a new event.
  const headers = { 'x-bindery-event': event, 'x-bindery-delivery': randomUUID(), 'x-bindery-signature': signBody(hook.secret, body) };
  const delays = opts.retryDelaysMs ?? [2_000, 10_000];
  for (let attempt = 1; attempt <= TRIES; attempt++) {
    const result = await postJson(hook.url, body, headers, { allowPrivate: opts.allowPrivateAddresses ?? false, timeoutMs: opts.timeoutMs ?? 10_000 });
    await recordAttempt(db, { webhookId: hook.id, event, payload, statusCode: result.statusCode, error: result.error, attempt });
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    if (ok || !retryable(result) || attempt === TRIES) {
      if (!ok) opts.log?.warn({ hook: hook.id, statusCode: result.statusCode, error: result.error, attempt }, 'build notification not delivered');
      return;
    }
    await new Promise((r) => setTimeout(r, delays[attempt - 1] ?? delays.at(-1) ?? 1000));
  }
}
