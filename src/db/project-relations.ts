// What the API shows beside a project's own columns: the project it is a subproject or a
// translation of (as slugs, like Read the Docs now does) and its maintainers' usernames.
// Loaded for a whole page of projects in three queries, not three per project.
import { asc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from './database.ts';
import { projectMaintainers, projects, subprojects, users } from './schema.ts';

export interface ProjectRelations {
  subprojectOf: string | null;
  translationOf: string | null;
  users: string[];
}

export async function relationsOf(db: Db, projectIds: number[]): Promise<Map<number, ProjectRelations>> {
  const out = new Map<number, ProjectRelations>(projectIds.map((id) => [id, { subprojectOf: null, translationOf: null, users: [] }]));
  if (projectIds.length === 0) return out;
  const parent = alias(projects, 'parent');
  const main = alias(projects, 'main');
  const [parents, mains, maintainers] = await Promise.all([
    db.select({ id: subprojects.childId, slug: parent.slug }).from(subprojects).innerJoin(parent, eq(parent.id, subprojects.parentId)).where(inArray(subprojects.childId, projectIds)),
    db.select({ id: projects.id, slug: main.slug }).from(projects).innerJoin(main, eq(main.id, projects.translationOfId)).where(inArray(projects.id, projectIds)),
    db
      .select({ id: projectMaintainers.projectId, username: users.username })
      .from(projectMaintainers)
      .innerJoin(users, eq(users.id, projectMaintainers.userId))
      .where(inArray(projectMaintainers.projectId, projectIds))
      .orderBy(asc(users.username)),
  ]);
  for (const row of parents) out.get(row.id)!.subprojectOf = row.slug;
  for (const row of mains) out.get(row.id)!.translationOf = row.slug;
  for (const row of maintainers) out.get(row.id)!.users.push(row.username);
  return out;
}
