// Subprojects: a child project served under its parent's host at `/projects/<alias>/`. The
// queries only; the rules (one level, one parent, unique aliases, whose projects) are
// src/domain/subprojects.ts's.
import { and, asc, eq, or, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { projectVisibleTo } from './project-visibility.ts';
import { projects, subprojects, type Project } from './schema.ts';

export interface SubprojectRow {
  alias: string;
  parentId: number;
  child: Project;
  createdAt: Date;
}

/** A link between two projects, as the nesting rules read them. */
export interface SubprojectLink {
  parentId: number;
  childId: number;
  alias: string;
}

const columns = { alias: subprojects.alias, parentId: subprojects.parentId, child: projects, createdAt: subprojects.createdAt };

/** A parent's subprojects whose child `visibleTo` may see, by the child's slug (Read the Docs' order). */
export async function listSubprojects(db: Db, parentId: number, visibleTo: number | null, limit: number, offset: number): Promise<{ count: number; rows: SubprojectRow[] }> {
  const where = and(eq(subprojects.parentId, parentId), projectVisibleTo(visibleTo));
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(subprojects).innerJoin(projects, eq(projects.id, subprojects.childId)).where(where);
  const rows = await db.select(columns).from(subprojects).innerJoin(projects, eq(projects.id, subprojects.childId)).where(where).orderBy(asc(projects.slug)).limit(limit).offset(offset);
  return { count, rows };
}

export async function findSubproject(db: Db, parentId: number, alias: string): Promise<SubprojectRow | null> {
  const [row] = await db.select(columns).from(subprojects).innerJoin(projects, eq(projects.id, subprojects.childId)).where(and(eq(subprojects.parentId, parentId), eq(subprojects.alias, alias)));
  return row ?? null;
}

/** The project a project is a subproject of, with the alias it has there. */
export async function superprojectOf(db: Db, childId: number): Promise<{ alias: string; parent: Project } | null> {
  const [row] = await db.select({ alias: subprojects.alias, parent: projects }).from(subprojects).innerJoin(projects, eq(projects.id, subprojects.parentId)).where(eq(subprojects.childId, childId));
  return row ?? null;
}

/** Every link either project takes part in, as parent or child. */
export async function linksOf(db: Db, projectIds: number[]): Promise<SubprojectLink[]> {
  const touches = projectIds.flatMap((id) => [eq(subprojects.parentId, id), eq(subprojects.childId, id)]);
  return db.select({ parentId: subprojects.parentId, childId: subprojects.childId, alias: subprojects.alias }).from(subprojects).where(or(...touches));
}

/** An alias already used under the parent. */
export async function aliasTaken(db: Db, parentId: number, alias: string): Promise<boolean> {
  const [row] = await db.select({ one: sql<number>`1` }).from(subprojects).where(and(eq(subprojects.parentId, parentId), eq(subprojects.alias, alias)));
  return row !== undefined;
}

export async function insertSubproject(db: Db, link: SubprojectLink): Promise<void> {
  await db.insert(subprojects).values(link);
}

export async function removeSubproject(db: Db, parentId: number, alias: string): Promise<boolean> {
  const rows = await db.delete(subprojects).where(and(eq(subprojects.parentId, parentId), eq(subprojects.alias, alias))).returning({ id: subprojects.id });
  return rows.length > 0;
}
