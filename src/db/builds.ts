// Builds: the queue of pending ones, their steps and log, and the deploy that makes one live.
import { and, asc, desc, eq, gt, inArray, notInArray, sql } from 'drizzle-orm';
import { TERMINAL_STATES, type BuildState } from '../core/build-state.ts';
import type { Db } from './database.ts';
import { buildLogLines, builds, buildSteps, versions, type Build, type BuildLogLine, type BuildStep } from './schema.ts';

export async function getBuild(db: Db, id: number): Promise<Build | null> {
  const [build] = await db.select().from(builds).where(eq(builds.id, id));
  return build ?? null;
}

export async function setBuildState(db: Db, id: number, state: BuildState, fields: Partial<Pick<Build, 'commit' | 'config'>> = {}): Promise<void> {
  await db.update(builds).set({ state, ...fields }).where(eq(builds.id, id));
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

/** Ends a build. On success, in the same transaction, the version starts serving it. */
export async function finishBuild(
  db: Db,
  id: number,
  outcome: { success: true; formats?: string[] } | { success: false; state?: 'failed' | 'cancelled'; errorCode: string; error: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const finishedAt = new Date();
    if (outcome.success) {
      const [build] = await tx
        .update(builds)
        .set({ state: 'finished', success: true, finishedAt, formats: outcome.formats ?? [], leaseExpiresAt: null })
        .where(eq(builds.id, id))
        .returning();
      if (!build) return;
      // Only move the pointer forward: an older build that finishes late never replaces a newer live one.
      await tx
        .update(versions)
        .set({ liveBuildId: id, built: true, updatedAt: finishedAt })
        .where(and(eq(versions.id, build.versionId), sql`(${versions.liveBuildId} IS NULL OR ${versions.liveBuildId} < ${id})`));
    } else {
      await tx
        .update(builds)
        .set({ state: outcome.state ?? 'failed', success: false, errorCode: outcome.errorCode, error: outcome.error, finishedAt, leaseExpiresAt: null })
        .where(eq(builds.id, id));
    }
  });
}

export async function listBuildSteps(db: Db, buildId: number): Promise<BuildStep[]> {
  return db.select().from(buildSteps).where(eq(buildSteps.buildId, buildId)).orderBy(asc(buildSteps.position));
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
  /** true: builds not finished yet (Read the Docs' `running`); false: finished ones. */
  running?: boolean;
  commit?: string;
}

export async function listBuilds(db: Db, filter: BuildFilter, limit: number, offset: number): Promise<{ count: number; rows: Build[] }> {
  const where = and(
    eq(builds.projectId, filter.projectId),
    filter.versionId === undefined ? undefined : eq(builds.versionId, filter.versionId),
    filter.running === undefined ? undefined : filter.running ? notInArray(builds.state, [...TERMINAL_STATES]) : inArray(builds.state, [...TERMINAL_STATES]),
    filter.commit === undefined ? undefined : eq(builds.commit, filter.commit),
  );
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(builds).where(where);
  const rows = await db.select().from(builds).where(where).orderBy(desc(builds.id)).limit(limit).offset(offset);
  return { count, rows };
}
