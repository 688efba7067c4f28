// The build queue: pg-boss jobs (on PGlite or PostgreSQL) that carry build rows. The
// web tier owns it; builders reach it only through the builder API. A claimed build
// holds a lease that its builder renews by heartbeat (pg-boss `heartbeatSeconds` +
// `touch`); a builder that dies lets the lease lapse and pg-boss hands the job to the
// next builder, up to MAX_ATTEMPTS. Each attempt has its own token, so a builder that
// was presumed dead cannot report into the attempt that replaced it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { RUNNING_STATES, isRunning, type BuildOutcome } from '../core/build-state.ts';
import { endingNotification } from '../domain/notifications.ts';
import { PgBoss, fromDrizzle, fromPglite, type DrizzleTransactionLike } from 'pg-boss';
import type { Database, Db } from '../db/database.ts';
import { builds, buildLogLines, buildSteps, type Build } from '../db/schema.ts';
import { endWaitingBuilds, finishBuild, moveBuild, requestCancel } from '../db/builds.ts';
import type { Logger } from '../log.ts';
import { servingChanged } from '../core/changes.ts';
import { collectOldBuilds } from '../db/deploys.ts';
import { notifyBuildEnded } from '../domain/notify.ts';
import type { Storage } from '../storage/storage.ts';

export const QUEUE = 'builds';
export const MAX_ATTEMPTS = 3;

export interface BuildQueueOptions {
  database: Database;
  log: Logger;
  /** A builder that has not sent a heartbeat for this long is presumed dead (pg-boss minimum: 10). */
  heartbeatSeconds?: number;
  /** Builds of one project running at once. */
  perProject?: number;
  /** Longest a build may run before the queue gives up on it. */
  buildTimeoutSeconds?: number;
  /** When given, old builds' files are collected after each deploy (the newest few are kept). */
  storage?: Storage;
  /** For links in outgoing build notifications. */
  publicUrl?: string;
  /** Outgoing notifications may go to private addresses (single-host installs, tests). */
  allowPrivateWebhookUrls?: boolean;
  /** Send outgoing notifications when builds end (default true; tests of the notifier itself turn it off). */
  notify?: boolean;
}

export interface TriggerInput {
  projectId: number;
  versionId: number;
  commit: string | null;
  trigger: string;
}

export interface Claim {
  build: Build;
  token: string;
  /** First log sequence number and step position free for this attempt (earlier attempts keep theirs). */
  seqBase: number;
  stepBase: number;
}

/** How a build ended (core/build-state.ts). */
export type Outcome = BuildOutcome;

const CANCELLED: Outcome = { success: false, cancelled: true, errorCode: 'cancelled', error: 'The build was cancelled.' };

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

