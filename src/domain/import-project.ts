// Importing a repository: check the settings (src/domain/projects.ts), create the project
// owned by the importing user, read its versions, build the active ones. Used by the API,
// the dashboard and the first start of `bindery serve` (src/cli/bootstrap.ts).
import { BuildError } from '../core/errors.ts';
import * as rows from '../db/projects.ts';
import type { Build, Project, User, Version } from '../db/schema.ts';
import { syncProjectVersions } from './sync-versions.ts';
import { userMayReachInside } from './repository-access.ts';
import type { DomainContext } from './context.ts';
import { checkNewProject, slugTaken, type NewProjectInput } from './projects.ts';

export interface ImportResult {
  project: Project;
  versions: Version[];
  builds: Build[];
}

/**
 * Creates a project from a repository for `user`, its first maintainer; throws DomainError
 * naming the field at fault. A repository that cannot be read yet still makes the project
 * (credentials or the network may come later: sync its versions then).
 */
export async function importProject(ctx: DomainContext, user: User, input: NewProjectInput, trigger: string): Promise<ImportResult> {
  const values = await checkNewProject(ctx, user, input);
  let project: Project;
  try {
    project = await rows.createProject(ctx.db, values, user.id);
  } catch (err) {
    // Taken between the check and the insert.
    if (err instanceof rows.SlugTakenError) throw slugTaken(input.slug !== undefined ? 'slug' : 'name', values.slug);
    throw err;
  }
  let versions: Version[];
  try {
    versions = await syncProjectVersions(ctx.db, project, { mayReachInside: userMayReachInside(ctx, user), resolveHost: ctx.resolveHost, log: ctx.log }, ctx.queue);
  } catch (err) {
    if (!(err instanceof BuildError)) throw err;
    return { project, versions: [], builds: [] };
  }
  const builds: Build[] = [];
  for (const version of versions.filter((v) => v.active)) {
    builds.push(await ctx.queue.trigger({ projectId: project.id, versionId: version.id, commit: null, trigger }));
  }
  return { project, versions, builds };
}
