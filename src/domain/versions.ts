// A project's versions, as Read the Docs has them: who may list and read them, the settings a
// maintainer changes (active, hidden, privacy_level) and what follows a change, and a sync of
// the versions with the repository asked for by a maintainer. The API (api/versions.ts) and
// the dashboard's versions page are adapters over these functions.
import { servingChanged } from '../core/changes.ts';
import { DomainError } from '../core/domain-error.ts';
import { originalOf } from '../core/versions.ts';
import { findVersion, findVersions, liveFormats, updateVersion, type VersionPatch } from '../db/versions.ts';
import type { Project, Version } from '../db/schema.ts';
import { userMayReachInside } from './repository-access.ts';
import { maintainedProject, readableProject } from './access.ts';
import type { Actor, DomainContext } from './context.ts';
import type { SyncQueue } from '../queue/sync-queue.ts';

/** Read the Docs' version types (a filter on anything else is refused) and privacy levels. */
export const VERSION_TYPES = ['branch', 'tag', 'external', 'unknown'] as const;
export const PRIVACY_LEVELS = ['public', 'private'] as const;

/** The list filters of Read the Docs' VersionFilter, typed. */
export interface VersionQuery {
  /** Part of the slug, any case (django-filter `icontains`). */
  slug?: string;
  /** Part of the verbose name, any case. */
  verboseName?: string;
  active?: boolean;
  built?: boolean;
  /** Versions Read the Docs' staff uploaded by hand: Bindery has none. */
  uploaded?: boolean;
  privacyLevel?: string;
  type?: string;
}

/**
 * The versions a reader sees beside the ones asked for: what `latest`/`stable` stand for
 * (their `aliases` and `ref`) and the offline formats of each live build (`downloads`).
 */
export interface VersionFamily {
  versions: Version[];
  formats: Map<number, string[]>;
}

export interface VersionListing {
  project: Project;
  versions: Version[];
  family: VersionFamily;
}

const notFound = () => new DomainError('version', 'No Version matches the given query.', 'not_found');

/** Django's message for a value outside a choice filter's choices. */
const badChoice = (field: string, value: string) => new DomainError(field, `Select a valid choice. ${value} is not one of the available choices.`);

/**
 * What a reader may see of a project's branch and tag versions, with their live formats: all
 * of them for its maintainers, the public ones for everyone else. Serializers take it for
 * `aliases`, `ref` and `downloads` (e.g. a project's `active_versions`).
 */
export async function versionFamily(ctx: Pick<DomainContext, 'db'>, project: Project, maintainer: boolean): Promise<VersionFamily> {
  const versions = await findVersions(ctx.db, project.id, { publicOnly: !maintainer });
  return { versions, formats: await liveFormats(ctx.db, versions.map((v) => v.id)) };
}

/**
 * A project's branch and tag versions matching `query`, in Read the Docs' order (verbose
 * name, descending). Pull request previews are never listed; private versions only to maintainers.
 */
export async function projectVersions(ctx: DomainContext, actor: Actor, projectSlug: string, query: VersionQuery = {}): Promise<VersionListing> {
  if (query.type !== undefined && !(VERSION_TYPES as readonly string[]).includes(query.type)) throw badChoice('type', query.type);
  if (query.privacyLevel !== undefined && !(PRIVACY_LEVELS as readonly string[]).includes(query.privacyLevel)) throw badChoice('privacy_level', query.privacyLevel);
  const { project, maintainer } = await readableProject(ctx, actor, projectSlug);
  const all = await versionFamily(ctx, project, maintainer);
  if (query.uploaded === true) return { project, versions: [], family: all };
  const versions = await findVersions(ctx.db, project.id, {
    slugContains: query.slug, verboseNameContains: query.verboseName, active: query.active, built: query.built,
    privacyLevel: query.privacyLevel, type: query.type, publicOnly: !maintainer,
  });
  return { project, versions, family: all };
}

