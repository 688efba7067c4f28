// Projects and who maintains them.
import { and, asc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { DomainError } from '../core/domain-error.ts';
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


/**
 * Locks project rows until the transaction ends, always in id order (so two writers never
 * wait on each other crosswise). Rules spanning rows — one language per translation group,
 * no nested subprojects, a last maintainer, contiguous positions — are checked under it.
 */
export async function lockProjects(db: Db, ids: number[]): Promise<Project[]> {
  if (ids.length === 0) return [];
  return db.select().from(projects).where(inArray(projects.id, ids)).orderBy(asc(projects.id)).for('update');
}

export type ProjectPatch = Partial<Pick<Project,
  'name' | 'repoUrl' | 'defaultBranch' | 'defaultVersion' | 'language' | 'privacyLevel' | 'singleVersion' | 'documentationType' | 'description'
  | 'externalBuildsEnabled' | 'externalBuildsPrivacyLevel'>>;

const PRIVACY_LEVELS = ['public', 'private'];

/**
 * Updates a project (the API's PATCH and the dashboard's settings both come here); a new
 * language must stay unique within its translation group, privacy levels are public or
 * private (else DomainError).
 */
export async function updateProject(db: Db, project: Project, patch: ProjectPatch): Promise<Project> {
  for (const field of ['privacyLevel', 'externalBuildsPrivacyLevel'] as const) {
    const level = patch[field];
    if (level !== undefined && !PRIVACY_LEVELS.includes(level)) {
      throw new DomainError(field === 'privacyLevel' ? 'privacy_level' : 'external_builds_privacy_level', `expected public or private, not ${JSON.stringify(level)}`);
    }
  }
  return db.transaction(async (tx) => {
    if (patch.language !== undefined) {
      const mainId = project.translationOfId ?? project.id;
      await lockProjects(tx as unknown as Db, [mainId]);
      const [clash] = await tx
        .select({ slug: projects.slug })
        .from(projects)
        .where(and(or(eq(projects.id, mainId), eq(projects.translationOfId, mainId)), ne(projects.id, project.id), eq(projects.language, patch.language)));
      if (clash) throw new DomainError('language', `"${clash.slug}" is already the ${patch.language} translation of this project`, 'conflict');
    }
    const [row] = await tx.update(projects).set({ ...patch, updatedAt: new Date() }).where(eq(projects.id, project.id)).returning();
    if (!row) throw new DomainError('project', 'the project was deleted meanwhile', 'conflict');
    return row;
  });
}

/**
 * Deletes a project and, through the schema's cascades, its versions, builds, redirects,
 * domains, variables, rules and subproject links. Its translations become projects of their own.
 * The files of its builds stay in storage.
 */
export async function deleteProject(db: Db, projectId: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.update(projects).set({ translationOfId: null, updatedAt: new Date() }).where(eq(projects.translationOfId, projectId));
    const rows = await tx.delete(projects).where(eq(projects.id, projectId)).returning({ id: projects.id });
    return rows.length > 0;
  });
}
