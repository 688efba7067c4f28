// What a verified webhook does, whichever provider sent it, answered in Read the Docs'
// shapes. Nothing slow happens here: a push builds the active versions that follow the
// pushed ref (rows and jobs only) and queues a version sync; a branch or tag created or
// deleted only queues the sync. The sync job (syncAfterWebhook) runs `git ls-remote` later
// and builds the machine versions that moved (stable after a release tag, latest after a
// default-branch change) and what automation rules activate. A pull/merge request builds
// or closes its `external` preview version, only on a project that turned previews on,
// since a preview builds code anyone may propose.
import { previewOrigin, previewUrl } from '../core/previews.ts';
import { LATEST } from '../core/versions.ts';
import type { Db } from '../db/database.ts';
import { deactivateExternalVersion, upsertExternalVersion } from '../db/external-versions.ts';
import { followDefaultBranch } from '../db/latest-version.ts';
import { findProjectBySlug } from '../db/projects.ts';
import type { Project, Version } from '../db/schema.ts';
import { listVersions } from '../db/versions.ts';
import type { BuildQueue } from '../queue/build-queue.ts';
import type { SyncJob, SyncQueue } from '../queue/sync-queue.ts';
import type { PushedRef, WebhookEvent } from '../core/webhook-events.ts';
import { syncProjectVersions } from './sync-versions.ts';
import { projectMayReachInside } from './repository-access.ts';
import type { HostResolver } from './host-resolution.ts';
import type { Logger } from '../log.ts';

export interface WebhookDeps {
  db: Db;
  queue: BuildQueue;
  syncs: SyncQueue;
  allowLocalRepositories: boolean;
  resolveHost?: HostResolver;
  log?: Logger;
  /** For the preview URLs of pull request answers. */
  publicUrl: string;
  previewDomain: string;
}

/** Read the Docs' answers: a detail alone (ping, unhandled), a build answer, or a closed pull request. */
export type WebhookAnswer =
  | { detail: string }
  | {
      build_triggered: boolean;
      project: string;
      /** Slugs of the versions built (a sync-only answer: the version the sync is done for). */
      versions: string[];
      /** Present on sync-only answers. */
      versions_synced?: boolean;
      /** Bindery's own: where the pull request's preview is served (core/previews.ts). */
      preview_url?: string;
      /** Bindery's own: why a pull request was not built. */
      detail?: string;
    }
  | { closed: boolean; project: string; versions: string[] };

export const UNHANDLED: WebhookAnswer = { detail: 'Unhandled webhook event' };

export async function applyWebhookEvent(deps: WebhookDeps, project: Project, event: WebhookEvent): Promise<WebhookAnswer> {
  switch (event.kind) {
    case 'ping':
      return { detail: 'Webhook configured correctly' };
    case 'ignored':
      return UNHANDLED;
    case 'push':
      return push(deps, project, event.refs, event.defaultBranch);
    case 'pull-request':
      // Read the Docs leaves pull request events unhandled on projects without previews.
      if (!project.externalBuildsEnabled) return UNHANDLED;
      return event.action === 'open' ? openPreview(deps, project, event.number, event.commit) : closePreview(deps, project, event.number);
  }
}

async function push(deps: WebhookDeps, project: Project, refs: PushedRef[], reportedDefault: string | null): Promise<WebhookAnswer> {
  // A default branch the provider reports moves `latest` only when the project has not
  // chosen one, so `latest` follows a renamed default branch at once.
  if (reportedDefault && !project.defaultBranch) await followDefaultBranch(deps.db, project.id, reportedDefault);
  const known = await listVersions(deps.db, project.id);
  const job: SyncJob = { projectId: project.id, slug: project.slug, defaultBranch: project.defaultBranch ? null : reportedDefault, built: [] };
  if (refs.length === 0) {
    await deps.syncs.request(job);
    const latest = known.find((v) => v.slug === LATEST);
    return { build_triggered: false, project: project.slug, versions: latest ? [latest.slug] : [], versions_synced: true };
  }
  const defaultBranch = project.defaultBranch ?? known.find((v) => v.machine && v.slug === LATEST)?.identifier ?? reportedDefault;
  const targets = new Map<number, { version: Version; commit: string | null }>();
  for (const ref of refs) {
    const name = ref.name ?? defaultBranch;
    for (const v of known) {
      if (!v.active || v.type === 'external' || v.identifier !== name || (ref.type !== null && v.type !== ref.type)) continue;
      targets.set(v.id, { version: v, commit: ref.commit });
    }
  }
  const built: string[] = [];
  for (const { version, commit } of targets.values()) {
    await deps.queue.trigger({ projectId: project.id, versionId: version.id, commit, trigger: 'webhook' });
    built.push(version.slug);
    job.built.push(version.id);
  }
  await deps.syncs.request(job);
  return { build_triggered: built.length > 0, project: project.slug, versions: built.sort() };
}

/**
 * The queued half of a push or a sync-only event, and the sync a maintainer asks for
 * (domain/versions.ts requestVersionSync): re-reads the repository's branches and
 * tags, lets automation rules act on what appeared, and builds the machine versions that
 * now follow another ref (unless the webhook built them already). Throws when the
 * repository cannot be read, so the queue tries again later.
 */
export async function syncAfterWebhook(deps: Omit<WebhookDeps, 'syncs'>, job: SyncJob): Promise<void> {
  const project = await findProjectBySlug(deps.db, job.slug);
  if (!project || project.id !== job.projectId) return;
  const before = new Map((await listVersions(deps.db, project.id)).map((v) => [v.id, v]));
  const access = { mayReachInside: job.reachInside === true || (await projectMayReachInside(deps.db, deps, project.id)), resolveHost: deps.resolveHost, log: deps.log };
  const synced = project.defaultBranch || !job.defaultBranch ? project : { ...project, defaultBranch: job.defaultBranch };
  const after = await syncProjectVersions(deps.db, synced, access, deps.queue);
  const done = new Set(job.built);
  for (const v of after) {
    const old = before.get(v.id);
    if (!v.machine || !v.active || done.has(v.id) || (old && old.identifier === v.identifier)) continue;
    await deps.queue.trigger({ projectId: project.id, versionId: v.id, commit: v.commit, trigger: job.trigger ?? 'webhook' });
  }
}

async function openPreview(deps: WebhookDeps, project: Project, number: number, commit: string): Promise<WebhookAnswer> {
  const result = await upsertExternalVersion(deps.db, project.id, number, commit);
  if (!result.ok) return { build_triggered: false, project: project.slug, versions: [], detail: `Pull request ${number} is not built: ${result.reason}.` };
  const { version } = result;
  // An edit that moved no commit (a title, a label: GitLab's `update`) leaves the preview as built.
  if (!result.changed) return { build_triggered: false, project: project.slug, versions: [] };
  await deps.queue.trigger({ projectId: project.id, versionId: version.id, commit, trigger: 'webhook' });
  const preview_url = previewUrl(previewOrigin(deps.publicUrl, deps.previewDomain, project.slug, version.slug), project, version.slug);
  return { build_triggered: true, project: project.slug, versions: [version.verboseName], preview_url };
}

async function closePreview(deps: WebhookDeps, project: Project, number: number): Promise<WebhookAnswer> {
  const version = await deactivateExternalVersion(deps.db, project.id, number);
  return { closed: version !== null, project: project.slug, versions: version ? [version.verboseName] : [] };
}
