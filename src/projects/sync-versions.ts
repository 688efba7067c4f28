// Re-reads a project's branches and tags and makes its versions match them, then runs the
// project's automation rules over what changed.
import { computeVersions } from '../core/versions.ts';
import type { Db } from '../db/database.ts';
import type { Project, Version } from '../db/schema.ts';
import { listVersions, syncVersions } from '../db/versions.ts';
import { lsRemote } from '../builder/git.ts';
import type { BuildQueue } from '../queue/build-queue.ts';
import { applyAutomationRules } from './automation-rules.ts';

/**
 * Syncs versions from `git ls-remote`. New machine versions (latest, stable) start
 * active, as on Read the Docs; other new branches and tags start inactive unless an
 * automation rule acts on them. Without a queue, rules still apply but start no builds.
 */
export async function syncProjectVersions(db: Db, project: Project, allowLocal: boolean, queue: BuildQueue | null = null): Promise<Version[]> {
  const remote = await lsRemote(project.repoUrl, allowLocal);
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
