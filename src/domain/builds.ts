// Builds as a domain: trigger one for a version, cancel one, list and read them, with Read
// the Docs' rules of who may do which (builds of public versions are readable by anyone;
// triggering and cancelling are for maintainers). The state rules themselves are in
// core/build-state.ts and the queue applies them; the API and the dashboard call this module.
import { eq, inArray } from 'drizzle-orm';
import { DomainError } from '../core/domain-error.ts';
import { isTerminal } from '../core/build-state.ts';
import { buildLog, getBuild, listBuilds as queryBuilds, listBuildSteps } from '../db/builds.ts';
import { findVersion } from '../db/versions.ts';
import { RollbackRefusedError, rollbackVersion } from '../db/deploys.ts';
import { servingChanged } from '../core/changes.ts';
import { versions, type Build, type BuildLogLine, type BuildStep, type Project, type Version } from '../db/schema.ts';
import { maintainedProject, readableProject } from './access.ts';
import type { Actor, DomainContext } from './context.ts';

const buildNotFound = () => new DomainError('build', 'Not found.', 'not_found');

/**
 * Whether a reader who does not maintain the project may see this version's builds (Read the
 * Docs' `public()` builds): a pull-request version follows the project's preview privacy.
 * The dashboard's build badge asks the same question.
 */
export function versionVisible(project: Project, version: Pick<Version, 'type' | 'privacyLevel'>): boolean {
  const privacy = version.type === 'external' ? project.externalBuildsPrivacyLevel : version.privacyLevel;
  return privacy === 'public';
}

export interface Triggered {
  build: Build;
  project: Project;
  version: Version;
}

/**
 * Queues a build of a version, for a maintainer. A pull-request version is rebuilt at the
 * commit its last build had, as Read the Docs does (the provider's status is tied to it).
 */
export async function triggerBuild(ctx: DomainContext, actor: Actor, projectSlug: string, versionSlug: string, trigger = 'api'): Promise<Triggered> {
  const project = await maintainedProject(ctx, actor, projectSlug);
  const version = await findVersion(ctx.db, project.id, versionSlug);
  if (!version) throw new DomainError('version', 'Not found.', 'not_found');
  let commit: string | null = null;
  if (version.type === 'external') {
    const [last] = await queryBuilds(ctx.db, { projectId: project.id, versionId: version.id }, 1, 0).then((r) => r.rows);
    commit = last?.commit ?? null;
  }
  const build = await ctx.queue.trigger({ projectId: project.id, versionId: version.id, commit, trigger });
  ctx.log?.info({ project: project.slug, version: version.slug, build: build.id }, 'build triggered');
  return { build, project, version };
}

/** One build of a project the actor may read, with its version. */
export async function readBuild(ctx: DomainContext, actor: Actor, projectSlug: string, buildId: number): Promise<{ project: Project; build: Build; version: Version | null; maintainer: boolean }> {
  const { project, maintainer } = await readableProject(ctx, actor, projectSlug);
  const build = await getBuild(ctx.db, buildId);
  if (!build || build.projectId !== project.id) throw buildNotFound();
  const [version] = await ctx.db.select().from(versions).where(eq(versions.id, build.versionId));
  if (!maintainer && (!version || !versionVisible(project, version))) throw buildNotFound();
  return { project, build, version: version ?? null, maintainer };
}

/** A build's steps and log (what Read the Docs calls its commands and their output). */
export async function buildCommands(ctx: DomainContext, build: Build): Promise<{ steps: BuildStep[]; log: BuildLogLine[] }> {
  const [steps, log] = await Promise.all([listBuildSteps(ctx.db, build.id), buildLog(ctx.db, build.id)]);
  return { steps, log };
}

/**
 * Cancels a build, for a maintainer: a waiting one at once, a running one at its builder's
 * next heartbeat. A build that has already ended cannot be cancelled (conflict).
 */
export async function cancelBuild(ctx: DomainContext, actor: Actor, projectSlug: string, buildId: number): Promise<{ project: Project; build: Build; version: Version | null }> {
  const project = await maintainedProject(ctx, actor, projectSlug);
  const build = await getBuild(ctx.db, buildId);
  if (!build || build.projectId !== project.id) throw buildNotFound();
  if (isTerminal(build.state)) throw new DomainError('build', `The build is already ${build.state}.`, 'conflict');
  const updated = await ctx.queue.cancel(build);
  const [version] = await ctx.db.select().from(versions).where(eq(versions.id, build.versionId));
  return { project, build: updated, version: version ?? null };
}

export interface BuildListFilter {
  /** Only this version's builds (Read the Docs' …/versions/<slug>/builds/). */
  versionSlug?: string;
  /** Read the Docs' `running`: true → not in a final state; false → in one. */
  running?: boolean;
  /** Read the Docs' `commit`: exactly this commit. */
  commit?: string;
}

/** A project's (or one version's) builds, newest first, as the actor may see them; each with its version. */
export async function listProjectBuilds(ctx: DomainContext, actor: Actor, projectSlug: string, filter: BuildListFilter, limit: number, offset: number) {
  const { project, maintainer } = await readableProject(ctx, actor, projectSlug);
  let versionId: number | undefined;
  if (filter.versionSlug !== undefined) {
    const version = await findVersion(ctx.db, project.id, filter.versionSlug);
    if (!version || (!maintainer && !versionVisible(project, version))) throw new DomainError('version', 'Not found.', 'not_found');
    versionId = version.id;
  }
  // A reader who does not maintain the project sees only the builds of versions it may see.
  const visibleVersionIds = maintainer ? undefined : (await ctx.db.select().from(versions).where(eq(versions.projectId, project.id))).filter((v) => versionVisible(project, v)).map((v) => v.id);
  const { count, rows } = await queryBuilds(ctx.db, { projectId: project.id, versionId, versionIds: visibleVersionIds, running: filter.running, commit: filter.commit }, limit, offset);
  const ids = [...new Set(rows.map((b) => b.versionId))];
  const byId = new Map(ids.length ? (await ctx.db.select().from(versions).where(inArray(versions.id, ids))).map((v) => [v.id, v] as const) : []);
  return { project, count, rows: rows.map((build) => ({ build, version: byId.get(build.versionId) ?? null })) };
}

/**
 * Points a version back at one of its recent successful builds, for a maintainer (Bindery's
 * own: Read the Docs has no rollback). A build that cannot be rolled back to is refused on `build`.
 */
export async function rollBack(ctx: DomainContext, actor: Actor, projectSlug: string, versionSlug: string, buildId: number): Promise<{ project: Project; version: Version }> {
  const project = await maintainedProject(ctx, actor, projectSlug);
  const version = await findVersion(ctx.db, project.id, versionSlug);
  if (!version) throw new DomainError('version', 'Not found.', 'not_found');
  try {
    const updated = await rollbackVersion(ctx.db, version.id, buildId);
    // A docs server in this process reads the new pointer at once; others within their cache TTL.
    servingChanged();
    return { project, version: updated };
  } catch (err) {
    if (err instanceof RollbackRefusedError) throw new DomainError('build', err.message);
    throw err;
  }
}