/** One branch or tag version, for a reader who may see it (a private one: maintainers only). */
export async function projectVersion(ctx: DomainContext, actor: Actor, projectSlug: string, versionSlug: string): Promise<{ project: Project; version: Version; family: VersionFamily }> {
  const { project, maintainer } = await readableProject(ctx, actor, projectSlug);
  const version = await findVersion(ctx.db, project.id, versionSlug);
  if (!version || version.type === 'external' || (!maintainer && version.privacyLevel !== 'public')) throw notFound();
  return { project, version, family: await versionFamily(ctx, project, maintainer) };
}

/** The versions `latest` or `stable` stand for, when active: Read the Docs' `aliases` of a version. */
export function aliasesOf(version: Version, relatives: VersionFamily): Version[] {
  const original = originalOf(version, relatives.versions);
  return original?.active ? [original] : [];
}

/** What a maintainer may change of a version (Read the Docs' VersionUpdateSerializer). */
export interface VersionChanges {
  active?: boolean;
  hidden?: boolean;
  privacyLevel?: string;
}

/**
 * Changes a version's settings, with Read the Docs' rules: the project's default version stays
 * active; deactivating a version takes its docs down (it is no longer `built`); activating one
 * builds it. Pull request previews are not changed here (their settings are the project's).
 * `trigger` names who asked, for the build it may queue ('api', 'user').
 */
export async function changeVersion(ctx: DomainContext, actor: Actor, projectSlug: string, versionSlug: string, changes: VersionChanges, trigger: string): Promise<Version> {
  const project = await maintainedProject(ctx, actor, projectSlug);
  const version = await findVersion(ctx.db, project.id, versionSlug);
  if (!version || version.type === 'external') throw notFound();
  if (changes.privacyLevel !== undefined && !(PRIVACY_LEVELS as readonly string[]).includes(changes.privacyLevel)) {
    throw new DomainError('privacy_level', `"${changes.privacyLevel}" is not a valid choice.`);
  }
  if (changes.active === false && version.slug === project.defaultVersion) {
    throw new DomainError('active', `${version.verboseName} is the default version of the project, it should be active.`);
  }
  const patch: VersionPatch = {};
  if (changes.active !== undefined) patch.active = changes.active;
  if (changes.hidden !== undefined) patch.hidden = changes.hidden;
  if (changes.privacyLevel !== undefined) patch.privacyLevel = changes.privacyLevel;
  const deactivated = version.active && changes.active === false;
  const activated = !version.active && changes.active === true;
  // Read the Docs removes a deactivated version's files; Bindery stops serving them (they
  // are kept until a new build replaces them) and, as there, the version is no longer built.
  if (deactivated) patch.built = false;
  if (Object.keys(patch).length === 0) return version;
  const updated = await updateVersion(ctx.db, version.id, patch);
  if (!updated) throw notFound();
  if (activated) await ctx.queue.trigger({ projectId: project.id, versionId: updated.id, commit: null, trigger });
  servingChanged();
  ctx.log?.info({ project: project.slug, version: updated.slug, changes, built: activated }, 'version changed');
  return updated;
}

/**
 * Queues a new read of the project's branches and tags (automation rules included), as Read
 * the Docs' sync-versions does: the answer does not wait for it. The sync is the job webhooks
 * queue (queue/sync-queue.ts, worked by the web tier's nodes), so it survives the node that
 * took the request and is tried again when the repository cannot be read; a repository that
 * cannot be read leaves the versions as they were, and the cause goes to the server log.
 * Like a webhook's sync it builds `latest` and `stable` when it creates them or moves them
 * to another ref (their builds have `trigger`), and what automation rules activate.
 */
export async function requestVersionSync(ctx: DomainContext & { syncs: SyncQueue }, actor: Actor, projectSlug: string, trigger: string): Promise<void> {
  const project = await maintainedProject(ctx, actor, projectSlug);
  // An instance admin may reach inside; the job adds what the project itself may (repository-access.ts).
  const reachInside = actor !== null && userMayReachInside(ctx, actor);
  await ctx.syncs.request({ projectId: project.id, slug: project.slug, defaultBranch: null, built: [], trigger, ...(reachInside ? { reachInside: true } : {}) });
  ctx.log?.info({ project: project.slug }, 'version sync queued');
}
