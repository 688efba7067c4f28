// Re-reads a project's branches and tags and makes its versions match them.
import { computeVersions } from '../core/versions.ts';
import type { Db } from '../db/database.ts';
import type { Project, Version } from '../db/schema.ts';
import { syncVersions } from '../db/versions.ts';
import { lsRemote } from '../builder/git.ts';

/**
 * Syncs versions from `git ls-remote`. New machine versions (latest, stable) start
 * active, as on Read the Docs; other new branches and tags start inactive.
 */
export async function syncProjectVersions(db: Db, project: Project, allowLocal: boolean): Promise<Version[]> {
  const remote = await lsRemote(project.repoUrl, allowLocal);
  const specs = computeVersions(remote, project.defaultBranch);
  return syncVersions(db, project.id, specs, (spec) => spec.machine);
}
