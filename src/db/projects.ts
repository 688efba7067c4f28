// Projects and who maintains them: the queries only. The rules (what a name, a language or a
// default version may be, who may change what) are src/domain/projects.ts's.
import { and, asc, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from './database.ts';
import { projectMaintainers, projects, type Project } from './schema.ts';

/** The columns a new project is created with; the rest take the schema's defaults. */
export type NewProject = Pick<Project, 'slug' | 'name' | 'repoUrl' | 'defaultBranch'> &
  Partial<Pick<Project, 'repoCredentials' | 'language' | 'programmingLanguage' | 'homepage' | 'tags' | 'privacyLevel' | 'externalBuildsPrivacyLevel' | 'readthedocsYamlPath'>>;

export class SlugTakenError extends Error {}

/** Creates a project owned by a user; throws SlugTakenError when the slug exists. */
export async function createProject(db: Db, input: NewProject, ownerId: number): Promise<Project> {
  return db.transaction(async (tx) => {
    const [project] = await tx.insert(projects).values(input).onConflictDoNothing({ target: projects.slug }).returning();
    if (!project) throw new SlugTakenError(`a project with the slug "${input.slug}" already exists`);
    await tx.insert(projectMaintainers).values({ projectId: project.id, userId: ownerId });
    return project;
  });
}

export async function findProjectBySlug(db: Db, slug: string): Promise<Project | null> {
  const [project] = await db.select().from(projects).where(eq(projects.slug, slug));
  return project ?? null;
}

export async function slugExists(db: Db, slug: string): Promise<boolean> {
  const [row] = await db.select({ one: sql<number>`1` }).from(projects).where(eq(projects.slug, slug));
  return row !== undefined;
}

export async function isMaintainer(db: Db, projectId: number, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(projectMaintainers)
    .where(and(eq(projectMaintainers.projectId, projectId), eq(projectMaintainers.userId, userId)));
  return row !== undefined;
}

/** What a list of projects is narrowed by: Read the Docs' ProjectFilter (name and slug contain, case-insensitively; languages exactly). */
export interface ProjectListFilter {
  name?: string;
  slug?: string;
  language?: string;
  programmingLanguage?: string;
}

/** `%…%` for ILIKE, with the pattern characters of the value taken literally. */
const containing = (value: string) => `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Projects a user maintains, filtered, in a stable order (by slug), one page at a time. */
export async function listProjectsOf(db: Db, userId: number, filter: ProjectListFilter, limit: number, offset: number): Promise<{ count: number; rows: Project[] }> {
  const conditions: SQL[] = [eq(projectMaintainers.userId, userId)];
  if (filter.name !== undefined) conditions.push(ilike(projects.name, containing(filter.name)));
  if (filter.slug !== undefined) conditions.push(ilike(projects.slug, containing(filter.slug)));
  if (filter.language !== undefined) conditions.push(eq(projects.language, filter.language));
  if (filter.programmingLanguage !== undefined) conditions.push(eq(projects.programmingLanguage, filter.programmingLanguage));
  const where = and(...conditions);
  const [{ count } = { count: 0 }] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(projects)
    .innerJoin(projectMaintainers, eq(projectMaintainers.projectId, projects.id))
    .where(where);
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

/** Public projects by slug, at most `limit` (the home page's list). */
export async function listPublicProjects(db: Db, limit: number): Promise<Project[]> {
  return db.select().from(projects).where(eq(projects.privacyLevel, 'public')).orderBy(asc(projects.slug)).limit(limit);
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

/** The columns a settings change may write. */
export type ProjectPatch = Partial<Pick<Project,
  | 'name' | 'repoUrl' | 'repoCredentials' | 'defaultBranch' | 'defaultVersion' | 'language' | 'programmingLanguage' | 'homepage' | 'tags'
  | 'privacyLevel' | 'singleVersion' | 'versioningScheme' | 'documentationType' | 'description' | 'externalBuildsEnabled'
  | 'externalBuildsPrivacyLevel' | 'readthedocsYamlPath' | 'showVersionWarning' | 'analyticsCode' | 'analyticsDisabled'
  | 'customPrefix' | 'customSubprojectPrefix' | 'delisted'>>;

/** Writes a project's settings; null when the project is gone. */
export async function updateProject(db: Db, project: Pick<Project, 'id'>, patch: ProjectPatch): Promise<Project | null> {
  const [row] = await db.update(projects).set({ ...patch, updatedAt: new Date() }).where(eq(projects.id, project.id)).returning();
  return row ?? null;
}

/**
 * Deletes a project and, through the schema's cascades, its versions, builds, redirects,
 * domains, variables, rules and subproject links. Its translations become projects of their own.
 */
export async function deleteProject(db: Db, projectId: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.update(projects).set({ translationOfId: null, updatedAt: new Date() }).where(eq(projects.translationOfId, projectId));
    const rows = await tx.delete(projects).where(eq(projects.id, projectId)).returning({ id: projects.id });
    return rows.length > 0;
  });
}
