// Re-reads a project's branches and tags and makes its versions match them, then runs the
// project's automation rules over what changed. The repository is read with `git ls-remote`
// only after its host resolved outside (unless the project may reach inside), and every
// failure reads the same, so the message cannot tell which internal ports are open.
import { BuildError } from '../core/errors.ts';
import { credentialSecrets, parseRepositoryUrl, withCredentials } from '../core/repository-url.ts';
import { computeVersions, type RemoteRefs } from '../core/versions.ts';
import type { Db } from '../db/database.ts';
import type { Project, Version } from '../db/schema.ts';
import { listVersions, syncVersions } from '../db/versions.ts';
import { lsRemote } from '../builder/git.ts';
import type { BuildQueue } from '../queue/build-queue.ts';
import { applyAutomationRules } from './automation-rules.ts';
import { resolveOutside, type HostResolver } from './host-resolution.ts';
import { repositoryUnreachable } from './repository-access.ts';

export interface SyncAccess {
  /** The project may reach local paths and inside addresses (repository-access.ts decides). */
  mayReachInside: boolean;
  resolveHost?: HostResolver;
  /** Where the real reason of a failure goes (it never goes to the user). */
  log?: WarnLog;
}

/** The part of a logger (pino's, Fastify's request.log) a sync writes to. */
export interface WarnLog {
  warn(details: object, message: string): void;
}

/**
 * Syncs versions from `git ls-remote`. New machine versions (latest, stable) start
 * active, as on Read the Docs; other new branches and tags start inactive unless an
 * automation rule acts on them. Without a queue, rules still apply but start no builds.
 */
export async function syncProjectVersions(db: Db, project: Project, access: SyncAccess, queue: BuildQueue | null = null): Promise<Version[]> {
  const remote = await readRemote(project, access);
  const specs = computeVersions(remote, project.defaultBranch);
  // What existed before tells new versions apart; two syncs racing may both see one as new,
  // which at worst runs its rules twice (idempotent, and a second build supersedes the first).
  const before = new Map((await listVersions(db, project.id)).map((v) => [v.slug, v]));
  const after = await syncVersions(db, project.id, specs, (spec) => spec.machine);
  const inRepo = new Set(specs.map((s) => s.slug));
  const created = after.filter((v) => !before.has(v.slug));
  const gone = after.filter((v) => !inRepo.has(v.slug) && v.type !== 'external' && before.get(v.slug)?.active === true);
  if (created.length === 0 && gone.length === 0) return after;
  await applyAutomationRules(db, queue, project, created, gone);
  return listVersions(db, project.id);
}

/** `git ls-remote` of the project's repository; throws BuildError('repository-unreachable') with one message for every cause. */
async function readRemote(project: Project, access: SyncAccess): Promise<RemoteRefs> {
  const url = parseRepositoryUrl(project.repoUrl);
  const unreachable = repositoryUnreachable(project.repoUrl);
  const refuse = (reason: string) => {
    access.log?.warn({ project: project.slug, reason }, 'repository not read');
    return unreachable;
  };
  if (!url.ok) throw refuse(url.reason);
  if (!access.mayReachInside) {
    if (url.local) throw refuse(`${url.local}, and the project may not reach inside`);
    // git resolves the name again: a DNS answer that changes in between is a residual risk (docs/security.md).
    const resolution = await resolveOutside(url.host!, access.resolveHost);
    if (!resolution.ok) throw refuse(resolution.reason);
  }
  const credentials = project.repoCredentials ?? url.credentials;
  try {
    return await lsRemote(withCredentials(url.url, credentials), access.mayReachInside && url.host === null);
  } catch (err) {
    if (!(err instanceof BuildError)) throw err;
    let detail = err.message;
    for (const secret of credentialSecrets(credentials)) detail = detail.split(secret).join('***');
    throw refuse(detail);
  }
}
