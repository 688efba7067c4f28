// Translations: projects that are the same documentation in another language, linked to a
// main project (`projects.translation_of_id`). The queries only; the rules (one level, one
// project per language, whose projects) are src/domain/translations.ts's.
import { and, asc, eq, or, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { projectVisibleTo } from './project-visibility.ts';
import { projects, type Project } from './schema.ts';

/** A main project's translations that `viewer` may see, by slug (Read the Docs' order). */
export async function listTranslations(db: Db, mainId: number, viewer: number | null, limit: number, offset: number): Promise<{ count: number; rows: Project[] }> {
  const where = and(eq(projects.translationOfId, mainId), projectVisibleTo(viewer));
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(projects).where(where);
  const rows = await db.select().from(projects).where(where).orderBy(asc(projects.slug)).limit(limit).offset(offset);
  return { count, rows };
}

/** The projects that are translations of either project: the group a new link would join. */
export async function translationsOfAny(db: Db, mainIds: number[]): Promise<Array<Pick<Project, 'id' | 'slug' | 'language' | 'translationOfId'>>> {
  return db
    .select({ id: projects.id, slug: projects.slug, language: projects.language, translationOfId: projects.translationOfId })
    .from(projects)
    .where(or(...mainIds.map((id) => eq(projects.translationOfId, id))));
}

/** The main project of a translation group, by id. */
export async function findMainProject(db: Db, id: number): Promise<Project | null> {
  const [row] = await db.select().from(projects).where(eq(projects.id, id));
  return row ?? null;
}

export async function setTranslationOf(db: Db, translationId: number, mainId: number): Promise<Project> {
  const [row] = await db.update(projects).set({ translationOfId: mainId, updatedAt: new Date() }).where(eq(projects.id, translationId)).returning();
  return row!;
}

export async function removeTranslation(db: Db, mainId: number, translationId: number): Promise<boolean> {
  const rows = await db
    .update(projects)
    .set({ translationOfId: null, updatedAt: new Date() })
    .where(and(eq(projects.id, translationId), eq(projects.translationOfId, mainId)))
    .returning({ id: projects.id });
  return rows.length > 0;
}
