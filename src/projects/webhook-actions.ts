// What a verified webhook does, whichever provider sent it: a push syncs the versions and
// builds the active ones that follow the pushed ref; a pull/merge request builds or retires
// its `external` preview version — only on a project that turned previews on, since a
// preview builds code anyone may propose. Answers in Read the Docs' webhook response shape.
import { previewOrigin, previewUrl } from '../core/previews.ts';
import { BuildError } from '../core/errors.ts';
import { LATEST } from '../core/versions.ts';
import type { Db } from '../db/database.ts';
import { deactivateExternalVersion, upsertExternalVersion } from '../db/external-versions.ts';
import type { Project, Version } from '../db/schema.ts';
import { listVersions } from '../db/versions.ts';
import type { BuildQueue } from '../queue/build-queue.ts';
import type { PushedRef, WebhookEvent } from '../core/webhook-events.ts';
import { syncProjectVersions } from './sync-versions.ts';
import { projectMayReachInside } from './repository-access.ts';
import type { HostResolver } from './host-resolution.ts';
import type { Logger } from '../log.ts';

export interface WebhookDeps {
  db: Db;
  queue: BuildQueue;
  allowLocalRepositories: boolean;
  resolveHost?: HostResolver;
  log?: Logger;
  publicUrl: string;
  previewDomain: string;
}

export interface WebhookResult {
  build_triggered: boolean;
  project: string;
  /** Slugs of the versions built (or, for a closed request, deactivated). */
  versions: string[];
  detail?: string;
  versions_synced?: boolean;
  version_deactivated?: boolean;
  /** Where the pull request's preview is served (its own host, core/previews.ts). */
  preview_url?: string;
}

/** Thrown when the repository cannot be read for a sync-only event: the provider should retry. */
export class SyncFailed extends Error {}

export async function applyWebhookEvent(deps: WebhookDeps, project: Project, event: WebhookEvent): Promise<WebhookResult> {
  const base = { build_triggered: false, project: project.slug, versions: [] as string[] };
  switch (event.kind) {
    case 'ping':
      return { ...base, detail: 'Webhook configured correctly' };
    case 'ignored':
      return { ...base, detail: event.detail };
    case 'push':
      return push(deps, project, event.refs, event.defaultBranch);
    case 'pull-request':
      return event.action === 'open' ? openPreview(deps, project, event.number, event.commit) : closePreview(deps, project, event.number);
  }
}

async function push(deps: WebhookDeps, project: Project, refs: PushedRef[], reportedDefault: string | null): Promise<WebhookResult> {
  const before = new Map((await listVersions(deps.db, project.id)).map((v) => [v.id, v]));
  let after: Version[];
  let detail: string | undefined;
  let synced = true;
  try {
    // A default branch the provider reports is used only when the project has not chosen one
    // (Read the Docs does the same), so `latest` follows a renamed default branch at once.
    const access = { mayReachInside: await projectMayReachInside(deps.db, deps, project.id), resolveHost: deps.resolveHost, log: deps.log };
    after = await syncProjectVersions(deps.db, project.defaultBranch ? project : { ...project, defaultBranch: reportedDefault }, access);
  } catch (err) {
    if (!(err instanceof BuildError)) throw err;
    if (refs.length === 0) throw new SyncFailed(err.message);
    // The versions we know still say what to build; the next sync catches up.
    after = [...before.values()];
    synced = false;
    detail = `Versions were not synced: ${err.message}`;
  }
  const targets = new Map<number, { version: Version; commit: string | null }>();
  // A machine version that now follows another ref (stable after a new release tag,
  // latest after a default-branch change) or that has just appeared is stale: rebuild it.
  for (const v of after) {
    const old = before.get(v.id);
    if (v.machine && v.active && (!old || old.identifier !== v.identifier)) targets.set(v.id, { version: v, commit: v.commit });
  }
  const defaultBranch = after.find((v) => v.machine && v.slug === LATEST)?.identifier ?? project.defaultBranch ?? reportedDefault;
  for (const ref of refs) {
    const name = ref.name ?? defaultBranch;
    for (const v of after) {
      if (!v.active || v.type === 'external' || v.identifier !== name || (ref.type !== null && v.type !== ref.type)) continue;
      targets.set(v.id, { version: v, commit: ref.commit });
    }
  }
  const built: string[] = [];
  for (const { version, commit } of targets.values()) {
    await deps.queue.trigger({ projectId: project.id, versionId: version.id, commit, trigger: 'webhook' });
    built.push(version.slug);
  }
  built.sort();
  if (!detail && refs.length > 0 && built.length === 0) detail = `No active version follows ${refs.map((r) => r.name ?? defaultBranch).join(', ')}.`;
  return { build_triggered: built.length > 0, project: project.slug, versions: built, versions_synced: synced, ...(detail ? { detail } : {}) };
}

async function openPreview(deps: WebhookDeps, project: Project, number: number, commit: string): Promise<WebhookResult> {
  if (!project.externalBuildsEnabled) {
    return { build_triggered: false, project: project.slug, versions: [], detail: `Pull request previews are off for this project (external_builds_enabled); pull request ${number} is not built.` };
  }
  const result = await upsertExternalVersion(deps.db, project.id, number, commit);
  if (!result.ok) return { build_triggered: false, project: project.slug, versions: [], detail: `Pull request ${number} is not built: ${result.reason}.` };
  const preview_url = previewUrl(previewOrigin(deps.publicUrl, deps.previewDomain, project.slug, result.version.slug), project.language, result.version.slug);
  if (!result.changed) return { build_triggered: false, project: project.slug, versions: [result.version.slug], detail: `Pull request ${number} is already built at ${commit}.`, preview_url };
  await deps.queue.trigger({ projectId: project.id, versionId: result.version.id, commit, trigger: 'webhook' });
  return { build_triggered: true, project: project.slug, versions: [result.version.slug], preview_url };
}

async function closePreview(deps: WebhookDeps, project: Project, number: number): Promise<WebhookResult> {
  const version = await deactivateExternalVersion(deps.db, project.id, number);
  if (!version) return { build_triggered: false, project: project.slug, versions: [], detail: `Pull request ${number} has no preview version.` };
  return { build_triggered: false, project: project.slug, versions: [version.slug], version_deactivated: true };
}