function sameHash(a: string | null, token: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(hash(token), 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export class BuildQueue {
  readonly boss: PgBoss;
  readonly heartbeatSeconds: number;
  readonly #db: Db;
  readonly #opts: BuildQueueOptions;
  readonly #listeners = new Set<() => void>();
  #sweeper: NodeJS.Timeout | null = null;

  constructor(opts: BuildQueueOptions) {
    this.#opts = opts;
    this.#db = opts.database.db;
    this.heartbeatSeconds = Math.max(10, opts.heartbeatSeconds ?? 30);
    const common = { superviseIntervalSeconds: 2, monitorIntervalSeconds: 2, maintenanceIntervalSeconds: 60, persistWarnings: false };
    this.boss = opts.database.pglite
      ? new PgBoss({ ...common, db: fromPglite(opts.database.pglite) })
      : new PgBoss({ ...common, connectionString: opts.database.url!, max: 4 });
    // pg-boss reports connection trouble as events; without a listener they would crash the process.
    this.boss.on('error', (err) => opts.log.warn({ err }, 'job queue error'));
  }

  async start(): Promise<void> {
    await this.boss.start();
    await this.boss.createQueue(QUEUE, {
      heartbeatSeconds: this.heartbeatSeconds,
      retryLimit: MAX_ATTEMPTS - 1,
      expireInSeconds: (this.#opts.buildTimeoutSeconds ?? 900) + 300,
      deleteAfterSeconds: 7 * 86400,
    });
    this.#sweeper = setInterval(() => void this.sweep().catch((err) => this.#opts.log.warn({ err }, 'build sweep failed')), 5000);
    this.#sweeper.unref();
  }

  async stop(): Promise<void> {
    if (this.#sweeper) clearInterval(this.#sweeper);
    await this.boss.stop({ graceful: false, timeout: 2000 });
  }

  /** Called whenever a build is queued by this process (the in-process builder listens). */
  onQueued(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Queues a build of a version: the build row and its job commit in one transaction.
   * Builds of that version still waiting are superseded; running ones are asked to stop
   * (Read the Docs cancels old builds of a version when a new one starts).
   */
  async trigger(input: TriggerInput): Promise<Build> {
    const superseded: Build[] = [];
    const build = await this.#db.transaction(async (tx) => {
      const supersede: Outcome = { success: false, cancelled: true, errorCode: 'superseded', error: 'A newer build of this version was triggered.' };
      superseded.push(...(await endWaitingBuilds(tx, input.versionId, supersede, endingNotification(supersede))));
      await requestCancel(tx, { versionId: input.versionId });
      const [row] = await tx.insert(builds).values({ ...input, state: 'triggered' }).returning();
      const jobId = await this.boss.send(QUEUE, { buildId: row!.id }, { group: { id: `project-${input.projectId}` }, db: fromDrizzle(tx as unknown as DrizzleTransactionLike, sql) });
      const [withJob] = await tx.update(builds).set({ jobId }).where(eq(builds.id, row!.id)).returning();
      return withJob!;
    });
    for (const old of superseded) if (old.jobId) await this.boss.cancel(QUEUE, old.jobId).catch(() => {});
    for (const listener of this.#listeners) listener();
    return build;
  }

  /** Hands the next build to a builder, with a fresh token for this attempt; null when there is none. */
  async claim(builder: string): Promise<Claim | null> {
    for (;;) {
      const [job] = await this.boss.fetch<{ buildId: number }>(QUEUE, { includeMetadata: true, groupConcurrency: this.#opts.perProject ?? 2 });
      if (!job) return null;
      const token = `bld_${randomBytes(24).toString('base64url')}`;
      const attempt = job.retryCount + 1;
      const build = await moveBuild(this.#db, job.data.buildId, 'cloning', {
        attempt, builder, tokenHash: hash(token), jobId: job.id,
        startedAt: new Date(), leaseExpiresAt: new Date(Date.now() + this.heartbeatSeconds * 1000),
      });
      if (!build) {
        // Cancelled or superseded while waiting: nothing to do for this job.
        await this.boss.complete(QUEUE, { id: job.id, retryCount: job.retryCount }).catch(() => {});
        continue;
      }
      if (build.cancelRequested) {
        await this.#end(build, CANCELLED);
        continue;
      }
      const [bases] = await this.#db
        .select({
          seq: sql<number>`coalesce((select max(${buildLogLines.seq}) + 1 from ${buildLogLines} where ${buildLogLines.buildId} = ${build.id}), 0)::int`,
          step: sql<number>`coalesce((select max(${buildSteps.position}) + 1 from ${buildSteps} where ${buildSteps.buildId} = ${build.id}), 0)::int`,
        })
        .from(sql`(select 1) as one`);
      return { build, token, seqBase: bases?.seq ?? 0, stepBase: bases?.step ?? 0 };
    }
  }

  /** The build a token may report for, or null when the token is not the current attempt's. */
  async authorize(buildId: number, token: string): Promise<Build | null> {
    const [build] = await this.#db.select().from(builds).where(eq(builds.id, buildId));
    if (!build || !isRunning(build.state) || !sameHash(build.tokenHash, token)) return null;
    return build;
  }

  /** Renews the lease of a running build; tells the builder whether to stop. */
  async heartbeat(build: Build): Promise<{ cancel: boolean }> {
    if (build.jobId) await this.boss.touch(QUEUE, { id: build.jobId, retryCount: build.attempt - 1 });
    await this.#db.update(builds).set({ leaseExpiresAt: new Date(Date.now() + this.heartbeatSeconds * 1000) }).where(eq(builds.id, build.id));
    return { cancel: build.cancelRequested };
  }

  /** Ends a build (deploying it on success) and settles its job: a failed build is not retried. */
  async finish(build: Build, outcome: Outcome): Promise<void> {
    await this.#end(build, outcome);
  }

  /**
   * The one way a build ends: the outcome's final state, deploy on success, a notification
   * on anything else, its job settled, the project's hooks told. A build that had already
   * ended (a cancel raced its finish) keeps its first ending.
   */
  async #end(build: Build, outcome: Outcome, settleJob = true): Promise<void> {
    const ended = await finishBuild(this.#db, build.id, outcome, endingNotification(outcome));
    if (ended && outcome.success) {
      servingChanged();
      if (this.#opts.storage) {
        // Not awaited: a reader never needs old builds, and a failure here costs only disk.
        void collectOldBuilds(this.#db, this.#opts.storage, build.versionId).catch((err) => this.#opts.log.warn({ err, build: build.id }, 'could not collect old builds'));
      }
    }
    if (settleJob && build.jobId) await this.boss.complete(QUEUE, { id: build.jobId, retryCount: build.attempt - 1 }).catch(() => {});
    if (ended) this.#notify(build.id);
  }

  /** Tells the project's outgoing webhooks; never throws, never waits. */
  #notify(buildId: number): void {
    if (this.#opts.notify === false) return;
    void notifyBuildEnded(this.#db, buildId, { publicUrl: this.#opts.publicUrl, allowPrivateAddresses: this.#opts.allowPrivateWebhookUrls, log: this.#opts.log });
  }

  /** Cancels a build: a queued one at once, a running one at its builder's next heartbeat. */
  async cancel(build: Build): Promise<Build> {
    if (build.state === 'triggered') {
      await this.#end(build, CANCELLED, false);
      if (build.jobId) await this.boss.cancel(QUEUE, build.jobId).catch(() => {});
    } else if (isRunning(build.state)) {
      await requestCancel(this.#db, { buildId: build.id });
    }
    const [row] = await this.#db.select().from(builds).where(eq(builds.id, build.id));
    return row!;
  }

  /**
   * No build stays running forever: a build whose lease lapsed goes back to waiting while
   * its job will be retried, and fails with a reason once the job has no tries left.
   * A cancel that its builder never picked up (the builder died) is finished here.
   */
  async sweep(): Promise<void> {
    const graceMs = 5000;
    const lapsed = await this.#db
      .select()
      .from(builds)
      
      .where(and(inArray(builds.state, [...RUNNING_STATES, 'triggered']), lt(builds.leaseExpiresAt, new Date(Date.now() - graceMs))));
    for (const build of lapsed) {
      const job = build.jobId ? await this.boss.findJobs<{ buildId: number }>(QUEUE, { id: build.jobId }).then((j) => j[0] ?? null) : null;
      const state = job?.state ?? 'missing';
      if (build.cancelRequested) {
        await this.#end(build, CANCELLED);
      } else if (state === 'failed' || state === 'completed' || state === 'cancelled' || state === 'missing') {
        // The job has no tries left (or is gone): the build finishes unsuccessfully, with the reason.
        await this.#end(build, {
          success: false,
          errorCode: 'builder-lost',
          error: `The builder running this build stopped responding ${build.attempt} time(s); the build was given up after ${MAX_ATTEMPTS} tries.`,
        }, false);
      } else if (build.state !== 'triggered' && (state === 'retry' || state === 'created')) {
        await moveBuild(this.#db, build.id, 'triggered', { builder: null, tokenHash: null }, { attempt: build.attempt });
        for (const listener of this.#listeners) listener();
      }
    }
  }
}
