// Translations: projects that are the same documentation in another language, linked to a
// main project (`projects.translation_of_id`). One level, one project per language in a group.
import { and, asc, eq, or, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { lockProjects } from './projects.ts';
import { DomainError } from '../core/domain-error.ts';
import { projects, type Project } from './schema.ts';

export async function listTranslations(db: Db, mainId: number, limit: number, offset: number): Promise<{ count: number; rows: Project[] }> {
  const where = eq(projects.translationOfId, mainId);
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(projects).where(where);
  const rows = await db.select().from(projects).where(where).orderBy(asc(projects.language), asc(projects.slug)).limit(limit).offset(offset);
  return { count, rows };
}

/** Makes `translationId` a translation of `mainId`; DomainError names what forbids it. */
export async function addTranslation(db: Db, mainId: number, translationId: number): Promise<Project> {
  if (mainId === translationId) throw new DomainError('project', 'a project cannot be a translation of itself');
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const locked = await lockProjects(t, [mainId, translationId]);
    const main = locked.find((p) => p.id === mainId);
    const translation = locked.find((p) => p.id === translationId);
    if (!main || !translation) throw new DomainError('project', 'the project was deleted meanwhile', 'conflict');
    if (main.translationOfId !== null) throw new DomainError('project', 'this project is itself a translation: translations cannot be nested');
    if (translation.translationOfId === mainId) throw new DomainError('project', `${translation.slug} is already a translation of this project`, 'conflict');
    if (translation.translationOfId !== null) throw new DomainError('project', `${translation.slug} is already a translation of another project`, 'conflict');
    const group = await tx
      .select({ id: projects.id, slug: projects.slug, language: projects.language, translationOfId: projects.translationOfId })
      .from(projects)
      .where(or(eq(projects.translationOfId, mainId), eq(projects.translationOfId, translationId)));
    if (group.some((p) => p.translationOfId === translationId)) throw new DomainError('project', `${translation.slug} has translations of its own: translations cannot be nested`);
    if (translation.language === main.language) throw new DomainError('project', `${translation.slug} has the language of this project (${main.language}): a translation needs another language`);
    const clash = group.find((p) => p.language === translation.language);
    if (clash) throw new DomainError('project', `${clash.slug} is already the ${translation.language} translation of this project`, 'conflict');
    const [row] = await tx.update(projects).set({ translationOfId: mainId, updatedAt: new Date() }).where(eq(projects.id, translationId)).returning();
    return row!;
  });
}

export async function removeTranslation(db: Db, mainId: number, translationId: number): Promise<boolean> {
  const rows = await db
    .update(projects)
    .set({ translationOfId: null, updatedAt: new Date() })
    .where(and(eq(projects.id, translationId), eq(projects.translationOfId, mainId)))
    .returning({ id: projects.id });
  return rows.length > 0;
}
