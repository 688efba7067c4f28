// Importing a repository: validate, create the project, read its versions, build the
// active ones. Used by the API, the dashboard and the first start of `bindery serve`.
import { BuildError } from '../core/errors.ts';
import { isValidProjectSlug, projectSlug } from '../core/slug.ts';
import type { Db } from '../db/database.ts';
import { createProject } from '../db/projects.ts';
import { setProjectRepository } from '../db/project-repository.ts';
import type { Build, Project, Version } from '../db/schema.ts';
import type { BuildQueue } from '../queue/build-queue.ts';
import { syncProjectVersions, type WarnLog } from './sync-versions.ts';
import { vetRepositoryUrl } from './repository-access.ts';
import type { HostResolver } from './host-resolution.ts';

export class ImportError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

export interface ImportInput {
  name: string;
  repoUrl: string;
  defaultBranch?: string | null;
  language?: string;
  slug?: string;
}

export interface ImportResult {
  project: Project;
  versions: Version[];
  builds: Build[];
}

export interface ImportOptions {
  /** The importing user may use local paths and inside addresses (repository-access.ts). */
  mayReachInside: boolean;
  resolveHost?: HostResolver;
  log?: WarnLog;
  trigger: string;
}

/** Creates a project from a repository; throws ImportError (naming the field) or SlugTakenError. */
export async function importProject(db: Db, queue: BuildQueue, input: ImportInput, ownerId: number, opts: ImportOptions): Promise<ImportResult> {
  const name = input.name.trim();
  if (!name) throw new ImportError('name', 'a project name is required');
  const slug = input.slug ?? projectSlug(name);
  if (!isValidProjectSlug(slug)) throw new ImportError(input.slug ? 'slug' : 'name', `"${slug}" is not a valid project slug: use letters, digits and dashes (at most 63)`);
  const url = await vetRepositoryUrl(input.repoUrl, opts.mayReachInside, opts.resolveHost);
  if (!url.ok) throw new ImportError('repository.url', url.reason);
  let project = await createProject(db, { slug, name, repoUrl: url.url, defaultBranch: input.defaultBranch ?? null, language: input.language }, ownerId);
  if (url.credentials) {
    await setProjectRepository(db, project.id, url.url, url.credentials);
    project = { ...project, repoCredentials: url.credentials };
  }
  let versions: Version[] = [];
  try {
    versions = await syncProjectVersions(db, project, { mayReachInside: opts.mayReachInside, resolveHost: opts.resolveHost, log: opts.log }, queue);
  } catch (err) {
    // The project stays: the repository may be reachable later (credentials, network); sync again then.
    if (!(err instanceof BuildError)) throw err;
    return { project, versions: [], builds: [] };
  }
  const builds: Build[] = [];
  for (const version of versions.filter((v) => v.active)) {
    builds.push(await queue.trigger({ projectId: project.id, versionId: version.id, commit: null, trigger: opts.trigger }));
  }
  return { project, versions, builds };
}
