// What the API shows beside a project's own columns: the project it is a subproject or a
// translation of (by slug), its maintainers' usernames, and the branch its `latest` version
// follows (the repository's default branch as Bindery last read it). Loaded for a whole page
// of projects in four queries, not four per project.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from './database.ts';
import { projectMaintainers, projects, subprojects, users, versions } from './schema.ts';

export interface ProjectRelations {
  subprojectOf: string | null;
  translationOf: string | null;
  users: string[];
  /** The branch the `latest` version follows, null before the repository was read. */
  latestBranch: string | null;
}

export const NO_RELATIONS: ProjectRelations = { subprojectOf: null, translationOf: null, users: [], latestBranch: null };

export async function relationsOf(db: Db, projectIds: number[]): Promise<Map<number, ProjectRelations>> {
  const out = new Map<number, ProjectRelations>(projectIds.map((id) => [id, { ...NO_RELATIONS, users: [] }]));
  if (projectIds.length === 0) return out;
  const parent = alias(projects, 'parent');
  const main = alias(projects, 'main');
  const [parents, mains, maintainers, latest] = await Promise.all([
    db.select({ id: subprojects.childId, slug: parent.slug }).from(subprojects).innerJoin(parent, eq(parent.id, subprojects.parentId)).where(inArray(subprojects.childId, projectIds)),
    db.select({ id: projects.id, slug: main.slug }).from(projects).innerJoin(main, eq(main.id, projects.translationOfId)).where(inArray(projects.id, projectIds)),
    db
      .select({ id: projectMaintainers.projectId, username: users.username })
      .from(projectMaintainers)
      .innerJoin(users, eq(users.id, projectMaintainers.userId))
      .where(inArray(projectMaintainers.projectId, projectIds))
      .orderBy(asc(users.username)),
    db
      .select({ id: versions.projectId, identifier: versions.identifier })
      .from(versions)
      .where(and(inArray(versions.projectId, projectIds), eq(versions.slug, 'latest'), eq(versions.type, 'branch'))),
  ]);
  for (const row of parents) out.get(row.id)!.subprojectOf = row.slug;
  for (const row of mains) out.get(row.id)!.translationOf = row.slug;
  for (const row of maintainers) out.get(row.id)!.users.push(row.username);
  for (const row of latest) out.get(row.id)!.latestBranch = row.identifier;
  return out;
}
