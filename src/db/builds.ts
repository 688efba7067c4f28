// Builds: the queue of pending ones, their steps and log, and the deploy that makes one live.
import { and, asc, desc, eq, gt, inArray, isNotNull, notInArray, sql } from 'drizzle-orm';
import { TERMINAL_STATES, endingOf, movableFrom, type BuildOutcome, type BuildState } from '../core/build-state.ts';
import type { Db } from './database.ts';
import { buildLogLines, builds, buildSteps, notifications, versions, type Build, type BuildLogLine, type BuildStep } from './schema.ts';

export async function getBuild(db: Db, id: number): Promise<Build | null> {
  const [build] = await db.select().from(builds).where(eq(builds.id, id));
  return build ?? null;
}

/**
 * Moves a build to a live state, only from a state the build-state rules allow (the check
 * and the write are one UPDATE, so two writers cannot race past it). Null when the build
 * was not in such a state (e.g. it ended meanwhile). Ending a build is `finishBuild`.
 */
export async function moveBuild(
  db: Db,
  id: number,
  to: Exclude<BuildState, 'finished' | 'cancelled'>,
  fields: Partial<Pick<Build, 'commit' | 'config' | 'attempt' | 'builder' | 'tokenHash' | 'jobId' | 'startedAt' | 'leaseExpiresAt'>> = {},
  only: { attempt?: number } = {},
): Promise<Build | null> {
  const [row] = await db
    .update(builds)
    .set({ state: to, ...fields })
    .where(and(eq(builds.id, id), inArray(builds.state, movableFrom(to)), only.attempt === undefined ? undefined : eq(builds.attempt, only.attempt)))
    .returning();
  return row ?? null;
}

/** Kept for tests that put a build in a running state by hand: the same rules as moveBuild. */
export async function setBuildState(db: Db, id: number, state: Exclude<BuildState, 'finished' | 'cancelled'>, fields: Partial<Pick<Build, 'commit' | 'config'>> = {}): Promise<void> {
  await moveBuild(db, id, state, fields);
}

export async function startStep(db: Db, buildId: number, position: number, name: string, command: string): Promise<void> {
  await db.insert(buildSteps).values({ buildId, position, name, command });
}

export async function finishStep(db: Db, buildId: number, position: number, exitCode: number): Promise<void> {
  await db.update(buildSteps).set({ exitCode, finishedAt: new Date() }).where(and(eq(buildSteps.buildId, buildId), eq(buildSteps.position, position)));
}

export interface LogLineInput {
  seq: number;
  step: number | null;
  stream: 'stdout' | 'stderr' | 'info';
  line: string;
}

/** Appends log lines; a line delivered twice (same seq) is stored once. */
export async function appendLog(db: Db, buildId: number, lines: LogLineInput[]): Promise<void> {
  if (lines.length === 0) return;
  await db
    .insert(buildLogLines)
    .values(lines.map((l) => ({ buildId, ...l })))
    .onConflictDoNothing({ target: [buildLogLines.buildId, buildLogLines.seq] });
}

/** A notification to attach to a build as it ends (Read the Docs' message id and its values). */
export interface EndingNotification {
  messageId: string;
  formatValues: Record<string, string | number>;
}

/**
 * Ends a live build with its outcome (core/build-state.ts decides the final state). On
 * success, in the same transaction, the version starts serving it; a notification, when
 * given, is attached in that transaction too. Null when the build had already ended.
 */
export async function finishBuild(db: Db, id: number, outcome: BuildOutcome, notification?: EndingNotification): Promise<Build | null> {
  return db.transaction(async (tx) => {
    const finishedAt = new Date();
    const ending = endingOf(outcome);
    const [build] = await tx
      .update(builds)
      .set({ ...ending, finishedAt, leaseExpiresAt: null, ...(outcome.success ? { formats: outcome.formats ?? [] } : {}) })
      .where(and(eq(builds.id, id), inArray(builds.state, movableFrom(ending.state))))
      .returning();
    if (!build) return null;
    if (outcome.success) {
      // Only move the pointer forward: an older build that finishes late never replaces a newer live one.
      await tx
        .update(versions)
        .set({ liveBuildId: id, built: true, updatedAt: finishedAt })
        .where(and(eq(versions.id, build.versionId), sql`(${versions.liveBuildId} IS NULL OR ${versions.liveBuildId} < ${id})`));
    }
    if (notification) {
      await tx.insert(notifications).values({ messageId: notification.messageId, buildId: id, formatValues: notification.formatValues });
    }
    return build;
  });
}

