// Subprojects: a child project served under its parent's host at `/projects/<alias>/`. One
// level only, as on Read the Docs: a parent is no one's child and a child has no children.
import { and, asc, eq, or, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { lockProjects } from './projects.ts';
import { DomainError } from '../core/domain-error.ts';
import { projects, subprojects, type Project } from './schema.ts';

export interface SubprojectRow {
  alias: string;
  parentId: number;
  child: Project;
  createdAt: Date;
}

const columns = { alias: subprojects.alias, parentId: subprojects.parentId, child: projects, createdAt: subprojects.createdAt };

export async function listSubprojects(db: Db, parentId: number, limit: number, offset: number): Promise<{ count: number; rows: SubprojectRow[] }> {
  const where = eq(subprojects.parentId, parentId);
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(subprojects).where(where);
  const rows = await db.select(columns).from(subprojects).innerJoin(projects, eq(projects.id, subprojects.childId)).where(where).orderBy(asc(subprojects.alias)).limit(limit).offset(offset);
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

/** Makes `childId` a subproject of `parentId` under `alias`; DomainError names what forbids it. */
export async function addSubproject(db: Db, parentId: number, childId: number, alias: string): Promise<SubprojectRow> {
  if (parentId === childId) throw new DomainError('child', 'a project cannot be a subproject of itself');
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await lockProjects(t, [parentId, childId]);
    const links = await tx
      .select({ parentId: subprojects.parentId, childId: subprojects.childId, alias: subprojects.alias })
      .from(subprojects)
      .where(or(eq(subprojects.childId, parentId), eq(subprojects.parentId, childId), eq(subprojects.childId, childId), eq(subprojects.parentId, parentId)));
    if (links.some((l) => l.childId === parentId)) throw new DomainError('child', 'this project is itself a subproject: subprojects cannot be nested');
    if (links.some((l) => l.parentId === childId)) throw new DomainError('child', 'that project has subprojects of its own: subprojects cannot be nested');
    if (links.some((l) => l.childId === childId)) throw new DomainError('child', 'that project is already a subproject of a project', 'conflict');
    if (links.some((l) => l.parentId === parentId && l.alias === alias)) throw new DomainError('alias', `the alias "${alias}" is already used by another subproject`, 'conflict');
    await tx.insert(subprojects).values({ parentId, childId, alias });
    return (await findSubproject(t, parentId, alias))!;
  });
}

export async function removeSubproject(db: Db, parentId: number, alias: string): Promise<boolean> {
  const rows = await db.delete(subprojects).where(and(eq(subprojects.parentId, parentId), eq(subprojects.alias, alias))).returning({ id: subprojects.id });
  return rows.length > 0;
}
