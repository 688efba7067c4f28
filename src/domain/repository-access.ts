// Who may point Bindery at this machine or its private network, and the checks every
// repository URL goes through before git sees it. An instance admin may; anyone else only
// when the operator set ALLOW_LOCAL_REPOSITORIES=true. Work nobody in particular asked for
// (a webhook's sync, a build) may when the operator allows it or an admin maintains the project.
import type { Db } from '../db/database.ts';
import { isAdminMaintained } from '../db/project-repository.ts';
import type { Project, User } from '../db/schema.ts';
import { BuildError } from '../core/errors.ts';
import { checkRepositoryUrl, credentialSecrets, parseRepositoryUrl, withCredentials, type RepositoryUrlCheck } from '../core/repository-url.ts';
import { resolveOutside, type HostResolver } from './host-resolution.ts';

/** What the process was told: the operator's setting and, for tests, the resolver. */
export interface RepositoryPolicy {
  /** ALLOW_LOCAL_REPOSITORIES, set explicitly by the operator. */
  allowLocalRepositories: boolean;
  /** How host names are resolved for the check (default: the system's, as git's). */
  resolveHost?: HostResolver;
}

/** Whether this user may use local paths, file:// and inside addresses. */
export function userMayReachInside(policy: RepositoryPolicy, user: Pick<User, 'isAdmin'>): boolean {
  return policy.allowLocalRepositories || user.isAdmin;
}

/** Whether work on this project nobody in particular asked for may reach inside. */
export async function projectMayReachInside(db: Db, policy: RepositoryPolicy, projectId: number): Promise<boolean> {
  return policy.allowLocalRepositories || isAdminMaintained(db, projectId);
}

/**
 * Checks a repository URL a user submits: its form, the local rule, then, for those who
 * may not reach inside, every address its host resolves to. A host that does not resolve
 * passes (the repository may appear later; syncing refuses it until it resolves outside).
 */
export async function vetRepositoryUrl(raw: string, mayReachInside: boolean, resolveHost?: HostResolver): Promise<RepositoryUrlCheck> {
  const url = checkRepositoryUrl(raw, mayReachInside);
  if (!url.ok || mayReachInside || url.host === null) return url;
  const resolution = await resolveOutside(url.host, resolveHost);
  if (!resolution.ok && resolution.inside) {
    return { ok: false, reason: `${resolution.reason}: repositories on this server's machine or private network are for instance administrators only` };
  }
  return url;
}

/**
 * The one answer for a repository that cannot be read, whatever the cause (refused by the
 * policy, connection refused, timeout, not a repository, bad credentials), so that it
 * cannot tell which internal ports are open. The cause goes to the server log.
 */
export function repositoryUnreachable(storedUrl: string): BuildError {
  const parsed = parseRepositoryUrl(storedUrl);
  const shown = parsed.ok ? parsed.url : 'of this project';
  return new BuildError('repository-unreachable', `could not read the repository ${shown}: check that it exists, that it is reachable from this server and, if it is private, its credentials`);
}

export type BuildRepository =
  | { ok: true; cloneUrl: string; allowLocal: boolean; secrets: string[] }
  | { ok: false; error: BuildError; detail: string };

/**
 * What a build of the project clones, checked as a sync is: a project that may not reach
 * inside gets no local URL and no host that resolves inside (the builder's git resolves the
 * name again: a DNS answer changing in between is a residual risk, docs/security.md).
 */
export async function repositoryForBuild(db: Db, policy: RepositoryPolicy, project: Project): Promise<BuildRepository> {
  const url = parseRepositoryUrl(project.repoUrl);
  const refuse = (detail: string): BuildRepository => ({ ok: false, error: repositoryUnreachable(project.repoUrl), detail });
  if (!url.ok) return refuse(url.reason);
  const mayReachInside = await projectMayReachInside(db, policy, project.id);
  let inside = url.local !== null;
  if (!mayReachInside && inside) return refuse(`${url.local}, and the project may not reach inside`);
  if (url.host !== null && !inside) {
    const resolution = await resolveOutside(url.host, policy.resolveHost);
    if (!resolution.ok && !mayReachInside) return refuse(resolution.reason);
    inside = !resolution.ok && resolution.inside;
  }
  const credentials = project.repoCredentials ?? url.credentials;
  return { ok: true, cloneUrl: withCredentials(url.url, credentials), allowLocal: mayReachInside && inside, secrets: credentialSecrets(credentials) };
}
