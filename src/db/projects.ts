// Projects and who maintains them.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { projectMaintainers, projects, type Project } from './schema.ts';

export interface NewProject {
  slug: string;
  name: string;
  repoUrl: string;
  defaultBranch: string | null;
  language?: string;
}

export class SlugTakenError extends Error {}

/** Creates a project owned by a user; throws SlugTakenError when the slug exists. */
export async function createProject(db: Db, input: NewProject, ownerId: number): Promise<Project> {
  return db.transaction(async (tx) => {
    const [project] = await tx
      .insert(projects)
      .values({ slug: input.slug, name: input.name, repoUrl: input.repoUrl, defaultBranch: input.defaultBranch, language: input.language ?? 'en' })
      .onConflictDoNothing({ target: projects.slug })
      .returning();
    if (!project) throw new SlugTakenError(`a project with the slug "${input.slug}" already exists`);
    await tx.insert(projectMaintainers).values({ projectId: project.id, userId: ownerId });
    return project;
  });
}

export async function findProjectBySlug(db: Db, slug: string): Promise<Project | null> {
  const [project] = await db.select().from(projects).where(eq(projects.slug, slug));
  return project ?? null;
}

export async function isMaintainer(db: Db, projectId: number, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(projectMaintainers)
    .where(and(eq(projectMaintainers.projectId, projectId), eq(projectMaintainers.userId, userId)));
  return row !== undefined;
}

/** Projects a user maintains, in a stable order, one page at a time. */
export async function listProjectsOf(db: Db, userId: number, limit: number, offset: number): Promise<{ count: number; rows: Project[] }> {
  const where = eq(projectMaintainers.userId, userId);
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(projectMaintainers).where(where);
  const rows = await db
    .select({ project: projects })
    .from(projects)
    .innerJoin(projectMaintainers, eq(projectMaintainers.projectId, projects.id))
    .where(where)
    .orderBy(asc(projects.slug))
    .limit(limit)
    .offset(offset);
  return { count, rows: rows.map((r) => r.project) };
}

export async function maintainersOf(db: Db, projectId: number): Promise<number[]> {
  const rows = await db.select({ userId: projectMaintainers.userId }).from(projectMaintainers).where(eq(projectMaintainers.projectId, projectId));
  return rows.map((r) => r.userId);
}