/** Ends every build of a version still waiting for a builder (a newer one supersedes them); returns them. */
export async function endWaitingBuilds(db: Db, versionId: number, outcome: BuildOutcome & { success: false }, notification?: EndingNotification): Promise<Build[]> {
  const ending = endingOf(outcome);
  const ended = await db
    .update(builds)
    .set({ ...ending, finishedAt: new Date(), leaseExpiresAt: null })
    .where(and(eq(builds.versionId, versionId), eq(builds.state, 'triggered'), inArray(builds.state, movableFrom(ending.state))))
    .returning();
  if (notification && ended.length) await db.insert(notifications).values(ended.map((b) => ({ messageId: notification.messageId, buildId: b.id, formatValues: notification.formatValues })));
  return ended;
}

/** Asks the builder of a running build to stop at its next heartbeat. */
export async function requestCancel(db: Db, where: { buildId: number } | { versionId: number }): Promise<void> {
  const target = 'buildId' in where ? eq(builds.id, where.buildId) : eq(builds.versionId, where.versionId);
  await db.update(builds).set({ cancelRequested: true }).where(and(target, notInArray(builds.state, [...TERMINAL_STATES, 'triggered'])));
}

export async function listBuildSteps(db: Db, buildId: number): Promise<BuildStep[]> {
  return db.select().from(buildSteps).where(eq(buildSteps.buildId, buildId)).orderBy(asc(buildSteps.position));
}

/** The steps and step output of several builds at once (a page of builds shows each one's commands). */
export async function stepsOfBuilds(db: Db, buildIds: number[]): Promise<{ steps: BuildStep[]; log: BuildLogLine[] }> {
  if (buildIds.length === 0) return { steps: [], log: [] };
  const [steps, log] = await Promise.all([
    db.select().from(buildSteps).where(inArray(buildSteps.buildId, buildIds)).orderBy(asc(buildSteps.buildId), asc(buildSteps.position)),
    db.select().from(buildLogLines).where(and(inArray(buildLogLines.buildId, buildIds), isNotNull(buildLogLines.step))).orderBy(asc(buildLogLines.buildId), asc(buildLogLines.seq)),
  ]);
  return { steps, log };
}

export async function buildLog(db: Db, buildId: number, afterSeq = -1, limit = 10_000): Promise<BuildLogLine[]> {
  return db
    .select()
    .from(buildLogLines)
    .where(and(eq(buildLogLines.buildId, buildId), gt(buildLogLines.seq, afterSeq)))
    .orderBy(asc(buildLogLines.seq))
    .limit(limit);
}

export interface BuildFilter {
  projectId: number;
  versionId?: number;
  /** Only builds of these versions (what a reader who does not maintain the project may see). */
  versionIds?: number[];
  /** true: builds not finished yet (Read the Docs' `running`); false: finished ones. */
  running?: boolean;
  commit?: string;
}

export async function listBuilds(db: Db, filter: BuildFilter, limit: number, offset: number): Promise<{ count: number; rows: Build[] }> {
  const where = and(
    eq(builds.projectId, filter.projectId),
    filter.versionId === undefined ? undefined : eq(builds.versionId, filter.versionId),
    filter.versionIds === undefined ? undefined : filter.versionIds.length ? inArray(builds.versionId, filter.versionIds) : sql`false`,
    filter.running === undefined ? undefined : filter.running ? notInArray(builds.state, [...TERMINAL_STATES]) : inArray(builds.state, [...TERMINAL_STATES]),
    filter.commit === undefined ? undefined : eq(builds.commit, filter.commit),
  );
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(builds).where(where);
  const rows = await db.select().from(builds).where(where).orderBy(desc(builds.id)).limit(limit).offset(offset);
  return { count, rows };
}
